package app

// Tests of start at login through the real XDG autostart path, each in
// its own XDG_CONFIG_HOME (never the user's autostart directory).

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/autostart"
	"github.com/standby-oncall/standby/internal/config"
)

// loginWorld is a private XDG config directory and the entry the service
// is given; entryFile is where the desktop looks for it.
type loginWorld struct {
	entry     autostart.Entry
	entryFile string
}

func newLoginWorld(t *testing.T) loginWorld {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the XDG autostart path is tested here")
	}
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("FLATPAK_ID", "")
	return loginWorld{
		entry:     autostart.Entry{ID: "dev.standby.Standby", Name: "Standby", Exec: "/opt/standby/bin/standby", Args: []string{autostart.BackgroundFlag}},
		entryFile: filepath.Join(dir, "autostart", "dev.standby.Standby.desktop"),
	}
}

func (w loginWorld) open(t *testing.T, configText string) *fixture {
	t.Helper()
	return openDemoWith(t, configText, func(o *Options) { o.Login = w.entry })
}

func (w loginWorld) exists(t *testing.T) bool {
	t.Helper()
	_, err := os.Stat(w.entryFile)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

var amSource = config.Source{Name: "prod", Kind: "alertmanager", URL: "http://127.0.0.1:9"}

// TestFirstSourceTurnsLoginStartOn: with no decision yet, the first real
// source writes the entry (starting this binary with --background),
// records "on" in the file, and the window and the CLI are told.
func TestFirstSourceTurnsLoginStartOn(t *testing.T) {
	w := newLoginWorld(t)
	synctest.Test(t, func(t *testing.T) {
		f := w.open(t, demoConfig)
		ctx := context.Background()
		if st, err := f.svc.LoginStart(); err != nil || st.On || st.Choice != "" || st.Unsupported != "" {
			t.Fatalf("before: LoginStart = %+v, %v; want off and undecided", st, err)
		}
		if err := f.svc.AddSource(ctx, amSource, ""); err != nil {
			t.Fatal(err)
		}
		if !w.exists(t) {
			t.Fatal("no autostart entry after the first source")
		}
		st, err := f.svc.LoginStart()
		if err != nil || !st.On || st.Stale || st.Choice != config.StartAtLoginOn || st.Where != w.entryFile ||
			!strings.Contains(st.Command, "/opt/standby/bin/standby --background") {
			t.Errorf("after: LoginStart = %+v, %v; want on, recorded, running the binary with --background", st, err)
		}
		if b, ok := f.svc.LoginStartNotice(); !ok || b.Text != LoginNotice || b.Level != "info" {
			t.Errorf("LoginStartNotice = %+v, %v", b, ok)
		}
		if !hasBanner(f.svc.Snapshot(ctx, time.Now()), "info", LoginNotice) {
			t.Error("the window's banners do not say that Standby starts at login")
		}
		res, err := config.Load(f.cfg)
		if err != nil || res.Config.App.StartAtLogin != config.StartAtLoginOn {
			t.Errorf("file: start_at_login = %q, %v; want on", res.Config.App.StartAtLogin, err)
		}
	})
}

// TestLoginStartOffIsKept: a user who said off keeps it off when a source
// is added (in the file, or by turning it off after Standby turned it on).
func TestLoginStartOffIsKept(t *testing.T) {
	w := newLoginWorld(t)
	synctest.Test(t, func(t *testing.T) {
		f := w.open(t, demoConfig+"\n[app]\nstart_at_login = \"off\"\n")
		ctx := context.Background()
		if err := f.svc.AddSource(ctx, amSource, ""); err != nil {
			t.Fatal(err)
		}
		if w.exists(t) {
			t.Fatal("the entry was written although the user said off")
		}
		if _, ok := f.svc.LoginStartNotice(); ok {
			t.Error("a notice although nothing changed")
		}
		if st, _ := f.svc.LoginStart(); st.On || st.Choice != config.StartAtLoginOff {
			t.Errorf("LoginStart = %+v; want off, decided", st)
		}
	})
}

// TestSetLoginStart: the user's choice writes and removes the entry and is
// recorded, ends the notice, and no later source overrides it.
func TestSetLoginStart(t *testing.T) {
	w := newLoginWorld(t)
	synctest.Test(t, func(t *testing.T) {
		f := w.open(t, demoConfig)
		ctx := context.Background()
		if err := f.svc.AddSource(ctx, amSource, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetLoginStart(false); err != nil {
			t.Fatal(err)
		}
		if w.exists(t) {
			t.Fatal("entry still there after SetLoginStart(false)")
		}
		if _, ok := f.svc.LoginStartNotice(); ok || hasBanner(f.svc.Snapshot(ctx, time.Now()), "info", LoginNotice) {
			t.Error("the notice stays after the user decided")
		}
		other := amSource
		other.Name = "staging"
		if err := f.svc.AddSource(ctx, other, ""); err != nil {
			t.Fatal(err)
		}
		if w.exists(t) {
			t.Fatal("a later source turned start at login on again")
		}
		if err := f.svc.SetLoginStart(true); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.svc.LoginStart(); !st.On || st.Choice != config.StartAtLoginOn || !w.exists(t) {
			t.Errorf("after SetLoginStart(true): %+v", st)
		}
	})
}

// TestStaleEntryFollowsTheBinary: with "on" recorded, an entry that starts
// another binary is pointed at this one at start; undecided, it is left.
func TestStaleEntryFollowsTheBinary(t *testing.T) {
	for _, c := range []struct {
		name, app string
		fixed     bool
	}{
		{"on", "\n[app]\nstart_at_login = \"on\"\n", true},
		{"undecided", "", false},
		{"off", "\n[app]\nstart_at_login = \"off\"\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newLoginWorld(t)
			old := w.entry
			old.Exec = "/opt/old/standby"
			if err := old.Enable(); err != nil {
				t.Fatal(err)
			}
			synctest.Test(t, func(t *testing.T) {
				f := w.open(t, demoConfig+c.app)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- f.svc.Run(ctx) }() // the desktop app's start
				synctest.Wait()
				st, err := f.svc.LoginStart()
				cancel()
				if rerr := <-done; rerr != nil {
					t.Errorf("Run: %v", rerr)
				}
				if err != nil || !st.On || st.Stale == c.fixed {
					t.Errorf("LoginStart = %+v, %v; want stale = %v", st, err, !c.fixed)
				}
			})
		})
	}
}

// TestLoginStartUnsupported: in a Flatpak (and without an entry at all)
// adding a source still works, nothing is recorded, and the reason is
// given for the Settings checkbox.
func TestLoginStartUnsupported(t *testing.T) {
	w := newLoginWorld(t)
	t.Setenv("FLATPAK_ID", "dev.standby.Standby")
	synctest.Test(t, func(t *testing.T) {
		f := w.open(t, demoConfig)
		if err := f.svc.AddSource(context.Background(), amSource, ""); err != nil {
			t.Fatal(err)
		}
		st, err := f.svc.LoginStart()
		if err != nil || !strings.Contains(st.Unsupported, "Flatpak") || st.Choice != "" {
			t.Errorf("LoginStart = %+v, %v; want unsupported (Flatpak), undecided", st, err)
		}
		if _, ok := f.svc.LoginStartNotice(); ok {
			t.Error("a notice although start at login is not supported")
		}
		if err := f.svc.SetLoginStart(true); !errors.Is(err, autostart.ErrUnsupported) {
			t.Errorf("SetLoginStart = %v, want ErrUnsupported", err)
		}
		none := openDemo(t, demoConfig)
		if err := none.svc.SetLoginStart(true); !errors.Is(err, autostart.ErrUnsupported) {
			t.Errorf("without Options.Login: SetLoginStart = %v, want ErrUnsupported", err)
		}
		if st, _ := none.svc.LoginStart(); st.Unsupported == "" {
			t.Error("without Options.Login: no reason given")
		}
	})
	if w.exists(t) {
		t.Error("an entry was written inside a Flatpak")
	}
}
