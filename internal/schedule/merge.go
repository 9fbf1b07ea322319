package schedule

import (
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/quiet"
)

// Span is a stretch of time on call: shifts that overlap or touch, across
// feeds, merged into one.
type Span struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Schedules are the schedules involved, in order of first appearance.
	Schedules []string `json:"schedules"`
	// Shifts are the merged shifts, sorted by start.
	Shifts []Shift `json:"shifts"`
}

// ScheduleNames joins the span's schedules with ", ".
func (s Span) ScheduleNames() string { return strings.Join(s.Schedules, ", ") }

// Merge merges overlapping and adjacent shifts (one ends when the next
// starts) into spans sorted by start. The input need not be sorted.
func Merge(shifts []Shift) []Span {
	sorted := slices.Clone(shifts)
	sortShifts(sorted)
	var out []Span
	for _, sh := range sorted {
		if n := len(out); n > 0 && !sh.Start.After(out[n-1].End) {
			last := &out[n-1]
			if sh.End.After(last.End) {
				last.End = sh.End
			}
			last.Shifts = append(last.Shifts, sh)
			if !slices.Contains(last.Schedules, sh.Schedule) {
				last.Schedules = append(last.Schedules, sh.Schedule)
			}
			continue
		}
		out = append(out, Span{Start: sh.Start, End: sh.End, Schedules: []string{sh.Schedule}, Shifts: []Shift{sh}})
	}
	return out
}

// SpanAt returns the merged span that contains now (start <= now < end).
func SpanAt(shifts []Shift, now time.Time) (Span, bool) {
	for _, sp := range Merge(shifts) {
		if !now.Before(sp.Start) && now.Before(sp.End) {
			return sp, true
		}
	}
	return Span{}, false
}

// OnCallAt says whether the user is on call at now and until when: the end
// of the merged span containing now, so a chain of adjacent shifts (Mon–Tue
// on one feed, Tue–Wed on another) reads as one. Schedule lists the
// schedules of the span's shifts.
func OnCallAt(shifts []Shift, now time.Time) quiet.OnCall {
	sp, ok := SpanAt(shifts, now)
	if !ok {
		return quiet.OnCall{}
	}
	return quiet.OnCall{OnCall: true, Schedule: sp.ScheduleNames(), Until: sp.End}
}

// NextShift returns the first merged span that starts after now.
func NextShift(shifts []Shift, now time.Time) (Span, bool) {
	for _, sp := range Merge(shifts) {
		if sp.Start.After(now) {
			return sp, true
		}
	}
	return Span{}, false
}

// Between returns the merged spans that overlap [from, to).
func Between(shifts []Shift, from, to time.Time) []Span {
	var out []Span
	for _, sp := range Merge(shifts) {
		if sp.Start.Before(to) && sp.End.After(from) {
			out = append(out, sp)
		}
	}
	return out
}
