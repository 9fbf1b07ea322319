package ui

import (
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/trayhost"
)

// loginFake is the fake service with a login entry: SetLoginStart waits
// for gate (when set) and then changes state, or fails with setErr.
type loginFake struct {
	*fakeService
	mu     sync.Mutex
	state  app.LoginState
	setErr error
	gate   chan struct{}
	sets   []bool
}

const fakeEntry = "/home/alice/.config/autostart/dev.standby.Standby.desktop"

func (f *loginFake) LoginStart() (app.LoginState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state, nil
}

func (f *loginFake) SetLoginStart(on bool) error {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets = append(f.sets, on)
	if f.setErr != nil {
		return f.setErr
	}
	f.state.On, f.state.Choice, f.state.Where = on, config.StartAtLoginOff, ""
	if on {
		f.state.Choice, f.state.Where = config.StartAtLoginOn, fakeEntry
	}
	return nil
}

func (f *loginFake) setState(st app.LoginState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state = st
}

func (f *loginFake) calls() []bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bool(nil), f.sets...)
}

// tapThenReply taps the box while the fake holds SetLoginStart, then lets
// it answer. In the app, fyne.Do runs the answer on the UI goroutine after
// the tap's handler; the test driver runs it at once on the worker's
// goroutine, where it would race with the tap's own refresh of the box.
func tapThenReply(svc *loginFake, box *widget.Check) {
	gate := make(chan struct{})
	svc.gate = gate
	test.Tap(box)
	close(gate)
}

// TestSettingsLoginBox: the box shows what the system holds, writes the
// choice off the UI goroutine (disabled and "Saving…" meanwhile), and
// shows the new state; a reload picks up a change made elsewhere.
func TestSettingsLoginBox(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		svc := &loginFake{fakeService: newFake()}
		v := newSettingsView(svc)
		w := test.NewWindow(v.root)
		defer w.Close()
		box, status := v.login.check, v.login.status
		synctest.Wait()
		if box.Checked || box.Disabled() || status.Text != "Off. Standby turns it on when you add your first source." {
			t.Fatalf("undecided: checked %v, disabled %v, %q", box.Checked, box.Disabled(), status.Text)
		}

		svc.gate = make(chan struct{})
		test.Tap(box) // returns while SetLoginStart waits: it runs off the UI goroutine
		synctest.Wait()
		if !box.Disabled() || status.Text != "Saving…" {
			t.Fatalf("while saving: disabled %v, %q", box.Disabled(), status.Text)
		}
		close(svc.gate)
		synctest.Wait()
		svc.gate = nil
		if !box.Checked || box.Disabled() || status.Text != "Standby starts in the tray when you log in ("+fakeEntry+")." {
			t.Fatalf("after ticking: checked %v, disabled %v, %q", box.Checked, box.Disabled(), status.Text)
		}

		tapThenReply(svc, box)
		synctest.Wait()
		if got := svc.calls(); len(got) != 2 || !got[0] || got[1] {
			t.Fatalf("SetLoginStart calls %v, want [true false]", got)
		}
		if box.Checked || status.Text != "Off." {
			t.Fatalf("after unticking: checked %v, %q", box.Checked, status.Text)
		}

		// Standby turned it on by itself (the first source, from the
		// Sources tab): showing Settings again reads it.
		svc.setState(app.LoginState{On: true, Choice: config.StartAtLoginOn, Where: fakeEntry, Command: "/usr/bin/standby --background"})
		v.login.reload()
		synctest.Wait()
		if !box.Checked || len(svc.calls()) != 2 {
			t.Fatalf("after reload: checked %v, calls %v (a reload must not write)", box.Checked, svc.calls())
		}
	})
}

// TestSettingsLoginBoxFailure: a failed change puts the box back and
// says why.
func TestSettingsLoginBoxFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		svc := &loginFake{fakeService: newFake(), setErr: errors.New("enabling start at login: open /home/alice/.config/autostart: permission denied")}
		v := newSettingsView(svc)
		w := test.NewWindow(v.root)
		defer w.Close()
		synctest.Wait()
		tapThenReply(svc, v.login.check)
		synctest.Wait()
		if v.login.check.Checked || v.login.check.Disabled() ||
			!strings.HasPrefix(v.login.status.Text, "Not changed: enabling start at login: open /home/alice/.config/autostart: permission denied\nOff.") {
			t.Fatalf("after a failed change: checked %v, disabled %v, %q", v.login.check.Checked, v.login.check.Disabled(), v.login.status.Text)
		}
	})
}

// TestSettingsLoginBoxUnsupported: in a Flatpak the box is disabled and
// the reason is shown; tapping it changes nothing.
func TestSettingsLoginBoxUnsupported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		reason := "start at login is not supported here: in the Flatpak sandbox it needs the Background portal, which Standby does not use yet"
		svc := &loginFake{fakeService: newFake(), state: app.LoginState{Unsupported: reason}}
		v := newSettingsView(svc)
		w := test.NewWindow(v.root)
		defer w.Close()
		synctest.Wait()
		if !v.login.check.Disabled() || v.login.status.Text != "Start at login is not supported here: in the Flatpak sandbox it needs the Background portal, which Standby does not use yet." {
			t.Fatalf("unsupported: disabled %v, %q", v.login.check.Disabled(), v.login.status.Text)
		}
		test.Tap(v.login.check)
		synctest.Wait()
		if got := svc.calls(); len(got) != 0 || v.login.check.Checked {
			t.Fatalf("a disabled box changed the entry: calls %v, checked %v", got, v.login.check.Checked)
		}
	})
}

// TestShellSettingsTabReloadsLogin: showing the Settings tab reads the
// login entry again (Standby may have turned it on with a source meanwhile).
func TestShellSettingsTabReloadsLogin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := test.NewTempApp(t)
		svc := &loginFake{fakeService: newFake()}
		sh := newShell(a, svc, trayhost.Result{}, slog.New(slog.DiscardHandler))
		defer sh.win.Close()
		synctest.Wait()
		if sh.settings.login.check.Checked {
			t.Fatal("checked before anything turned it on")
		}
		svc.setState(app.LoginState{On: true, Choice: config.StartAtLoginOn, Where: fakeEntry})
		for i, it := range sh.tabs.Items {
			if it.Text == "Settings" {
				sh.tabs.SelectIndex(i)
			}
		}
		synctest.Wait()
		if !sh.settings.login.check.Checked || sh.settings.login.status.Text != "Standby starts in the tray when you log in ("+fakeEntry+")." {
			t.Fatalf("after showing Settings: checked %v, %q", sh.settings.login.check.Checked, sh.settings.login.status.Text)
		}
	})
}
