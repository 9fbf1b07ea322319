package viewmodel

import (
	"fmt"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/app"
)

// ScheduleDay is one day of the Schedule tab with my shifts on it.
type ScheduleDay struct {
	Day    string   // "Mon 23 Nov"
	Shifts []string // "09:00 → Mon 30 Nov 09:00 · Payments on-call"
}

// ScheduleVM is the Schedule tab.
type ScheduleVM struct {
	// Headline is "On call for X until Mon 09:00 (4 d 2 h left)" or
	// "Next shift Thu 09:00 (in 2 d 3 h)".
	Headline string
	Who      []string // "Payments / Primary: Bob"
	Days     []ScheduleDay
	Feeds    []string // "primary — ok, synced 3 min ago" / "… stale: server said 500"
	Empty    string
	// Week is the next seven days as a picture.
	Week WeekVM
}

// Schedule computes the Schedule tab: my shifts grouped by local day.
func Schedule(v app.ScheduleView, now time.Time, loc *time.Location) ScheduleVM {
	vm := ScheduleVM{Week: Week(v, now, loc)}
	switch {
	case v.OnCall.OnCall:
		vm.Headline = fmt.Sprintf("On call for %s until %s (%s left)", v.OnCall.Schedule,
			v.OnCall.Until.In(loc).Format("Mon 02 Jan 15:04"), Countdown(v.OnCall.Until.Sub(now)))
	case v.Next != nil:
		vm.Headline = fmt.Sprintf("Not on call. Next shift %s (in %s)", v.Next.Start.In(loc).Format("Mon 02 Jan 15:04"), Countdown(v.Next.Start.Sub(now)))
	default:
		vm.Headline = "Not on call, and no shift in the next 90 days."
	}
	for _, w := range v.Who {
		vm.Who = append(vm.Who, fmt.Sprintf("%s: %s", w.Schedule, strings.Join(w.Who, ", ")))
	}
	byDay := map[string]int{}
	for _, sp := range v.Shifts {
		start := sp.Start.In(loc)
		if start.Before(now) {
			start = now.In(loc)
		}
		day := start.Format("Mon 02 Jan")
		i, ok := byDay[day]
		if !ok {
			i = len(vm.Days)
			byDay[day] = i
			vm.Days = append(vm.Days, ScheduleDay{Day: day})
		}
		vm.Days[i].Shifts = append(vm.Days[i].Shifts, fmt.Sprintf("%s → %s · %s",
			shiftStart(sp.Start.In(loc), start), sp.End.In(loc).Format("Mon 02 Jan 15:04"), sp.ScheduleNames()))
	}
	for _, f := range v.Feeds {
		st := "ok"
		switch {
		case f.Stale && f.Err != "":
			st = "stale, keeping the last good copy: " + f.Err
		case f.Stale:
			st = "not synced yet"
		case !f.LastSuccess.IsZero():
			st = "ok, synced " + Ago(now.Sub(f.LastSuccess))
		}
		vm.Feeds = append(vm.Feeds, fmt.Sprintf("%s — %s", f.Name, st))
	}
	if len(v.Feeds) == 0 {
		vm.Empty = "No calendar feeds. Add your PagerDuty, Opsgenie, GoAlert or Grafana OnCall calendar with `standby feed add NAME URL --me email:you@example.com`."
	}
	return vm
}

// shiftStart is a shift's start as its line under day (the local day it
// is listed on) shows it: "09:00" on its own day, "since Sat 21 Nov 09:00"
// for a shift under way that began on an earlier day (listed under today).
func shiftStart(start, day time.Time) string {
	if y, m, d := start.Date(); y == day.Year() && m == day.Month() && d == day.Day() {
		return start.Format("15:04")
	}
	return "since " + start.Format("Mon 02 Jan 15:04")
}

// Countdown renders a duration as "4 d 2 h", "3 h 05 min" or "12 min".
func Countdown(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d d %d h", int(d.Hours())/24, int(d.Hours())%24)
	case d >= time.Hour:
		return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
}
