//go:build !(linux && cgo)

package memtrim

// Trim does nothing here: only glibc's malloc keeps freed pages this way.
func Trim() bool { return false }
