package viewmodel

import (
	"math"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/schedule"
)

// dstWeek is a week in Berlin with the autumn change (Sun 25 Oct 2026,
// 03:00 CEST → 02:00 CET): a shift on Sunday at 09:00 local must sit on
// the fourth day at 09:00, not an hour off.
func dstWeek() (app.ScheduleView, time.Time) {
	at := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, berlin) }
	sh := func(name string, from, to time.Time) schedule.Span {
		return schedule.Span{Start: from, End: to, Schedules: []string{name},
			Shifts: []schedule.Shift{{Feed: "f", Schedule: name, Start: from, End: to}}}
	}
	v := app.ScheduleView{
		Shifts: []schedule.Span{
			sh("Payments", at(20, 9), at(22, 9)),  // starts before the week
			sh("Payments", at(25, 9), at(25, 17)), // the DST Sunday
			sh("Database", at(24, 20), at(25, 8)), // across the change
			sh("Database", at(28, 9), at(30, 9)),  // runs past the week
		},
		Who: []schedule.OnDuty{{Schedule: "Payments / Primary", Who: []string{"me"}}, {Schedule: "Search", Who: []string{"Bob"}}},
	}
	return v, at(22, 6) // Thu 22 Oct 06:00
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestWeekPlacesShiftsOnLocalDayAndHourAcrossDST(t *testing.T) {
	v, now := dstWeek()
	vm := Week(v, now, berlin)
	if vm.Days[0] != "Thu 22" || vm.Days[6] != "Wed 28" || len(vm.Days) != 7 {
		t.Fatalf("days %v", vm.Days)
	}
	if !near(vm.Now, 0.25) {
		t.Fatalf("now at %v, want 0.25 (06:00 on the first day)", vm.Now)
	}
	if len(vm.Lanes) != 3 || vm.Lanes[0].Name != "Payments" || vm.Lanes[1].Name != "Database" || vm.Lanes[2].Name != "Search" {
		t.Fatalf("lanes %+v", vm.Lanes)
	}
	pay := vm.Lanes[0].Blocks
	if len(pay) != 2 || !near(pay[0].From, 0) || !near(pay[0].To, 0.375) {
		t.Fatalf("first Payments block %+v, want clipped to [0, 0.375)", pay)
	}
	if !near(pay[1].From, 3+9.0/24) || !near(pay[1].To, 3+17.0/24) {
		t.Fatalf("the DST Sunday's shift at %v–%v, want day 3 09:00–17:00", pay[1].From, pay[1].To)
	}
	db := vm.Lanes[1].Blocks
	if !near(db[0].From, 2+20.0/24) || !near(db[0].To, 3+8.0/24) {
		t.Fatalf("the shift across the change at %v–%v, want Sat 20:00 – Sun 08:00", db[0].From, db[0].To)
	}
	if !near(db[1].From, 6+9.0/24) || db[1].To != WeekDays || db[1].Label != "Wed 09:00 – Fri 09:00" {
		t.Fatalf("the shift past the week %+v", db[1])
	}
	if vm.Lanes[0].Who != "On call now: me" || vm.Lanes[2].Who != "On call now: Bob" || len(vm.Lanes[2].Blocks) != 0 {
		t.Fatalf("who: %q %q", vm.Lanes[0].Who, vm.Lanes[2].Who)
	}
	// Spring forward (Sun 29 Mar 2026): 09:00 is still 9/24 into day 3.
	spring := time.Date(2026, 3, 26, 12, 0, 0, 0, berlin)
	if got := WallDays(time.Date(2026, 3, 26, 0, 0, 0, 0, berlin), time.Date(2026, 3, 29, 9, 0, 0, 0, berlin), berlin); !near(got, 3+9.0/24) {
		t.Fatalf("spring-forward Sunday 09:00 at %v", got)
	}
	if got := Week(app.ScheduleView{}, spring, berlin); got.Empty == "" || len(got.Lanes) != 0 {
		t.Fatalf("empty week: %+v", got)
	}
}
