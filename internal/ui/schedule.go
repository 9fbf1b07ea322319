package ui

import (
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
	feeds    *widget.Label
	week     *weekChart
	refresh  *widget.Button
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
	v.root = container.NewVScroll(container.NewVBox(
		v.headline,
		widget.NewCard("Next 7 days", "my shifts filled, in your time zone; the red line is now", v.week),
		widget.NewCard("On call now", "", v.who),
		widget.NewCard("My shifts, next 90 days", "in your time zone, merged across calendars", v.days),
		widget.NewCard("Calendars", "", container.NewVBox(v.feeds, container.NewHBox(refresh))),
	))
	return v
}

func (v *scheduleView) apply(vm viewmodel.ScheduleVM) {
	v.week.set(vm.Week)
	v.headline.SetText(vm.Headline)
	if len(vm.Who) == 0 {
		v.who.SetText("Nobody known.")
	} else {
		v.who.SetText(strings.Join(vm.Who, "\n"))
	}
	objs := make([]fyne.CanvasObject, 0, len(vm.Days))
	for _, d := range vm.Days {
		objs = append(objs, widget.NewLabelWithStyle(d.Day, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			widget.NewLabel(strings.Join(d.Shifts, "\n")))
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel("No shifts."))
	}
	v.days.Objects = objs
	v.days.Refresh()
	if vm.Empty != "" {
		v.feeds.SetText(vm.Empty)
	} else {
		v.feeds.SetText(strings.Join(vm.Feeds, "\n"))
	}
}
