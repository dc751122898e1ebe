//go:build !unix

package badgerstore

import "io/fs"

// allocated returns the file's apparent size where block counts are unknown.
func allocated(fi fs.FileInfo) int64 { return fi.Size() }
