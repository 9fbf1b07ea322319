package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/secrets"
)

// loginWorld is a private XDG config directory (so the login entry is
// written there), config file, state database and mock keyring.
type loginWorld struct {
	t                    *testing.T
	config, state, entry string
}

func newLoginWorld(t *testing.T) *loginWorld {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the XDG autostart path is tested here; the others in internal/autostart")
	}
	keyring.MockInit()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	t.Setenv("FLATPAK_ID", "")
	return &loginWorld{t: t, config: filepath.Join(dir, "config.toml"), state: filepath.Join(dir, "state.db"),
		entry: filepath.Join(dir, "xdg", "autostart", "dev.standby.Standby.desktop")}
}

// run runs standby --config FILE args and fails the test unless it exits 0.
func (w *loginWorld) run(args ...string) string {
	w.t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, StatePath: w.state, Secrets: secrets.New("test")}
	if code := Main(append([]string{"--config", w.config}, args...), env); code != 0 {
		w.t.Fatalf("standby %s exited %d: %s", strings.Join(args, " "), code, errb.String())
	}
	if errb.Len() > 0 {
		w.t.Errorf("standby %s wrote to stderr: %s", strings.Join(args, " "), errb.String())
	}
	return out.String()
}

func (w *loginWorld) hasEntry() bool {
	_, err := os.Stat(w.entry)
	return err == nil
}

func (w *loginWorld) choice() string {
	w.t.Helper()
	res, err := config.Load(w.config)
	if err != nil {
		w.t.Fatal(err)
	}
	return res.Config.App.StartAtLogin
}

// TestAutostartCommands: on writes the entry, status reports it with the
// --background command, off removes it; each records the choice.
func TestAutostartCommands(t *testing.T) {
	w := newLoginWorld(t)
	if got := w.run("autostart", "status"); !strings.HasPrefix(got, "off:") || !strings.Contains(got, "not chosen yet") {
		t.Errorf("status before on = %q", got)
	}
	if got := w.run("autostart", "on"); !strings.HasPrefix(got, "on:") || !strings.Contains(got, w.entry) {
		t.Errorf("on = %q, want on: and %s", got, w.entry)
	}
	if !w.hasEntry() || w.choice() != config.StartAtLoginOn {
		t.Fatalf("after on: entry %v, choice %q", w.hasEntry(), w.choice())
	}
	if got := w.run("autostart", "status"); !strings.HasPrefix(got, "on:") || !strings.Contains(got, "--background") {
		t.Errorf("status after on = %q, want on: with --background", got)
	}
	w.run("autostart", "off")
	if w.hasEntry() || w.choice() != config.StartAtLoginOff {
		t.Fatalf("after off: entry %v, choice %q", w.hasEntry(), w.choice())
	}
	if got := w.run("autostart", "status"); !strings.HasPrefix(got, "off:") || strings.Contains(got, "not chosen") {
		t.Errorf("status after off = %q", got)
	}
}

// TestSourceAddTurnsAutostartOn: the first source, undecided, turns start
// at login on and says so in one line; after `autostart off` another
// source leaves it off and says nothing.
func TestSourceAddTurnsAutostartOn(t *testing.T) {
	w := newLoginWorld(t)
	add := func(name string) string {
		return w.run("source", "add", "alertmanager", "--name", name, "--url", "http://127.0.0.1:9", "--no-test")
	}
	out := add("am")
	if !strings.Contains(out, "\n"+app.LoginNotice+"\n") {
		t.Errorf("source add did not say that Standby starts at login:\n%s", out)
	}
	if !w.hasEntry() || w.choice() != config.StartAtLoginOn {
		t.Fatalf("after the first source: entry %v, choice %q", w.hasEntry(), w.choice())
	}
	w.run("autostart", "off")
	if out := add("am2"); strings.Contains(out, "log in") || w.hasEntry() || w.choice() != config.StartAtLoginOff {
		t.Errorf("after off, a source turned it on again (entry %v, choice %q):\n%s", w.hasEntry(), w.choice(), out)
	}
}

// TestAutostartUnsupported: in a Flatpak, on and status exit non-zero with
// the reason in one line, and the choice is not recorded.
func TestAutostartUnsupported(t *testing.T) {
	w := newLoginWorld(t)
	t.Setenv("FLATPAK_ID", "dev.standby.Standby")
	for _, args := range [][]string{{"autostart", "on"}, {"autostart", "status"}} {
		var out, errb bytes.Buffer
		code := Main(append([]string{"--config", w.config}, args...), Env{Stdout: &out, Stderr: &errb, StatePath: w.state, Secrets: secrets.New("test")})
		if code == 0 || !strings.Contains(errb.String(), "Flatpak") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("standby %s in a Flatpak: exit %d, stderr %q; want non-zero with one line naming Flatpak", strings.Join(args, " "), code, errb.String())
		}
	}
	if _, err := os.Stat(w.config); err == nil && w.choice() != "" {
		t.Errorf("choice recorded in a Flatpak: %q", w.choice())
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

// TestDemoFlags: the benchmarks' hidden --demo-pages and --demo-every reach
// the app's options, at the top level as for run; without them the demo
// keeps its defaults (0).
func TestDemoFlags(t *testing.T) {
	for _, c := range []struct {
		args  []string
		pages int
		every time.Duration
	}{
		{[]string{"--demo-pages", "500", "--demo-every", "1000h"}, 500, 1000 * time.Hour},
		{[]string{"run", "--demo-every", "20s"}, 0, 20 * time.Second},
		{nil, 0, 0},
	} {
		var got *app.Options
		env := Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, StatePath: filepath.Join(t.TempDir(), "state.db"),
			RunGUI: func(o app.GUIOptions) error { got = &o.App; return nil }}
		if code := Main(c.args, env); code != 0 {
			t.Fatalf("standby %q exited %d", c.args, code)
		}
		if got == nil || got.DemoPages != c.pages || got.DemoEvery != c.every {
			t.Errorf("standby %q: options %+v, want DemoPages %d, DemoEvery %v", c.args, got, c.pages, c.every)
		}
	}
}
