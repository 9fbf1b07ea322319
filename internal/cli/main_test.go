package cli

import (
	"fmt"
	"os"
	"testing"
)

// TestMain gives the whole test binary its own XDG_CONFIG_HOME: adding a
// source may write the login entry (autostart), and no test may write one
// in the user's real autostart directory. Tests that look at the entry
// set their own with t.Setenv.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "standby-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	os.Unsetenv("FLATPAK_ID")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
