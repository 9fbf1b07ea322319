package ui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// afterPageService is what comes after the page (issue #14): the
// incident actions, the handoff, my shifts as .ics and the team's load.
type afterPageService interface {
	incidentService
	handoffService
	shiftsICSService
	teamLoadService
}

// addAfterPage puts what comes after the page into the window: the
// Schedule tab's "After the shift" card (the handoff view, my shifts as
// .ics) and the Team load in the Sources tab's Team card, read from the
// hub whenever that tab is shown.
func (sh *shell) addAfterPage() {
	// Built when their tabs are first shown: laid out at start, in tabs
	// nobody looks at yet, they cost start-up time (issue #12).
	sh.lazy.schedule.beforeShow(func() {
		sh.schedule.cards.Add(widget.NewCard("After the shift", "the handoff for whoever takes over; your shifts for your calendar",
			container.NewHBox(
				widget.NewButton("Handoff…", sh.showHandoff),
				widget.NewButton("Write my shifts as .ics…", sh.saveShiftsICS),
			)))
	})
	load := newTeamLoadView(sh.svc)
	load.changed = sh.sources.root.Refresh
	sh.lazy.sources.beforeShow(func() { sh.sources.teamBox.Add(load.root) })
	prev := sh.tabs.OnSelected
	sh.tabs.OnSelected = func(ti *container.TabItem) {
		if prev != nil {
			prev(ti)
		}
		if ti == sh.lazy.sources.item {
			load.refresh()
		}
	}
}
