package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/standby-oncall/standby/internal/page"
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
