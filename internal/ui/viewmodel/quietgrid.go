package viewmodel

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/quiet"
)

// Grid is the weekly quiet-hours grid the Quiet hours tab edits: one row
// per day, Monday first (Grid[0] is Monday, Grid[6] Sunday), one cell per
// hour; true means the hour is quiet. Hour h of day d is the wall-clock
// hour h:00–h+1:00 in the quiet-hours zone.
type Grid [7][24]bool

// GridDays are the short day names of the grid's rows, Monday first.
var GridDays = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// gridKeys are the config day names of the grid's rows.
var gridKeys = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

const hoursPerWeek = 7 * 24

func (g *Grid) at(i int) bool     { i = mod(i, hoursPerWeek); return g[i/24][i%24] }
func (g *Grid) set(i int, v bool) { i = mod(i, hoursPerWeek); g[i/24][i%24] = v }
func mod(a, n int) int            { return ((a % n) + n) % n }

// GridFromWindows marks every hour that a weekly window touches. A window
// belongs to the day it starts on, so "Sun 22:00–07:00" marks Sunday
// 22–24 and Monday 0–7. Times that are not on the hour are rounded
// outwards (22:30–06:15 marks 22:00–07:00); see HourAligned. Windows that
// quiet.Rules.Validate rejects are skipped.
func GridFromWindows(ws []quiet.Window) Grid {
	var g Grid
	for _, w := range ws {
		from, to, ok := windowBounds(w)
		if !ok {
			continue
		}
		for _, d := range windowDays(w) {
			for m := from - from%60; m < to; m += 60 {
				g.set(d*24+m/60, true)
			}
		}
	}
	return g
}

// HourAligned reports whether every window starts and ends on the hour, so
// that the grid shows the windows exactly (and saving the grid keeps them).
func HourAligned(ws []quiet.Window) bool {
	for _, w := range ws {
		from, to, ok := windowBounds(w)
		if ok && (from%60 != 0 || to%60 != 0) {
			return false
		}
	}
	return true
}

// windowBounds returns the window in minutes after midnight of its start
// day (to may pass midnight); ok is false for an invalid window.
func windowBounds(w quiet.Window) (from, to int, ok bool) {
	if w.AllDay {
		return 0, 24 * 60, w.From == "" && w.To == ""
	}
	from, err1 := quiet.ParseClock(w.From)
	to, err2 := quiet.ParseClock(w.To)
	if err1 != nil || err2 != nil || from == to || from == 24*60 {
		return 0, 0, false
	}
	if to < from {
		to += 24 * 60
	}
	return from, to, true
}

// dayIndex maps config day names to grid rows (Monday 0).
var dayIndex = map[string]int{
	"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
	"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}

// windowDays returns the grid rows a window starts on: single days and
// ranges, which may wrap ("fri-mon"), as quiet.Window.Days allows.
func windowDays(w quiet.Window) []int {
	var out []int
	for _, s := range w.Days {
		s = strings.ToLower(strings.TrimSpace(s))
		if d, ok := dayIndex[s]; ok {
			out = append(out, d)
			continue
		}
		a, b, _ := strings.Cut(s, "-")
		da, okA := dayIndex[strings.TrimSpace(a)]
		db, okB := dayIndex[strings.TrimSpace(b)]
		if !okA || !okB {
			continue
		}
		for d := da; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == db {
				break
			}
		}
	}
	return out
}

// shape is a window without its days: from/to in hours after midnight of
// the start day (to ≤ from crosses midnight, to 24 is "24:00").
type shape struct {
	from, to int
	allDay   bool
}

// WindowsFromGrid returns few windows that mark exactly the grid's hours:
// whole days become all_day, a run of hours that crosses midnight becomes
// one window on the day it starts ("Mon 22:00–07:00"), and days with the
// same window share one entry (Days "mon-fri"). Where the night runs into
// or out of an all-day day, it reuses a night shape that other days have,
// so that the default rules come back as written: Sun–Fri 22:00–07:00 and
// Sat, Sun all day. An empty grid gives no windows.
func WindowsFromGrid(g Grid) []quiet.Window {
	var full [7]bool
	for d := range 7 {
		full[d] = !slices.Contains(g[d][:], false)
	}
	byShape := map[shape][]int{}
	add := func(d int, s shape) { byShape[s] = append(byShape[s], d) }
	for d := range 7 {
		if full[d] {
			add(d, shape{allDay: true})
		}
	}
	nights := nightShapes(g, full)
	for d := range 7 {
		if !full[d] {
			for _, s := range dayShapes(g, full, d, nights) {
				add(d, s)
			}
		} else if k := morning(g, d+1); !full[(d+1)%7] && k > 0 {
			// The next morning follows an all-day day: cover it with a
			// night that starts today if another day has one ending then.
			if s, ok := pickNight(nights, func(s shape) bool { return s.to == k }); ok {
				add(d, s)
			}
		}
	}
	return group(byShape)
}

// morning returns how many hours from midnight day d is quiet (0–24).
func morning(g Grid, d int) int {
	d = mod(d, 7)
	k := 0
	for k < 24 && g[d][k] {
		k++
	}
	return k
}

// nightShapes are the nights that cross midnight between two days that are
// not all day: the shapes other nights may copy.
func nightShapes(g Grid, full [7]bool) map[shape]int {
	out := map[shape]int{}
	for d := range 7 {
		next := (d + 1) % 7
		if full[d] || full[next] || !g[d][23] {
			continue
		}
		h := 23
		for g[d][h-1] {
			h--
		}
		if k := morning(g, next); k > 0 && k < h {
			out[shape{from: h, to: k}]++
		}
	}
	return out
}

// pickNight returns the most common night shape that fits (ties: the
// earliest start, then the earliest end).
func pickNight(nights map[shape]int, fits func(shape) bool) (shape, bool) {
	var best shape
	n := 0
	for s, c := range nights {
		if !fits(s) {
			continue
		}
		if c > n || (c == n && (s.from < best.from || (s.from == best.from && s.to < best.to))) {
			best, n = s, c
		}
	}
	return best, n > 0
}

// dayShapes covers the quiet hours of a day d that is not all day. Its
// morning belongs to the night before when that night crosses midnight.
func dayShapes(g Grid, full [7]bool, d int, nights map[shape]int) []shape {
	prev, next := mod(d-1, 7), (d+1)%7
	var out []shape
	h := 0
	if k := morning(g, d); k > 0 {
		if !coveredByPrevNight(g, full, prev, k, nights) {
			out = append(out, shape{from: 0, to: k})
		}
		h = k
	}
	for h < 24 {
		if !g[d][h] {
			h++
			continue
		}
		e := h
		for e < 24 && g[d][e] {
			e++
		}
		out = append(out, evening(g, full, d, next, h, e, nights))
		h = e
	}
	return out
}

// coveredByPrevNight reports whether the morning [0,k) of a day is part of
// a window that starts the day before.
func coveredByPrevNight(g Grid, full [7]bool, prev, k int, nights map[shape]int) bool {
	if !g[prev][23] {
		return false
	}
	if full[prev] {
		_, ok := pickNight(nights, func(s shape) bool { return s.to == k })
		return ok
	}
	h := 23
	for g[prev][h-1] {
		h--
	}
	return k < h
}

// evening returns the window for the run [h,e) of day d: a plain window,
// or, when the run reaches midnight, one that crosses it.
func evening(g Grid, full [7]bool, d, next, h, e int, nights map[shape]int) shape {
	if e < 24 || !g[next][0] {
		return shape{from: h, to: e % 24}
	}
	if full[next] {
		if s, ok := pickNight(nights, func(s shape) bool { return s.from == h }); ok {
			return s
		}
		return shape{from: h, to: 0}
	}
	if k := morning(g, next); k < h {
		return shape{from: h, to: k}
	}
	return shape{from: h, to: 0}
}

// group turns shapes with their days into windows, ordered by their first
// day (Monday first), then by start.
func group(byShape map[shape][]int) []quiet.Window {
	type entry struct {
		s    shape
		days []int
	}
	var es []entry
	for s, days := range byShape {
		slices.Sort(days)
		es = append(es, entry{s, slices.Compact(days)})
	}
	slices.SortFunc(es, func(a, b entry) int {
		if a.days[0] != b.days[0] {
			return a.days[0] - b.days[0]
		}
		if a.s.allDay != b.s.allDay {
			if a.s.allDay {
				return 1
			}
			return -1
		}
		if a.s.from != b.s.from {
			return a.s.from - b.s.from
		}
		return a.s.to - b.s.to
	})
	out := make([]quiet.Window, 0, len(es))
	for _, e := range es {
		w := quiet.Window{Days: dayList(e.days), AllDay: e.s.allDay}
		if !e.s.allDay {
			to := e.s.to
			if to == 0 {
				to = 24
			}
			w.From, w.To = quiet.FormatClock(e.s.from*60), quiet.FormatClock(to*60)
		}
		out = append(out, w)
	}
	return out
}

// dayList writes sorted grid rows as config day names, runs of three or
// more as ranges: [0 1 2 3 4 6] → ["mon-fri", "sun"].
func dayList(days []int) []string {
	var out []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && days[j+1] == days[j]+1 {
			j++
		}
		if j-i >= 2 {
			out = append(out, gridKeys[days[i]]+"-"+gridKeys[days[j]])
		} else {
			for k := i; k <= j; k++ {
				out = append(out, gridKeys[days[k]])
			}
		}
		i = j + 1
	}
	return out
}

// GridSummary describes each day of the grid in words, for screen readers
// and as the text under the grid: "Mon: quiet 00:00–07:00, 22:00–24:00",
// "Sat: quiet all day", "Wed: never quiet".
func GridSummary(g Grid) [7]string {
	var out [7]string
	for d := range 7 {
		var runs []string
		for h := 0; h < 24; {
			if !g[d][h] {
				h++
				continue
			}
			e := h
			for e < 24 && g[d][e] {
				e++
			}
			runs = append(runs, fmt.Sprintf("%02d:00–%02d:00", h, e))
			h = e
		}
		switch {
		case len(runs) == 0:
			out[d] = GridDays[d] + ": never quiet"
		case runs[0] == "00:00–24:00":
			out[d] = GridDays[d] + ": quiet all day"
		default:
			out[d] = GridDays[d] + ": quiet " + strings.Join(runs, ", ")
		}
	}
	return out
}

// QuietHours counts the quiet hours in the grid.
func (g Grid) QuietHours() int {
	n := 0
	for i := range hoursPerWeek {
		if g.at(i) {
			n++
		}
	}
	return n
}

// GridZone says which zone the grid's hours are in, with its abbreviation
// at now: "Times are in Europe/Berlin (CEST)". loc is the zone the rules
// are evaluated in (quiet.Rules.Location of the user's zone).
func GridZone(loc *time.Location, now time.Time) string {
	name := loc.String()
	abbr, _ := now.In(loc).Zone()
	switch name {
	case "Local", "":
		return fmt.Sprintf("Times are in your system time zone (%s)", abbr)
	case abbr:
		return "Times are in " + name
	}
	return fmt.Sprintf("Times are in %s (%s)", name, abbr)
}
