//go:build !linux

package badgerstore

// startTrim does nothing where the memory maps of table files cannot be
// listed; see trim_linux.go.
func (s *Store) startTrim(after uint64) (stop func()) { return func() {} }
