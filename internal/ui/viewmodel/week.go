package viewmodel

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/schedule"
)

// WeekDays is how many days the week view shows, from today.
const WeekDays = 7

// WeekVM is the Schedule tab's picture: a lane per calendar over the next
// seven days in the user's zone, my shifts filled, now marked.
//
// Positions are in days of wall-clock time from today's local midnight:
// 3.375 is the fourth day at 09:00 whatever the zone's offset that day, so
// a shift lands on its day and hour in the user's zone, DST weeks included
// (the hour a spring-forward day skips is simply never reached, and the
// hour a fall-back day repeats is drawn once).
type WeekVM struct {
	Days  []string // "Thu 22", WeekDays of them
	Now   float64  // where now is
	Lanes []Lane
	// Empty is said instead of the lanes when there are none.
	Empty string
}

// Lane is one calendar in the week view.
type Lane struct {
	Name   string
	Who    string // "On call now: Bob, Carol", or ""
	Blocks []Block
}

// Block is one of my shifts in a lane, clipped to the week.
type Block struct {
	From, To float64 // positions, From < To
	Label    string  // "Sun 09:00 – 17:00" for the words beside the picture
}

// Week computes the week view from the schedule (my shifts over at least
// the next seven days, and who is on call now).
func Week(v app.ScheduleView, now time.Time, loc *time.Location) WeekVM {
	local := now.In(loc)
	day0 := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	end := day0.AddDate(0, 0, WeekDays)
	// Now moves in 5-minute steps: the window is only redrawn when
	// something it shows changed.
	vm := WeekVM{Now: math.Floor(WallDays(day0, now, loc)*288) / 288}
	for i := range WeekDays {
		vm.Days = append(vm.Days, day0.AddDate(0, 0, i).Format("Mon 02"))
	}
	lanes := map[string]int{}
	lane := func(name string) *Lane {
		i, ok := lanes[name]
		if !ok {
			i = len(vm.Lanes)
			lanes[name] = i
			vm.Lanes = append(vm.Lanes, Lane{Name: name})
		}
		return &vm.Lanes[i]
	}
	for _, sp := range v.Shifts {
		for _, sh := range sp.Shifts {
			if !sh.End.After(day0) || !sh.Start.Before(end) {
				continue
			}
			l := lane(laneName(sh))
			l.Blocks = append(l.Blocks, block(sh, day0, end, loc))
		}
	}
	for _, w := range v.Who {
		name, _, _ := strings.Cut(w.Schedule, " / ")
		l := lane(name)
		who := strings.Join(w.Who, ", ")
		if l.Who == "" {
			l.Who = "On call now: " + who
		} else {
			l.Who += "; " + who
		}
	}
	if len(vm.Lanes) == 0 {
		vm.Empty = "No shifts this week, and nobody known on call."
	}
	return vm
}

func laneName(sh schedule.Shift) string {
	if sh.Schedule != "" {
		return sh.Schedule
	}
	return sh.Feed
}

func block(sh schedule.Shift, day0, end time.Time, loc *time.Location) Block {
	from, to := sh.Start, sh.End
	if from.Before(day0) {
		from = day0
	}
	if to.After(end) {
		to = end
	}
	b := Block{From: WallDays(day0, from, loc), To: WallDays(day0, to, loc)}
	if to.Equal(end) {
		b.To = WeekDays
	}
	b.Label = fmt.Sprintf("%s – %s", sh.Start.In(loc).Format("Mon 15:04"), sh.End.In(loc).Format("Mon 15:04"))
	return b
}

// WallDays is t's position in days of wall-clock time after day0 (a
// local midnight) in loc: whole days between the local dates, plus the
// local time of day over 24 h.
func WallDays(day0, t time.Time, loc *time.Location) float64 {
	lt := t.In(loc)
	d := time.Date(lt.Year(), lt.Month(), lt.Day(), 12, 0, 0, 0, time.UTC)
	d0 := time.Date(day0.Year(), day0.Month(), day0.Day(), 12, 0, 0, 0, time.UTC)
	days := float64(d.Sub(d0) / (24 * time.Hour))
	secs := lt.Hour()*3600 + lt.Minute()*60 + lt.Second()
	return days + float64(secs)/86400
}
