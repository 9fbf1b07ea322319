package quiet

import (
	"slices"
	"time"
)

// span is a half-open interval of instants [start, end) during which a
// weekly window (index win) or the ad-hoc override (win = adHoc) is quiet.
type span struct {
	start, end time.Time
	win        int
}

const adHoc = -1

// maxChain bounds how far a run of back-to-back quiet spans is followed.
// The windows repeat weekly, so a run longer than a week never ends.
const maxChain = 8 * 24 * time.Hour

// QuietAt reports whether the user is in quiet hours at now, until when the
// quiet period lasts, and why ("quiet hours (Mon–Fri 22:00–07:00)", "quiet
// until 23:00"). until is the end of the whole quiet period: back-to-back
// and overlapping windows are merged (with Sun–Fri 22:00–07:00 and all-day
// Sat and Sun, Friday 23:00 is quiet until Mon 07:00; with only Mon–Fri
// nights it is quiet until Mon 00:00, as Sunday night has no window), and
// so is the ad-hoc override. A
// quiet period that never ends (every day all day) has a zero until.
//
// loc is the user's local zone; it is used when Rules.Zone is empty or
// names the same zone (pass the resolved zone to avoid a lookup, see
// Location). Windows that Validate would reject are ignored.
func (r Rules) QuietAt(now time.Time, loc *time.Location) (quiet bool, until time.Time, reason string) {
	st := r.state(now, r.Location(loc))
	return st.quiet, st.until, st.reason
}

// quietState is QuietAt's answer plus a short label for reasons.
type quietState struct {
	quiet  bool
	until  time.Time
	reason string // "quiet hours (Mon–Fri 22:00–07:00)"
	label  string // "quiet hours" or "ad-hoc quiet"
}

// state computes QuietAt in loc, already resolved.
func (r Rules) state(now time.Time, loc *time.Location) quietState {
	first, ok := r.spanAt(now, loc)
	if !ok {
		return quietState{}
	}
	st := quietState{quiet: true, until: r.extend(first.end, loc)}
	if first.win == adHoc {
		st.label = "ad-hoc quiet"
		st.reason = "quiet until " + FormatWhen(first.end, now, loc)
		return st
	}
	st.label = "quiet hours"
	st.reason = "quiet hours (" + r.Windows[first.win].String() + ")"
	return st
}

// NextChange returns the next instant after now at which QuietAt changes
// its answer: the end of the current quiet period, or the start of the next
// one. It is zero when nothing will change (no windows, or quiet forever).
func (r Rules) NextChange(now time.Time, loc *time.Location) time.Time {
	loc = r.Location(loc)
	if quiet, until, _ := r.QuietAt(now, loc); quiet {
		return until
	}
	next := time.Time{}
	for _, s := range r.spans(now, now.Add(maxChain), loc) {
		if s.start.After(now) && (next.IsZero() || s.start.Before(next)) {
			next = s.start
		}
	}
	return next
}

// Location returns the zone the rules are evaluated in: Rules.Zone when it
// is set and loads, else local. When local already is that zone (its
// String is Zone) no lookup happens, so callers resolve the zone once and
// pass it in.
func (r Rules) Location(local *time.Location) *time.Location {
	if local == nil {
		local = time.Local
	}
	if r.Zone == "" || r.Zone == local.String() {
		return local
	}
	if z, err := time.LoadLocation(r.Zone); err == nil {
		return z
	}
	return local
}

// QuietFor returns r quiet from now until the given instant, whatever the
// windows say ("quiet for 2 h" is QuietFor(now.Add(2*time.Hour))). It
// clears a pending Resume so the two cannot fight.
func (r Rules) QuietFor(until time.Time) Rules {
	r.QuietUntil = until
	r.ResumedUntil = time.Time{}
	return r
}

// Resume returns r with quiet hours ended at now ("Resume now"): the ad-hoc
// override is cleared and the weekly windows are ignored until the natural
// end of the current quiet period. When the period has no end it resumes
// for maxChain. Outside quiet hours it only clears the override.
func (r Rules) Resume(now time.Time, loc *time.Location) Rules {
	r.QuietUntil = time.Time{}
	quiet, until, _ := r.QuietAt(now, loc)
	switch {
	case !quiet:
	case until.IsZero():
		r.ResumedUntil = now.Add(maxChain)
	default:
		r.ResumedUntil = until
	}
	return r
}

// spanAt returns the span that makes now quiet, the ad-hoc one first.
func (r Rules) spanAt(now time.Time, loc *time.Location) (span, bool) {
	if now.Before(r.QuietUntil) {
		return span{start: now, end: r.QuietUntil, win: adHoc}, true
	}
	for _, s := range r.spans(now, now, loc) {
		if !now.Before(s.start) && now.Before(s.end) {
			return s, true
		}
	}
	return span{}, false
}

// extend follows back-to-back spans from end and returns where the run
// stops, or zero when it runs for longer than maxChain.
func (r Rules) extend(end time.Time, loc *time.Location) time.Time {
	origin := end
	for {
		if end.Sub(origin) > maxChain {
			return time.Time{}
		}
		next, moved := end, false
		if end.Before(r.QuietUntil) {
			next, moved = r.QuietUntil, true
		}
		for _, s := range r.spans(end, end, loc) {
			if !s.start.After(end) && s.end.After(next) {
				next, moved = s.end, true
			}
		}
		if !moved {
			return end
		}
		end = next
	}
}

// spans returns the weekly spans that may overlap [from, to], clipped by
// ResumedUntil, sorted by start. Windows last under two days, so local days
// from the day before from to the day of to cover every candidate.
func (r Rules) spans(from, to time.Time, loc *time.Location) []span {
	var out []span
	lf, lt := from.In(loc), to.In(loc)
	day := time.Date(lf.Year(), lf.Month(), lf.Day()-2, 0, 0, 0, 0, time.UTC)
	last := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
	for ; !day.After(last); day = day.AddDate(0, 0, 1) {
		for i, w := range r.Windows {
			s, ok := w.spanOn(day, loc)
			if !ok {
				continue
			}
			if s.start.Before(r.ResumedUntil) {
				s.start = r.ResumedUntil
			}
			if s.start.Before(s.end) {
				s.win = i
				out = append(out, s)
			}
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.start.Compare(b.start) })
	return out
}

// spanOn returns the window's span starting on the local date of day (a
// UTC midnight carrying the date), if the window runs that weekday.
func (w Window) spanOn(day time.Time, loc *time.Location) (span, bool) {
	from, to, ok := w.bounds()
	if !ok || !w.weekdays()[day.Weekday()] {
		return span{}, false
	}
	start := wallInstant(day, from, loc)
	end := wallInstant(day, to, loc)
	return span{start: start, end: end}, start.Before(end)
}

// wallInstant returns the first instant whose wall clock in loc reaches the
// date of day plus min minutes: the earlier of two instants when the wall
// time repeats (fall-back), the end of the gap when it is skipped
// (spring-forward).
func wallInstant(day time.Time, min int, loc *time.Location) time.Time {
	naive := time.Date(day.Year(), day.Month(), day.Day(), 0, min, 0, 0, time.UTC)
	offsets := nearbyOffsets(naive, loc)
	var best time.Time
	for _, off := range offsets {
		t := naive.Add(-off)
		if offsetAt(t, loc) == off && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if !best.IsZero() {
		return best.In(loc)
	}
	// In a gap: read with the smallest (pre-gap) offset, naive lands just
	// after the transition, whose instant is where that zone period starts.
	t := naive.Add(-slices.Min(offsets)).In(loc)
	start, _ := t.ZoneBounds()
	return start.In(loc)
}

// nearbyOffsets returns the distinct UTC offsets loc uses within a day of
// the naive wall time.
func nearbyOffsets(naive time.Time, loc *time.Location) []time.Duration {
	var offs []time.Duration
	for _, d := range []time.Duration{-26 * time.Hour, 0, 26 * time.Hour} {
		off := offsetAt(naive.Add(d), loc)
		if !slices.Contains(offs, off) {
			offs = append(offs, off)
		}
	}
	return offs
}

func offsetAt(t time.Time, loc *time.Location) time.Duration {
	_, off := t.In(loc).Zone()
	return time.Duration(off) * time.Second
}
