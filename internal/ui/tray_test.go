package ui

import (
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/trayhost"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

func labels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if it.IsSeparator {
			out = append(out, "---")
			continue
		}
		out = append(out, it.Label)
	}
	return out
}

func TestTrayMenu(t *testing.T) {
	var acked, looked []page.ID
	quieted := 0
	a := TrayActions{
		Open: func() {}, OpenPage: func(page.ID) {}, Resume: func() {}, QuietNight: func() {}, Quit: func() {},
		Ack:       func(id page.ID) { acked = append(acked, id) },
		Look:      func(id page.ID) { looked = append(looked, id) },
		QuietHour: func() { quieted++ },
	}
	id := page.ID{Source: "am", Upstream: "fp1"}
	vm := viewmodel.TrayVM{
		State: viewmodel.TrayPage, Status: "1 page waiting", Schedule: "On call until 09:00",
		Items: []viewmodel.TrayItem{{ID: id, Label: "Disk full", CanAck: true, CanLook: true},
			{ID: page.ID{Source: "am", Upstream: "fp2"}, Label: "CPU — acked by bob"}},
		Quiet: "Quiet until 07:00",
	}
	m := trayMenu(vm, a)
	want := []string{"Open Standby", "---", "1 page waiting", "On call until 09:00", "---", "Disk full", "CPU — acked by bob",
		"---", "Quiet until 07:00", "Resume now", "Quiet for 1 hour", "Quiet until tomorrow 08:00", "---", "Quit"}
	got := labels(m)
	if len(got) != len(want) {
		t.Fatalf("menu = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("item %d = %q, want %q (menu %q)", i, got[i], want[i], got)
		}
	}
	if !m.Items[2].Disabled || !m.Items[3].Disabled {
		t.Fatal("status lines must not be clickable")
	}
	sub := labels(m.Items[5].ChildMenu)
	if len(sub) != 3 || sub[0] != "Ack" || sub[1] != "I'm looking" {
		t.Fatalf("page submenu = %q", sub)
	}
	m.Items[5].ChildMenu.Items[0].Action()
	m.Items[5].ChildMenu.Items[1].Action()
	if len(acked) != 1 || acked[0] != id || len(looked) != 1 || looked[0] != id {
		t.Fatalf("one click did not act on the page: acked %v looked %v", acked, looked)
	}
	if taken := labels(m.Items[6].ChildMenu); len(taken) != 1 || taken[0] != "Show in Standby" {
		t.Fatalf("a taken page offers %q", taken)
	}
	m.Items[10].Action()
	if quieted != 1 {
		t.Fatal("Quiet for 1 hour did nothing")
	}
	if !m.Items[len(m.Items)-1].IsQuit {
		t.Fatal("Quit is not marked IsQuit")
	}
}

func TestTrayIconPerState(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range []viewmodel.TrayState{viewmodel.TrayIdle, viewmodel.TrayOnCall, viewmodel.TrayPage, viewmodel.TrayQuiet} {
		r := trayIcon(s)
		if len(r.Content()) < 8 || string(r.Content()[1:4]) != "PNG" {
			t.Fatalf("%s icon is not a PNG (the Linux tray takes no SVG)", s)
		}
		seen[r.Name()] = true
	}
	if len(seen) != 4 {
		t.Fatal("tray states share an icon")
	}
}

// trayApp is a test app with a system tray that records what was set.
type trayApp struct {
	fyne.App
	icons []fyne.Resource
	menus int
}

func (a *trayApp) SetSystemTrayMenu(*fyne.Menu)      { a.menus++ }
func (a *trayApp) SetSystemTrayIcon(r fyne.Resource) { a.icons = append(a.icons, r) }
func (a *trayApp) SetSystemTrayWindow(fyne.Window)   {}

// TestTrayIconSetOnlyWhenItsStateChanges: a new page changes the tray's
// menu (its count) but not its icon; the icon is set again only when the
// state it shows changes.
func TestTrayIconSetOnlyWhenItsStateChanges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := time.Now()
		svc := newFake()
		svc.snap = demoSnapshot(3, now)
		a := &trayApp{App: test.NewTempApp(t)}
		sh := startShellOn(t, a, svc, trayhost.Result{Bus: true, Host: true}, nil)
		change := func(snap app.Snapshot) {
			svc.publish(snap)
			synctest.Wait()
		}
		icons, menus := len(a.icons), a.menus
		if sh.trayVM == nil {
			t.Fatal("the tray shows nothing after the first view-model")
		}
		state := sh.trayVM.State
		change(demoSnapshot(4, now))
		if sh.trayVM.State != state || a.menus == menus {
			t.Fatalf("a fourth page: tray state %v → %v, menus set %d → %d; want the same state and a new menu", state, sh.trayVM.State, menus, a.menus)
		}
		if len(a.icons) != icons {
			t.Errorf("a fourth page in the same tray state set the icon again (%d → %d times)", icons, len(a.icons))
		}
		change(demoSnapshot(0, now))
		if sh.trayVM.State == state || len(a.icons) != icons+1 {
			t.Errorf("no pages: tray state %v (was %v), icon set %d more times, want a new state and one more", sh.trayVM.State, state, len(a.icons)-icons)
		}
	})
}
