package report

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Compute makes the report.
func Compute(in Input) Report {
	in = withDefaults(in)
	first := weekStart(in.Now, in.Loc).AddDate(0, 0, -7*(in.Weeks-1))
	r := Report{From: first, To: in.Now, Since: in.Since, Weeks: []Period{}, Shifts: []Period{}}
	for i := range in.Weeks {
		start := first.AddDate(0, 0, 7*i)
		label := "Week of " + start.Format("Mon 02 Jan 2006")
		r.Weeks = append(r.Weeks, in.period(label, start, start.AddDate(0, 0, 7)))
	}
	for _, sh := range in.Shifts {
		if sh.Start.Before(in.Now) && sh.End.After(first) {
			label := fmt.Sprintf("%s %s → %s", sh.Name, sh.Start.In(in.Loc).Format("Mon 02 Jan 15:04"), sh.End.In(in.Loc).Format("Mon 02 Jan 15:04"))
			r.Shifts = append(r.Shifts, in.period(label, sh.Start, sh.End))
		}
	}
	r.Total = in.period("Total", first, first.AddDate(0, 0, 7*in.Weeks))
	r.Heat = in.heat(first, in.Now)
	return r
}

func withDefaults(in Input) Input {
	if in.Loc == nil {
		in.Loc = time.UTC
	}
	if in.Weeks <= 0 {
		in.Weeks = 4
	}
	if in.Night == (Night{}) {
		in.Night = DefaultNight
	}
	return in
}

// weekStart is Monday 00:00 on the wall clock of the week holding t.
func weekStart(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()-WeekdayIndex(l.Weekday()), 0, 0, 0, 0, loc)
}

// period counts what happened in [start, end), cut to what was recorded.
func (in Input) period(label string, start, end time.Time) Period {
	p := Period{Label: label, Start: start, End: end, Coverage: Full}
	from, to := start, end
	if !in.Since.IsZero() && in.Since.After(from) {
		from = in.Since
	}
	if in.Now.Before(to) {
		to = in.Now
	}
	if !from.Before(to) {
		p.Coverage = NotCovered
		if !in.Since.IsZero() && !end.After(in.Since) {
			p.Note = "Not recorded: Standby's history begins " + in.Since.In(in.Loc).Format("Mon 02 Jan 2006 15:04") + "."
		} else {
			p.Note = "Not yet."
		}
		return p
	}
	p.RecordedFrom, p.RecordedTo = from, to
	p.Counts = in.count(from, to)
	var notes []string
	if from.After(start) {
		p.Coverage = Partial
		notes = append(notes, "Recorded from "+from.In(in.Loc).Format("Mon 02 Jan 15:04")+".")
	}
	if to.Before(end) {
		notes = append(notes, "So far (until "+to.In(in.Loc).Format("Mon 02 Jan 15:04")+").")
	}
	if p.Counts == (Counts{}) {
		notes = append(notes, "No pages.")
	}
	for i, n := range notes {
		if i > 0 {
			p.Note += " "
		}
		p.Note += n
	}
	return p
}

func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// count is the numbers of [from, to).
func (in Input) count(from, to time.Time) Counts {
	var c Counts
	for _, pg := range in.Pages {
		if within(pg.Seen, from, to) {
			c.Pages++
		}
		if !pg.Resolved.IsZero() && within(pg.Resolved, from, to) {
			c.Resolved++
		}
	}
	rung := map[string]time.Time{} // first loud ring of each page in the period
	for _, e := range in.Events {
		if !within(e.At, from, to) {
			continue
		}
		switch e.Kind {
		case Loud:
			c.Loud++
			if e.Quiet {
				c.LoudQuiet++
			}
			if in.Night.Has(e.At.In(in.Loc).Hour()) {
				c.LoudNight++
			}
			if _, ok := rung[e.Key]; !ok {
				rung[e.Key] = e.At
			}
		case Held:
			c.Held++
		}
	}
	times := in.responses(rung)
	c.Responded = len(times)
	c.Median, c.P90 = percentile(times, 50), percentile(times, 90)
	return c
}

// responses are, for each rung page, the time from the ring to my first
// claim or ack at or after it.
func (in Input) responses(rung map[string]time.Time) []time.Duration {
	answer := map[string]time.Time{}
	first := func(key string, t time.Time) {
		ring, ok := rung[key]
		if !ok || t.IsZero() || t.Before(ring) {
			return
		}
		if old, ok := answer[key]; !ok || t.Before(old) {
			answer[key] = t
		}
	}
	for _, e := range in.Events {
		if e.Kind == Claimed {
			first(e.Key, e.At)
		}
	}
	for _, pg := range in.Pages {
		first(pg.Key, pg.Acked)
	}
	out := make([]time.Duration, 0, len(answer))
	for key, t := range answer {
		out = append(out, t.Sub(rung[key]))
	}
	slices.Sort(out)
	return out
}

// percentile is the nearest-rank p-th percentile of sorted d; 0 when empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

// heat is the weekday × hour grid of loud rings in [from, to).
func (in Input) heat(from, to time.Time) Grid {
	var g Grid
	for _, e := range in.Events {
		if e.Kind != Loud || !within(e.At, from, to) || (!in.Since.IsZero() && e.At.Before(in.Since)) {
			continue
		}
		l := e.At.In(in.Loc)
		g[WeekdayIndex(l.Weekday())][l.Hour()]++
	}
	return g
}
