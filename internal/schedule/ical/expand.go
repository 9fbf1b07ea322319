package ical

import (
	"fmt"
	"time"
)

// EndMode selects how DTEND turns into an occurrence's end.
type EndMode int

const (
	// EndExact keeps the exact duration DTEND−DTSTART (RFC 5545 §3.8.5.3).
	EndExact EndMode = iota
	// EndWallClock keeps the wall-clock difference instead (Google Calendar).
	EndWallClock
)

// Options controls Expand.
type Options struct {
	// FloatingZone places floating times and all-day dates; nil means UTC.
	FloatingZone *time.Location
	// Max keeps only the first Max occurrences in sort order; 0 = all.
	Max int
	// EndMode is EndExact (default) or EndWallClock.
	EndMode EndMode
	// MaxIter caps RRULE steps per event (default 2,000,000).
	MaxIter int
}

// RecurrenceID identifies an instance of a recurring event: its original
// start (an instant, or a date for all-day series).
type RecurrenceID struct {
	Time   time.Time // instant (UTC); midnight UTC of the date when IsDate
	IsDate bool
}

// Occurrence is one expanded instance.
type Occurrence struct {
	UID          string        // UID of the VEVENT
	NoUID        bool          // the VEVENT had no UID (printed as null)
	RecurrenceID *RecurrenceID // nil for an event without RRULE/RDATE
	Start, End   time.Time     // instants (UTC); all-day: midnight in the floating zone
	AllDay       bool          // DTSTART was a DATE; End is exclusive
	Floating     bool          // DTSTART was a floating local time
	Summary      string        // SUMMARY, unescaped (of the override when overridden)
	NoSummary    bool          // no SUMMARY (printed as null)
	Status       string        // STATUS in upper case, e.g. CANCELLED (still expanded)
	Description  string        // DESCRIPTION, unescaped
	Attendees    []Attendee    // ATTENDEE e-mails and CN names

	// exact formatting data kept by Expand (WriteJSONL falls back to the
	// exported fields for occurrences built elsewhere)
	raw              bool
	startDay, endDay int64 // all-day dates (day numbers)
	ridKind          uint8 // 1 date, 2 instant
	rid              int64 // date wall clock or instant
}

// Expand returns the occurrences that overlap [from, to): start < to and
// end > from, or, for a zero-length one, from <= start < to. They are sorted
// by start, UID, recurrence ID, end and summary. Expand never panics on
// malformed input and its work is bounded.
func (c *Calendar) Expand(from, to time.Time, opts Options) ([]Occurrence, error) {
	occs, _, err := c.ExpandWarnings(from, to, opts)
	return occs, err
}

// ExpandWarnings is Expand that also returns the expansion warnings (skipped
// occurrences, iteration caps, clamped ends).
func (c *Calendar) ExpandWarnings(from, to time.Time, opts Options) (occs []Occurrence, warns []Warning, err error) {
	defer func() {
		if r := recover(); r != nil {
			occs, err = nil, fmt.Errorf("expanding calendar: internal error: %v", r)
		}
	}()
	x := newExpander(c, from.Unix(), to.Unix(), opts)
	x.run()
	return x.result(), x.warns, nil
}

// occ is the compact internal form of an occurrence.
type occ struct {
	s, e     int64 // start/end instants
	rid      int64 // recurrence id: wall clock of the date (ridKind 1) or instant (2)
	txt      int32 // index in Calendar.events of the event whose UID/SUMMARY… apply
	seq      int32 // emission order (makes the sort stable)
	startDay int32 // all-day start/end dates (day numbers)
	endDay   int32
	ridKind  uint8 // 0 none, 1 date, 2 instant
	allDay   bool
	floating bool
}

type expander struct {
	cal     *Calendar
	fromS   int64
	toS     int64
	max     int
	maxIter int
	wall    bool
	float   *zone
	out     []occ   // occurrences in the window (full chunks are in done)
	done    [][]occ // filled chunks (no copying while growing)
	n       int32   // occurrences added so far
	cands   []cand  // scratch buffer reused across series
	warns   []Warning
}

func newExpander(c *Calendar, fromS, toS int64, opts Options) *expander {
	x := &expander{cal: c, fromS: fromS, toS: toS, max: opts.Max, maxIter: opts.MaxIter,
		wall: opts.EndMode == EndWallClock}
	if x.maxIter <= 0 {
		x.maxIter = 2_000_000
	}
	if loc := opts.FloatingZone; loc != nil && loc != time.UTC && loc.String() != "UTC" {
		x.float = newIANAZone(loc.String(), loc)
	}
	return x
}

func (x *expander) warn(e *event, format string, args ...any) {
	if len(x.warns) < 200 {
		line := 0
		if e != nil {
			line = e.line
		}
		x.warns = append(x.warns, Warning{line, fmt.Sprintf(format, args...)})
	}
}

type group struct {
	masters   []*event
	overrides []*event
}

func (x *expander) run() {
	var groups []*group
	byUID := map[string]*group{}
	for i, e := range x.cal.events {
		e.index = int32(i)
		var g *group
		if e.hasUID {
			g = byUID[e.uid]
		}
		if g == nil {
			g = &group{}
			groups = append(groups, g)
			if e.hasUID {
				byUID[e.uid] = g
			}
		}
		if e.rid != nil || e.ridErr != nil {
			g.overrides = append(g.overrides, e)
		} else {
			g.masters = append(g.masters, e)
		}
	}
	for _, g := range groups {
		x.expandGroup(g)
	}
	x.flatten()
}
