package ast

// HasAggregate reports whether e contains an aggregate outside nested
// EXISTS patterns (the parser's static checks and the algebra translation
// both ask).
func HasAggregate(e Expr) bool {
	switch e := e.(type) {
	case *Aggregate:
		return true
	case *Binary:
		return HasAggregate(e.X) || HasAggregate(e.Y)
	case *Unary:
		return HasAggregate(e.X)
	case *In:
		if HasAggregate(e.X) {
			return true
		}
		for _, a := range e.List {
			if HasAggregate(a) {
				return true
			}
		}
	case *Call:
		for _, a := range e.Args {
			if HasAggregate(a) {
				return true
			}
		}
	case *FuncCall:
		for _, a := range e.Args {
			if HasAggregate(a) {
				return true
			}
		}
	}
	return false
}
