//go:build !(linux || freebsd || netbsd || openbsd || windows)

package notify

// newNative returns nil: on macOS and elsewhere bubbles go through beeep
// and the injected fallback, without actions.
func newNative(string, []byte, *Desktop) native { return nil }
