package ui

import (
	"fyne.io/fyne/v2"

	"github.com/standby-oncall/standby/assets"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// TrayActions are what the tray menu can do; the shell wires them to the
// application service.
type TrayActions struct {
	Open       func()
	OpenPage   func(page.ID)
	Ack        func(page.ID)
	Look       func(page.ID)
	QuietHour  func()
	QuietNight func()
	Resume     func()
	// Silence stops the alarm (shown while it rings; nil: never shown).
	Silence func()
	// Incident declares, hands over or joins a page's incident (nil: the
	// submenu does not offer it).
	Incident func(page.ID, viewmodel.IncidentAction)
	Quit     func()
}

// trayMenu builds the whole tray menu from the view-model. It is a pure
// function of its inputs, so tests assert on the items it returns.
func trayMenu(vm viewmodel.TrayVM, a TrayActions) *fyne.Menu {
	items := []*fyne.MenuItem{
		{Label: "Open Standby", Action: a.Open},
		fyne.NewMenuItemSeparator(),
		disabled(vm.Status),
		disabled(vm.Schedule),
	}
	if vm.Ringing && a.Silence != nil {
		items = append(items, &fyne.MenuItem{Label: "Silence alarm", Action: a.Silence})
	}
	if vm.Problem != "" {
		items = append(items, &fyne.MenuItem{Label: vm.Problem, Action: a.Open})
	}
	if len(vm.Items) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	for _, it := range vm.Items {
		items = append(items, pageItem(it, a))
	}
	if vm.More != "" {
		items = append(items, &fyne.MenuItem{Label: vm.More, Action: a.Open})
	}
	items = append(items, fyne.NewMenuItemSeparator())
	if vm.Quiet != "" {
		items = append(items, disabled(vm.Quiet), &fyne.MenuItem{Label: "Resume now", Action: a.Resume})
	}
	items = append(items,
		&fyne.MenuItem{Label: "Quiet for 1 hour", Action: a.QuietHour},
		&fyne.MenuItem{Label: "Quiet until tomorrow 08:00", Action: a.QuietNight},
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: "Quit", Action: a.Quit, IsQuit: true},
	)
	return fyne.NewMenu("Standby", items...)
}

// pageItem is one page with a submenu: Ack, I'm looking, the incident
// action, Show in Standby.
func pageItem(it viewmodel.TrayItem, a TrayActions) *fyne.MenuItem {
	id := it.ID
	var sub []*fyne.MenuItem
	if it.CanAck {
		sub = append(sub, &fyne.MenuItem{Label: "Ack", Action: func() { a.Ack(id) }})
	}
	if it.CanLook {
		sub = append(sub, &fyne.MenuItem{Label: "I'm looking", Action: func() { a.Look(id) }})
	}
	if act := it.Incident; act != viewmodel.IncidentNone && a.Incident != nil {
		label := string(act)
		if act != viewmodel.IncidentJoin {
			label += "…" // asks for the doc link or the new commander
		}
		sub = append(sub, &fyne.MenuItem{Label: label, Action: func() { a.Incident(id, act) }})
	}
	sub = append(sub, &fyne.MenuItem{Label: "Show in Standby", Action: func() { a.OpenPage(id) }})
	m := &fyne.MenuItem{Label: it.Label, ChildMenu: fyne.NewMenu("", sub...)}
	return m
}

func disabled(label string) *fyne.MenuItem {
	return &fyne.MenuItem{Label: label, Disabled: true}
}

var trayIcons = map[viewmodel.TrayState]fyne.Resource{
	viewmodel.TrayIdle:   fyne.NewStaticResource("tray-idle.png", assets.TrayIdle),
	viewmodel.TrayOnCall: fyne.NewStaticResource("tray-oncall.png", assets.TrayOnCall),
	viewmodel.TrayPage:   fyne.NewStaticResource("tray-page.png", assets.TrayPage),
	viewmodel.TrayQuiet:  fyne.NewStaticResource("tray-quiet.png", assets.TrayQuiet),
}

// trayIcon returns the icon for a tray state.
func trayIcon(s viewmodel.TrayState) fyne.Resource {
	if r, ok := trayIcons[s]; ok {
		return r
	}
	return trayIcons[viewmodel.TrayIdle]
}
