//go:build !unix

package netrc

import "io/fs"

// owner is not known on systems without Unix file ownership (Windows:
// the file's ACL decides who may read it).
func owner(fs.FileInfo) (int, bool) { return 0, false }
