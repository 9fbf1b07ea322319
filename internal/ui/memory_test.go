package ui

import (
	"runtime/debug"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// The views are re-applied whenever anything on screen changes; the list
// of days is rebuilt (new labels, laid out again) only when it changed.
func TestScheduleKeepsItsDaysWhileUnchanged(t *testing.T) {
	test.NewTempApp(t)
	now := time.Date(2026, 10, 22, 6, 0, 0, 0, time.UTC)
	sv := app.ScheduleView{Shifts: []schedule.Span{{Start: now.Add(time.Hour), End: now.Add(9 * time.Hour), Schedules: []string{"Payments"}}}}
	v := newScheduleView(newFake())
	v.apply(viewmodel.Schedule(sv, now, time.UTC))
	first := v.days.Objects[0]
	v.apply(viewmodel.Schedule(sv, now.Add(30*time.Second), time.UTC))
	if v.days.Objects[0] != first {
		t.Error("the same days were rebuilt")
	}
	sv.Shifts = append(sv.Shifts, schedule.Span{Start: now.Add(30 * time.Hour), End: now.Add(38 * time.Hour), Schedules: []string{"Database"}})
	v.apply(viewmodel.Schedule(sv, now, time.UTC))
	if len(v.days.Objects) != 4 || v.days.Objects[0] == first {
		t.Errorf("a new day was not shown: %d objects", len(v.days.Objects))
	}
}

// GOGC set by the user wins over the window's own setting.
func TestTuneGCLeavesTheUsersGOGC(t *testing.T) {
	t.Setenv("GOGC", "100")
	before := debugGCPercent()
	tuneGC()
	if got := debugGCPercent(); got != before {
		t.Errorf("GOGC set by the user, yet the GC percent went from %d to %d", before, got)
	}
}

// debugGCPercent reads the GC percent (setting it back at once).
func debugGCPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The banner strip keeps its rows while the banners stay the same, and
// rebuilds them when one comes or goes.
func TestBannersKeepTheirRowsWhileUnchanged(t *testing.T) {
	a := test.NewTempApp(t)
	v := newBannersView(a.NewWindow("t"))
	bs := []app.Banner{{Level: "warning", Text: "Opsgenie moves to JSM."}}
	v.apply(bs)
	first := v.root.Objects[0]
	v.apply(slices.Clone(bs))
	if v.root.Objects[0] != first {
		t.Error("the same banners were built again")
	}
	v.apply(append(slices.Clone(bs), app.Banner{Level: "error", Text: "Desktop notifications are failing."}))
	if len(v.root.Objects) != 2 || v.root.Objects[1] == first {
		t.Errorf("a new banner was not shown first: %d rows", len(v.root.Objects))
	}
}

// The C heap is trimmed every trimEvery, not on every tick.
func TestTrimmerWaitsTrimEvery(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	var tr trimmer
	tr.due(t0)
	if !tr.last.Equal(t0) {
		t.Fatalf("the first call did not start the clock: %v", tr.last)
	}
	tr.due(t0.Add(trimEvery - time.Second))
	if !tr.last.Equal(t0) {
		t.Errorf("trimmed %v after the last trim", trimEvery-time.Second)
	}
	tr.due(t0.Add(trimEvery))
	if !tr.last.Equal(t0.Add(trimEvery)) {
		t.Errorf("not trimmed after %v", trimEvery)
	}
}
