// Package report computes my interruption report from Standby's own
// history: per week and per shift, how many pages I saw, how many rang me
// loudly (in quiet hours, at night), how many were held for a teammate on
// call, how fast I claimed or acked after a ring, and how many I resolved;
// plus an hour-of-day × weekday grid of the loud interruptions.
//
// It is pure: the history, the shifts and now are parameters. Numbers are
// honest about what was recorded: a period before the history began says
// so instead of showing zeros, one that began before it is marked partial,
// and an empty week says "no pages".
package report

import (
	"time"
)

// Event kinds, as the store records them.
const (
	Loud    = "loud"    // the page rang me
	Held    = "held"    // held, silent, while a teammate on call was rung
	Claimed = "claimed" // I claimed it ("I'm looking")
)

// Page is one page in my history.
type Page struct {
	Key string
	// Seen is when my app first saw it.
	Seen time.Time
	// Acked and Resolved are when I acked or resolved it; zero if I did not.
	Acked, Resolved time.Time
}

// Event is one recorded event of a page (see the kinds above; others are
// ignored).
type Event struct {
	Key  string
	At   time.Time
	Kind string
	// Quiet says I was in quiet hours at At.
	Quiet bool
}

// Shift is one of my merged on-call spans.
type Shift struct {
	Start, End time.Time
	Name       string
}

// Input is everything a report is computed from.
type Input struct {
	Now time.Time
	// Loc is my zone: weeks start on Monday 00:00 there, and night and the
	// grid are read on its wall clock.
	Loc *time.Location
	// Weeks is how many weeks, the current one included; 0 means 4.
	Weeks int
	// Since is when the history began; zero means everything was recorded.
	Since  time.Time
	Pages  []Page
	Events []Event
	Shifts []Shift
	// Night is the night on the wall clock; zero means 22:00–07:00.
	Night Night
}

// Night is a nightly window of whole hours, [From, To) across midnight.
type Night struct{ From, To int }

// DefaultNight is 22:00–07:00.
var DefaultNight = Night{From: 22, To: 7}

// Has reports whether the wall-clock hour h is in the night.
func (n Night) Has(h int) bool {
	if n.From <= n.To {
		return h >= n.From && h < n.To
	}
	return h >= n.From || h < n.To
}

// Counts are the numbers of one period.
type Counts struct {
	Pages     int `json:"pages"`
	Loud      int `json:"loud"`
	LoudQuiet int `json:"loud_in_quiet_hours"`
	LoudNight int `json:"loud_at_night"`
	Held      int `json:"held_for_teammate"`
	Resolved  int `json:"resolved_by_me"`
	// Responded is how many loud pages I claimed or acked after the ring;
	// Median and P90 are their ring → claim/ack times (nearest rank).
	Responded int           `json:"responded"`
	Median    time.Duration `json:"response_median_ns"`
	P90       time.Duration `json:"response_p90_ns"`
}

// Coverage says how much of a period the history covers.
type Coverage string

// Coverages.
const (
	Full       Coverage = "full"
	Partial    Coverage = "partial"
	NotCovered Coverage = "not_recorded"
)

// Period is one row of the report.
type Period struct {
	Label    string    `json:"label"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Coverage Coverage  `json:"coverage"`
	// RecordedFrom and RecordedTo bound what the counts are from: the
	// period cut to the history's start and to now.
	RecordedFrom time.Time `json:"recorded_from,omitzero"`
	RecordedTo   time.Time `json:"recorded_to,omitzero"`
	Counts
	// Note says in words what the numbers cannot: "No pages.",
	// "Not recorded: …", "Recorded from …", "So far".
	Note string `json:"note,omitempty"`
}

// Report is the whole report.
type Report struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Since time.Time `json:"history_since,omitzero"`
	Weeks []Period  `json:"weeks"`
	// Shifts are my shifts that overlap the report's range.
	Shifts []Period `json:"shifts"`
	Total  Period   `json:"total"`
	// Heat counts loud interruptions by weekday (Monday first) and
	// wall-clock hour.
	Heat Grid `json:"heatmap"`
}

// Grid is a weekday × hour count (Monday = 0).
type Grid [7][24]int

// Max is the largest cell.
func (g Grid) Max() int {
	m := 0
	for _, row := range g {
		for _, v := range row {
			m = max(m, v)
		}
	}
	return m
}

// WeekdayIndex is Monday = 0 … Sunday = 6.
func WeekdayIndex(d time.Weekday) int { return (int(d) + 6) % 7 }
