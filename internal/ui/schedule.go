package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// scheduleView is the Schedule tab.
type scheduleView struct {
	root     fyne.CanvasObject
	headline *widget.Label
	who      *widget.Label
	days     *fyne.Container
	shown    []viewmodel.ScheduleDay // what days shows (nil: nothing yet)
	feeds    *widget.Label
	week     *weekChart
	refresh  *widget.Button
	// cards holds the tab's cards (the shell adds "After the shift").
	cards *fyne.Container
}

func newScheduleView(svc scheduleService) *scheduleView {
	v := &scheduleView{
		headline: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		who:      widget.NewLabel(""),
		days:     container.NewVBox(),
		feeds:    widget.NewLabel(""),
	}
	v.feeds.Wrapping = fyne.TextWrapWord
	v.week = newWeekChart()
	refresh := widget.NewButton("Refresh now", func() { svc.RefreshFeeds("") })
	v.refresh = refresh
	v.cards = container.NewVBox(
		v.headline,
		widget.NewCard("Next 7 days", "my shifts filled, in your time zone; the red line is now", v.week),
		widget.NewCard("On call now", "", v.who),
		widget.NewCard("My shifts, next 90 days", "in your time zone, merged across calendars", v.days),
		widget.NewCard("Calendars", "", container.NewVBox(v.feeds, container.NewHBox(refresh))),
	)
	v.root = container.NewVScroll(v.cards)
	return v
}

func (v *scheduleView) apply(vm viewmodel.ScheduleVM) {
	v.week.set(vm.Week)
	setText(v.headline, vm.Headline)
	if len(vm.Who) == 0 {
		setText(v.who, "Nobody known.")
	} else {
		setText(v.who, strings.Join(vm.Who, "\n"))
	}
	if v.shown == nil || !slices.EqualFunc(v.shown, vm.Days, sameDay) {
		v.setDays(vm.Days)
	}
	if vm.Empty != "" {
		setText(v.feeds, vm.Empty)
	} else {
		setText(v.feeds, strings.Join(vm.Feeds, "\n"))
	}
}

// setDays replaces the list of days (two labels a day).
func (v *scheduleView) setDays(days []viewmodel.ScheduleDay) {
	v.shown = append(make([]viewmodel.ScheduleDay, 0, len(days)), days...)
	objs := make([]fyne.CanvasObject, 0, 2*len(days))
	for _, d := range days {
		objs = append(objs, widget.NewLabelWithStyle(d.Day, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			widget.NewLabel(strings.Join(d.Shifts, "\n")))
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel("No shifts."))
	}
	v.days.Objects = objs
	v.days.Refresh()
}

func sameDay(a, b viewmodel.ScheduleDay) bool {
	return a.Day == b.Day && slices.Equal(a.Shifts, b.Shifts)
}
