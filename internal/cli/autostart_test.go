package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/app"
)

// TestAutostartCommands: on writes the entry, status reports it with the
// --background command, off removes it.
func TestAutostartCommands(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the XDG autostart path is tested here; the others in internal/autostart")
	}
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("FLATPAK_ID", "")
	entry := filepath.Join(cfg, "autostart", "dev.standby.Standby.desktop")
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Main(args, Env{Stdout: &out, Stderr: &errb}); code != 0 {
			t.Fatalf("standby %s exited %d: %s", strings.Join(args, " "), code, errb.String())
		}
		return out.String()
	}
	if got := run("autostart", "status"); !strings.HasPrefix(got, "off:") {
		t.Errorf("status before on = %q", got)
	}
	if got := run("autostart", "on"); !strings.HasPrefix(got, "on:") || !strings.Contains(got, entry) {
		t.Errorf("on = %q, want on: and %s", got, entry)
	}
	if _, err := os.Stat(entry); err != nil {
		t.Fatalf("no entry after on: %v", err)
	}
	if got := run("autostart", "status"); !strings.HasPrefix(got, "on:") || !strings.Contains(got, "--background") {
		t.Errorf("status after on = %q, want on: with --background", got)
	}
	run("autostart", "off")
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Fatalf("entry still there after off: %v", err)
	}
	if got := run("autostart", "status"); !strings.HasPrefix(got, "off:") {
		t.Errorf("status after off = %q", got)
	}
}

// TestBackgroundFlag: --background reaches the GUI options, at the top
// level (the login entry's form) as for run.
func TestBackgroundFlag(t *testing.T) {
	for _, args := range [][]string{{"--background"}, {"run", "--background"}, {}} {
		var got *bool
		env := Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, StatePath: filepath.Join(t.TempDir(), "state.db"),
			RunGUI: func(o app.GUIOptions) error { b := o.Background; got = &b; return nil }}
		if code := Main(args, env); code != 0 {
			t.Fatalf("standby %q exited %d", args, code)
		}
		want := len(args) > 0
		if got == nil || *got != want {
			t.Errorf("standby %q: Background = %v, want %v", args, got, want)
		}
	}
}
