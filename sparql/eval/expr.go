package eval

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/loaders/iri"
	"github.com/tessera-fair/tessera/sparql/algebra"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// ebvOf evaluates a filter condition with g as the active graph: errors
// count as false (§17.2).
func (e *evaluator) ebvOf(x algebra.Expr, r row, g graph.Term) bool {
	v, ok := e.exprIn(x, r, g)
	if !ok {
		return false
	}
	b, ok := ebv(v)
	return ok && b
}

// exprIn evaluates x with g as the active graph of its EXISTS patterns.
func (e *evaluator) exprIn(x algebra.Expr, r row, g graph.Term) (graph.Term, bool) {
	old := e.activeGraph
	e.activeGraph = g
	v, ok := e.expr(x, r)
	e.activeGraph = old
	return v, ok
}

// lookup reads a variable, falling back to the substituted solution of an
// enclosing EXISTS.
func (e *evaluator) lookup(name string, r row) graph.Term {
	s, ok := e.slots[name]
	if !ok {
		return graph.Term{}
	}
	if id := r[s]; id != unbound {
		return e.dict.term(id)
	}
	if n := len(e.subst); n > 0 {
		return e.dict.term(e.subst[n-1][s])
	}
	return graph.Term{}
}

// expr evaluates an expression; false means an error (§17.3), which the
// callers turn into "unbound" or "false".
func (e *evaluator) expr(x algebra.Expr, r row) (graph.Term, bool) {
	switch x := x.(type) {
	case *algebra.Var:
		t := e.lookup(x.Name, r)
		return t, !t.IsZero()
	case *algebra.Const:
		return x.Term, !x.Term.IsZero()
	case *algebra.Binary:
		return e.binary(x, r)
	case *algebra.Unary:
		v, ok := e.expr(x.X, r)
		if !ok {
			return graph.Term{}, false
		}
		switch x.Op {
		case ast.OpNot:
			b, ok := ebv(v)
			return boolTerm(!b), ok
		case ast.OpPlus:
			n, ok := numeric(v)
			if !ok {
				return graph.Term{}, false
			}
			return n.term(), true
		case ast.OpMinus:
			n, ok := numeric(v)
			if !ok {
				return graph.Term{}, false
			}
			if n.k >= kFloat {
				n.f = -n.f
			} else {
				n.r = new(big.Rat).Neg(n.r)
			}
			return n.term(), true
		}
		return graph.Term{}, false
	case *algebra.In:
		v, ok := e.expr(x.X, r)
		if !ok {
			return graph.Term{}, false
		}
		sawErr := false
		for _, it := range x.List {
			w, ok := e.expr(it, r)
			if !ok {
				sawErr = true
				continue
			}
			eq, ok := equal(v, w)
			if !ok {
				sawErr = true
				continue
			}
			if eq {
				return boolTerm(!x.Not), true
			}
		}
		if sawErr {
			return graph.Term{}, false
		}
		return boolTerm(x.Not), true
	case *algebra.Call:
		return e.call(x, r)
	case *algebra.FuncCall:
		return e.funcCall(x, r)
	case *algebra.Exists:
		return boolTerm(e.exists(x.Op, r) != x.Not), e.err == nil
	}
	return graph.Term{}, false
}

// exists reports whether op has a solution with r substituted (§17.4.1.4).
func (e *evaluator) exists(op algebra.Op, r row) bool {
	sub := r
	if n := len(e.subst); n > 0 {
		sub = merge(r, e.subst[n-1])
	}
	e.subst = append(e.subst, sub)
	defer func() { e.subst = e.subst[:len(e.subst)-1] }()
	for range e.eval(op, sub, e.activeGraph) {
		return true
	}
	return false
}

func (e *evaluator) binary(x *algebra.Binary, r row) (graph.Term, bool) {
	switch x.Op {
	case ast.OpOr, ast.OpAnd:
		a, aok := e.expr(x.X, r)
		var av, bv bool
		if aok {
			av, aok = ebv(a)
		}
		b, bok := e.expr(x.Y, r)
		if bok {
			bv, bok = ebv(b)
		}
		if x.Op == ast.OpOr {
			switch {
			case aok && av, bok && bv:
				return boolTerm(true), true
			case aok && bok:
				return boolTerm(false), true
			}
			return graph.Term{}, false
		}
		switch {
		case aok && !av, bok && !bv:
			return boolTerm(false), true
		case aok && bok:
			return boolTerm(true), true
		}
		return graph.Term{}, false
	}
	a, ok := e.expr(x.X, r)
	if !ok {
		return graph.Term{}, false
	}
	b, ok := e.expr(x.Y, r)
	if !ok {
		return graph.Term{}, false
	}
	switch x.Op {
	case ast.OpEq:
		eq, ok := equal(a, b)
		return boolTerm(eq), ok
	case ast.OpNe:
		eq, ok := equal(a, b)
		return boolTerm(!eq), ok
	case ast.OpLt, ast.OpGt, ast.OpLe, ast.OpGe:
		c, ok := compare(a, b)
		if !ok {
			return graph.Term{}, false
		}
		switch x.Op {
		case ast.OpLt:
			return boolTerm(c < 0), true
		case ast.OpGt:
			return boolTerm(c > 0), true
		case ast.OpLe:
			return boolTerm(c <= 0), true
		}
		return boolTerm(c >= 0), true
	case ast.OpAdd, ast.OpSub, ast.OpMul, ast.OpDiv:
		na, ok1 := numeric(a)
		nb, ok2 := numeric(b)
		if !ok1 || !ok2 {
			return graph.Term{}, false
		}
		op := map[ast.Op]byte{ast.OpAdd: '+', ast.OpSub: '-', ast.OpMul: '*', ast.OpDiv: '/'}[x.Op]
		n, ok := arith(op, na, nb)
		if !ok {
			return graph.Term{}, false
		}
		return n.term(), true
	}
	return graph.Term{}, false
}

// args evaluates every argument; false if any is an error.
func (e *evaluator) args(xs []algebra.Expr, r row) ([]graph.Term, bool) {
	out := make([]graph.Term, len(xs))
	for i, x := range xs {
		v, ok := e.expr(x, r)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

var errTerm = graph.Term{}

// call evaluates a built-in function of §17.4.
func (e *evaluator) call(x *algebra.Call, r row) (graph.Term, bool) {
	switch x.Func {
	case "BOUND":
		if v, ok := x.Args[0].(*algebra.Var); ok {
			return boolTerm(!e.lookup(v.Name, r).IsZero()), true
		}
		return errTerm, false
	case "IF":
		c, ok := e.expr(x.Args[0], r)
		if !ok {
			return errTerm, false
		}
		b, ok := ebv(c)
		if !ok {
			return errTerm, false
		}
		if b {
			return e.expr(x.Args[1], r)
		}
		return e.expr(x.Args[2], r)
	case "COALESCE":
		for _, a := range x.Args {
			if v, ok := e.expr(a, r); ok {
				return v, true
			}
		}
		return errTerm, false
	case "BNODE":
		if len(x.Args) == 0 {
			e.bnode++
			return graph.Blank(fmt.Sprintf("%sb%d", e.bscope, e.bnode)), true
		}
		v, ok := e.expr(x.Args[0], r)
		if !ok || !isString(v) {
			return errTerm, false
		}
		k := bnodeKey{row: string(e.solutionKey(r)), label: v.Value()}
		if b, ok := e.bnodes[k]; ok {
			return b, true
		}
		e.bnode++
		b := graph.Blank(fmt.Sprintf("%sb%d", e.bscope, e.bnode))
		e.bnodes[k] = b
		return b, true
	case "RAND":
		return graph.Literal(formatDouble(e.rng.Float64(), 64), graph.XSDDouble), true
	case "NOW":
		return graph.Literal(e.now.Format("2006-01-02T15:04:05.000000000Z07:00"), xsdDateTime), true
	case "UUID":
		return graph.IRI("urn:uuid:" + e.uuid()), true
	case "STRUUID":
		return graph.String(e.uuid()), true
	}
	args, ok := e.args(x.Args, r)
	if !ok {
		return errTerm, false
	}
	return e.builtin(x.Func, args)
}

type bnodeKey struct {
	row   string
	label string
}

// solutionKey identifies the solution BNODE(str) is evaluated in. The
// blank nodes BNODE itself made are left out, so that BIND(BNODE(?a) AS ?x)
// BIND(BNODE(?a) AS ?y) gives ?x and ?y the same node (§17.4.2.9).
func (e *evaluator) solutionKey(r row) []byte {
	var b []byte
	mine := e.bscope + "b"
	for _, id := range r {
		if graph.IsLocalID(id) {
			if t := e.dict.term(id); t.IsBlank() && strings.HasPrefix(t.Value(), mine) {
				id = unbound
			}
		}
		b = binary.LittleEndian.AppendUint64(b, id)
	}
	return b
}

func (e *evaluator) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(e.rng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// stringResult builds a string function's result with the language tag or
// xsd:string of its first argument (§17.4.3).
func stringResult(lex string, like graph.Term) graph.Term {
	if like.Lang() != "" {
		return graph.LangLiteral(lex, like.Lang())
	}
	return graph.String(lex)
}

// compatibleArgs implements the argument compatibility rules of §17.4.3.1:
// both simple/xsd:string, both with the same language tag, or a language
// tagged first argument with a simple second argument.
func compatibleArgs(a, b graph.Term) bool {
	if !isStringLike(a) || !isStringLike(b) {
		return false
	}
	if b.Lang() == "" {
		return true
	}
	return a.Lang() == b.Lang()
}

func (e *evaluator) builtin(name string, a []graph.Term) (graph.Term, bool) {
	switch name {
	case "STR":
		if a[0].IsBlank() {
			return errTerm, false
		}
		return graph.String(a[0].Value()), true
	case "LANG":
		if !a[0].IsLiteral() {
			return errTerm, false
		}
		return graph.String(a[0].Lang()), true
	case "DATATYPE":
		if !a[0].IsLiteral() {
			return errTerm, false
		}
		return graph.IRI(a[0].Datatype()), true
	case "IRI", "URI":
		switch {
		case a[0].IsIRI():
			return a[0], true
		case isString(a[0]):
			s, err := iri.Resolve(e.base, a[0].Value())
			if err != nil {
				if e.base == "" {
					return graph.IRI(a[0].Value()), true
				}
				return errTerm, false
			}
			return graph.IRI(s), true
		}
		return errTerm, false
	case "ISIRI", "ISURI":
		return boolTerm(a[0].IsIRI()), true
	case "ISBLANK":
		return boolTerm(a[0].IsBlank()), true
	case "ISLITERAL":
		return boolTerm(a[0].IsLiteral()), true
	case "ISNUMERIC":
		_, ok := numeric(a[0])
		return boolTerm(ok), true
	case "SAMETERM":
		return boolTerm(a[0] == a[1]), true
	case "LANGMATCHES":
		if !isString(a[0]) || !isString(a[1]) {
			return errTerm, false
		}
		return boolTerm(langMatches(a[0].Value(), a[1].Value())), true
	case "STRDT":
		if !isString(a[0]) || !a[1].IsIRI() {
			return errTerm, false
		}
		return graph.Literal(a[0].Value(), a[1].Value()), true
	case "STRLANG":
		if !isString(a[0]) || !isString(a[1]) || a[1].Value() == "" {
			return errTerm, false
		}
		return graph.LangLiteral(a[0].Value(), a[1].Value()), true
	case "STRLEN":
		if !isStringLike(a[0]) {
			return errTerm, false
		}
		return intTerm(int64(utf8.RuneCountInString(a[0].Value()))), true
	case "UCASE":
		if !isStringLike(a[0]) {
			return errTerm, false
		}
		return stringResult(strings.ToUpper(a[0].Value()), a[0]), true
	case "LCASE":
		if !isStringLike(a[0]) {
			return errTerm, false
		}
		return stringResult(strings.ToLower(a[0].Value()), a[0]), true
	case "ENCODE_FOR_URI":
		if !isStringLike(a[0]) {
			return errTerm, false
		}
		return graph.String(encodeForURI(a[0].Value())), true
	case "CONTAINS", "STRSTARTS", "STRENDS":
		if !compatibleArgs(a[0], a[1]) {
			return errTerm, false
		}
		s, t := a[0].Value(), a[1].Value()
		switch name {
		case "CONTAINS":
			return boolTerm(strings.Contains(s, t)), true
		case "STRSTARTS":
			return boolTerm(strings.HasPrefix(s, t)), true
		}
		return boolTerm(strings.HasSuffix(s, t)), true
	case "STRBEFORE", "STRAFTER":
		if !compatibleArgs(a[0], a[1]) {
			return errTerm, false
		}
		s, t := a[0].Value(), a[1].Value()
		i := strings.Index(s, t)
		if i < 0 {
			return graph.String(""), true
		}
		if name == "STRBEFORE" {
			if i == 0 && t != "" {
				// empty result keeps the tag only when a match was found
				return stringResult("", a[0]), true
			}
			return stringResult(s[:i], a[0]), true
		}
		return stringResult(s[i+len(t):], a[0]), true
	case "CONCAT":
		var b strings.Builder
		lang, same := "", true
		for i, t := range a {
			if !isStringLike(t) {
				return errTerm, false
			}
			if i == 0 {
				lang = t.Lang()
			} else if t.Lang() != lang {
				same = false
			}
			b.WriteString(t.Value())
		}
		if same && lang != "" {
			return graph.LangLiteral(b.String(), lang), true
		}
		return graph.String(b.String()), true
	case "SUBSTR":
		if !isStringLike(a[0]) {
			return errTerm, false
		}
		return substr(a)
	case "REGEX":
		if !isStringLike(a[0]) || !isString(a[1]) {
			return errTerm, false
		}
		flags := ""
		if len(a) == 3 {
			if !isString(a[2]) {
				return errTerm, false
			}
			flags = a[2].Value()
		}
		c := e.regexEntry(a[1].Value(), flags)
		if !c.ok {
			return errTerm, false
		}
		return boolTerm(c.match(a[0].Value())), true
	case "REPLACE":
		if !isStringLike(a[0]) || !isString(a[1]) || !isString(a[2]) {
			return errTerm, false
		}
		flags := ""
		if len(a) == 4 {
			if !isString(a[3]) {
				return errTerm, false
			}
			flags = a[3].Value()
		}
		re, ok := e.compile(a[1].Value(), flags)
		if !ok || re.MatchString("") {
			return errTerm, false
		}
		repl := convertReplacement(a[2].Value())
		return stringResult(re.ReplaceAllString(a[0].Value(), repl), a[0]), true
	case "ABS", "CEIL", "FLOOR", "ROUND":
		n, ok := numeric(a[0])
		if !ok {
			return errTerm, false
		}
		return roundFunc(name, n).term(), true
	case "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ":
		return dateFunc(name, a[0])
	case "MD5", "SHA1", "SHA256", "SHA384", "SHA512":
		if !isString(a[0]) {
			return errTerm, false
		}
		var sum []byte
		s := []byte(a[0].Value())
		switch name {
		case "MD5":
			h := md5.Sum(s)
			sum = h[:]
		case "SHA1":
			h := sha1.Sum(s)
			sum = h[:]
		case "SHA256":
			h := sha256.Sum256(s)
			sum = h[:]
		case "SHA384":
			h := sha512.Sum384(s)
			sum = h[:]
		default:
			h := sha512.Sum512(s)
			sum = h[:]
		}
		return graph.String(hex.EncodeToString(sum)), true
	}
	return errTerm, false
}

func langMatches(tag, rng string) bool {
	if rng == "*" {
		return tag != ""
	}
	tag, rng = strings.ToLower(tag), strings.ToLower(rng)
	return tag == rng || strings.HasPrefix(tag, rng+"-")
}

func encodeForURI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// substr is SUBSTR with XPath fn:substring semantics over code points,
// including rounding and non-integer positions.
func substr(a []graph.Term) (graph.Term, bool) {
	start, ok := numeric(a[1])
	if !ok {
		return errTerm, false
	}
	runes := []rune(a[0].Value())
	st := xpathRound(start.float())
	end := math.Inf(1)
	if len(a) == 3 {
		l, ok := numeric(a[2])
		if !ok {
			return errTerm, false
		}
		end = st + xpathRound(l.float())
	}
	if math.IsNaN(st) || math.IsNaN(end) {
		return stringResult("", a[0]), true
	}
	var b strings.Builder
	for i, r := range runes {
		p := float64(i + 1)
		if p >= st && p < end {
			b.WriteRune(r)
		}
	}
	return stringResult(b.String(), a[0]), true
}

func xpathRound(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	return math.Floor(f + 0.5)
}

func roundFunc(name string, n number) number {
	if n.k >= kFloat {
		switch name {
		case "ABS":
			n.f = math.Abs(n.f)
		case "CEIL":
			n.f = math.Ceil(n.f)
		case "FLOOR":
			n.f = math.Floor(n.f)
		case "ROUND":
			n.f = xpathRound(n.f)
		}
		return n
	}
	r := new(big.Rat).Set(n.r)
	switch name {
	case "ABS":
		r.Abs(r)
	case "CEIL":
		r = ratFloor(new(big.Rat).Neg(r))
		r.Neg(r)
	case "FLOOR":
		r = ratFloor(r)
	case "ROUND":
		r = ratFloor(r.Add(r, big.NewRat(1, 2)))
	}
	n.r = r
	return n
}

func ratFloor(r *big.Rat) *big.Rat {
	q := new(big.Int)
	m := new(big.Int)
	q.DivMod(r.Num(), r.Denom(), m) // Euclidean: floor for positive denominators
	return new(big.Rat).SetInt(q)
}

func dateFunc(name string, t graph.Term) (graph.Term, bool) {
	d, ok := parseDateTime(t)
	if !ok || t.Datatype() != xsdDateTime {
		return errTerm, false
	}
	l := d.local
	switch name {
	case "YEAR":
		return intTerm(int64(l.Year())), true
	case "MONTH":
		return intTerm(int64(l.Month())), true
	case "DAY":
		return intTerm(int64(l.Day())), true
	case "HOURS":
		return intTerm(int64(l.Hour())), true
	case "MINUTES":
		return intTerm(int64(l.Minute())), true
	case "SECONDS":
		s := strconv.Itoa(l.Second())
		if d.frac != "" {
			s += "." + d.frac
		}
		r, _ := new(big.Rat).SetString(s)
		return graph.Literal(formatDecimal(r), graph.XSDDecimal), true
	case "TIMEZONE":
		if !d.tz {
			return errTerm, false
		}
		_, off := d.t.Zone()
		return graph.Literal(dayTimeDuration(off), xsdDayTime), true
	case "TZ":
		if !d.tz {
			return graph.String(""), true
		}
		_, tz := splitTZ(t.Value())
		return graph.String(tz), true
	}
	return errTerm, false
}

func dayTimeDuration(off int) string {
	if off == 0 {
		return "PT0S"
	}
	sign := ""
	if off < 0 {
		sign, off = "-", -off
	}
	s := sign + "PT"
	if h := off / 3600; h > 0 {
		s += strconv.Itoa(h) + "H"
	}
	if m := off % 3600 / 60; m > 0 {
		s += strconv.Itoa(m) + "M"
	}
	return s
}

type regexEntry struct {
	re *regexp.Regexp
	ok bool
	// required are literals every match contains (the pattern's top-level
	// concatenation): a cheap test that rejects most non-matching text
	// before the regular expression runs, as RE2's prefilter does.
	required []requiredLiteral
}

// requiredLiteral is a literal a match must contain; fold literals are
// lower-case ASCII, matched case-insensitively.
type requiredLiteral struct {
	s    string
	fold bool
}

// match reports whether s matches the entry's expression.
func (c *regexEntry) match(s string) bool {
	ascii := -1 // unknown
	for _, l := range c.required {
		if !l.fold {
			if !strings.Contains(s, l.s) {
				return false
			}
			continue
		}
		if ascii < 0 {
			ascii = 0
			if isASCII(s) {
				ascii = 1
			}
		}
		// Non-ASCII text may fold to ASCII (K, the Kelvin sign, is k):
		// only the expression can tell.
		if ascii == 1 && !containsFoldASCII(s, l.s) {
			return false
		}
	}
	return c.re.MatchString(s)
}

// requiredLiterals lists the literals at the top level of pattern (Go
// syntax), which every match contains.
func requiredLiterals(pattern string) []requiredLiteral {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	nodes := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		nodes = re.Sub
	}
	var out []requiredLiteral
	for _, n := range nodes {
		if n.Op != syntax.OpLiteral || len(n.Rune) < 2 {
			continue
		}
		lit := string(n.Rune)
		if n.Flags&syntax.FoldCase == 0 {
			out = append(out, requiredLiteral{s: lit})
		} else if isASCII(lit) {
			out = append(out, requiredLiteral{s: strings.ToLower(lit), fold: true})
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsFoldASCII reports whether ASCII text s contains lower-case
// ASCII sub, ignoring case.
func containsFoldASCII(s, sub string) bool {
	lower := func(c byte) byte {
		if 'A' <= c && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) && lower(s[i+j]) == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// compile translates an XPath regular expression with flags (i s m x q)
// to Go's RE2 syntax, caching the result.
func (e *evaluator) compile(pattern, flags string) (*regexp.Regexp, bool) {
	c := e.regexEntry(pattern, flags)
	return c.re, c.ok
}

// regexEntry is compile's cache entry, with the literals for match.
func (e *evaluator) regexEntry(pattern, flags string) *regexEntry {
	key := flags + "\x00" + pattern
	if c, ok := e.regex[key]; ok {
		return c
	}
	var prefix string
	for _, f := range flags {
		switch f {
		case 'i', 's', 'm':
			prefix += string(f)
		case 'x':
			pattern = stripWhitespace(pattern)
		case 'q':
			pattern = regexp.QuoteMeta(pattern)
		default:
			c := &regexEntry{}
			e.regex[key] = c
			return c
		}
	}
	if prefix != "" {
		pattern = "(?" + prefix + ")" + pattern
	}
	re, err := regexp.Compile(pattern)
	c := &regexEntry{re: re, ok: err == nil}
	if c.ok {
		c.required = requiredLiterals(pattern)
	}
	e.regex[key] = c
	return c
}

func stripWhitespace(p string) string {
	var b strings.Builder
	inClass := false
	for _, r := range p {
		switch {
		case r == '[':
			inClass = true
		case r == ']':
			inClass = false
		case !inClass && (r == ' ' || r == '\t' || r == '\n' || r == '\r'):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// convertReplacement turns an XPath replacement string ($1, \$) into Go's
// (${1}, $$).
func convertReplacement(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(s[i])
			}
		case c == '$':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString("${" + s[i+1:j] + "}")
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// funcCall evaluates XSD casts (§17.5); other IRIs are unknown functions,
// which are errors.
func (e *evaluator) funcCall(x *algebra.FuncCall, r row) (graph.Term, bool) {
	if len(x.Args) != 1 || !strings.HasPrefix(x.IRI, xsd) {
		return errTerm, false
	}
	v, ok := e.expr(x.Args[0], r)
	if !ok {
		return errTerm, false
	}
	return cast(x.IRI, v)
}

// xpathString is the XPath cast of a number to xsd:string: integers and
// decimals without a trailing ".0", doubles in plain notation between 1e-6
// and 1e6 and in canonical exponent form outside.
func xpathString(n number) string {
	switch n.k {
	case kInteger:
		return n.r.Num().String()
	case kDecimal:
		return strings.TrimSuffix(formatDecimal(n.r), ".0")
	}
	bits := 64
	if n.k == kFloat {
		bits = 32
	}
	a := math.Abs(n.f)
	if a == 0 || (a >= 1e-6 && a < 1e6) {
		return strconv.FormatFloat(n.f, 'f', -1, bits)
	}
	return formatDouble(n.f, bits)
}

func cast(dt string, v graph.Term) (graph.Term, bool) {
	if v.IsBlank() {
		return errTerm, false
	}
	if v.IsIRI() {
		if dt == graph.XSDString {
			return graph.String(v.Value()), true
		}
		return errTerm, false
	}
	lex := v.Value()
	src := v.Datatype()
	if src == graph.RDFLangString {
		return errTerm, false
	}
	n, isNum := numeric(v)
	if isNumericType(src) && !isNum {
		return errTerm, false
	}
	switch {
	case dt == graph.XSDString:
		switch {
		case isNum:
			return graph.String(xpathString(n)), true
		case src == graph.XSDBoolean:
			b, ok := boolValue(v)
			if !ok {
				return errTerm, false
			}
			return graph.String(strconv.FormatBool(b)), true
		}
		return graph.String(lex), true
	case dt == graph.XSDBoolean:
		if isNum {
			if n.k >= kFloat {
				return boolTerm(n.f != 0 && !math.IsNaN(n.f)), true
			}
			return boolTerm(n.r.Sign() != 0), true
		}
		if src == graph.XSDBoolean || src == graph.XSDString {
			if b, ok := boolValue(graph.Literal(strings.TrimSpace(lex), graph.XSDBoolean)); ok {
				return boolTerm(b), true
			}
		}
		return errTerm, false
	case dt == graph.XSDDecimal || isIntegerType(dt):
		var r *big.Rat
		switch {
		case isNum:
			r = n.rat()
			if r == nil {
				return errTerm, false
			}
		case src == graph.XSDBoolean:
			b, ok := boolValue(v)
			if !ok {
				return errTerm, false
			}
			r = big.NewRat(0, 1)
			if b {
				r = big.NewRat(1, 1)
			}
		case src == graph.XSDString:
			s := strings.TrimSpace(lex)
			if dt == graph.XSDDecimal && !validDecimal(s) || dt != graph.XSDDecimal && !validInteger(s) {
				return errTerm, false
			}
			var ok bool
			if r, ok = new(big.Rat).SetString(strings.TrimPrefix(s, "+")); !ok {
				return errTerm, false
			}
		default:
			return errTerm, false
		}
		if dt == graph.XSDDecimal {
			return number{k: kDecimal, r: r}.term(), true
		}
		q := new(big.Int).Quo(r.Num(), r.Denom()) // truncate toward zero
		out := graph.Literal(q.String(), dt)
		if _, ok := numeric(out); !ok {
			return errTerm, false
		}
		return out, true
	case dt == xsdFloat || dt == graph.XSDDouble:
		var f float64
		switch {
		case isNum:
			f = n.float()
		case src == graph.XSDBoolean:
			b, ok := boolValue(v)
			if !ok {
				return errTerm, false
			}
			if b {
				f = 1
			}
		case src == graph.XSDString:
			s := strings.TrimSpace(lex)
			if !validDouble(s) {
				return errTerm, false
			}
			var err error
			if f, err = parseFloat(s); err != nil {
				return errTerm, false
			}
		default:
			return errTerm, false
		}
		k := kDouble
		if dt == xsdFloat {
			k = kFloat
		}
		return number{k: k, f: f}.term(), true
	case dt == xsdDateTime:
		if src != xsdDateTime && src != graph.XSDString {
			return errTerm, false
		}
		out := graph.Literal(strings.TrimSpace(lex), xsdDateTime)
		if _, ok := parseDateTime(out); !ok {
			return errTerm, false
		}
		return out, true
	case dt == xsdDate:
		if src == xsdDateTime {
			if i := strings.IndexByte(lex, 'T'); i > 0 {
				_, tz := splitTZ(lex)
				return graph.Literal(lex[:i]+tz, xsdDate), true
			}
		}
		if src != xsdDate && src != graph.XSDString {
			return errTerm, false
		}
		out := graph.Literal(strings.TrimSpace(lex), xsdDate)
		if _, ok := parseDateTime(out); !ok {
			return errTerm, false
		}
		return out, true
	}
	if src == graph.XSDString || src == dt {
		if _, err := url.Parse(dt); err == nil {
			return graph.Literal(lex, dt), true
		}
	}
	return errTerm, false
}
