package graph

import "iter"

// Quads is a stream of quads. A stream stops at the first error, which it
// yields with a zero Quad. Breaking out of the loop releases whatever the
// stream holds (a transaction, a file, a goroutine).
type Quads = iter.Seq2[Quad, error]

// Collect drains a stream into a slice. It is for tests and small results;
// production paths stream.
func Collect(quads Quads) ([]Quad, error) {
	var out []Quad
	for q, err := range quads {
		if err != nil {
			return out, err
		}
		out = append(out, q)
	}
	return out, nil
}

// FromSlice streams the quads of a slice.
func FromSlice(qs []Quad) Quads {
	return func(yield func(Quad, error) bool) {
		for _, q := range qs {
			if !yield(q, nil) {
				return
			}
		}
	}
}

// Error returns a stream that yields only err.
func Error(err error) Quads {
	return func(yield func(Quad, error) bool) { yield(Quad{}, err) }
}
