package schedule

import (
	"fmt"
	"slices"
	"time"

	"github.com/standby-oncall/standby/internal/quiet"
)

// ReminderKind says which shift reminder a Reminder is.
type ReminderKind string

// The shift reminders.
const (
	EveningBefore ReminderKind = "evening_before"
	HourBefore    ReminderKind = "hour_before"
	AtStart       ReminderKind = "at_start"
	AtEnd         ReminderKind = "at_end"
)

// DefaultEveningBefore is the default time of the evening-before reminder.
const DefaultEveningBefore = "18:00"

// ReminderSettings say which reminders the user wants (config.Notify) and
// the quiet-hours rules that may hold them back.
type ReminderSettings struct {
	// EveningBefore is the local "HH:MM" of the reminder on the day before
	// a shift; "" switches it off.
	EveningBefore string
	// HourBefore, AtStart and AtEnd switch the other reminders.
	HourBefore, AtStart, AtEnd bool
	// Rules are the quiet-hours rules (see quiet.ReminderAllowed).
	Rules quiet.Rules
	// Location is the user's zone; nil means time.Local.
	Location *time.Location
}

// DefaultReminderSettings has every reminder on, the evening one at 18:00.
func DefaultReminderSettings(loc *time.Location) ReminderSettings {
	return ReminderSettings{EveningBefore: DefaultEveningBefore, HourBefore: true, AtStart: true, AtEnd: true,
		Location: loc}
}

// Validate checks EveningBefore.
func (s ReminderSettings) Validate() error {
	if s.EveningBefore == "" {
		return nil
	}
	if _, _, err := parseClock(s.EveningBefore); err != nil {
		return fmt.Errorf("evening reminder: %w", err)
	}
	return nil
}

func (s ReminderSettings) loc() *time.Location {
	if s.Location == nil {
		return time.Local
	}
	return s.Location
}

// Reminder is one shift reminder due at At.
type Reminder struct {
	At   time.Time    `json:"at"`
	Kind ReminderKind `json:"kind"`
	// Span is the merged shift the reminder is about.
	Span Span `json:"span"`
	// Text is the notification text.
	Text string `json:"text"`
}

// Reminders returns the reminders due in [now, now+window), sorted by time,
// for the merged spans of shifts (a chain of adjacent shifts gets one
// start and one end reminder):
//
//   - evening_before: at EveningBefore local time on the calendar day
//     before the span starts ("a 15-minute warning is useless for a 5 a.m.
//     shift"); skipped if that is not before the start;
//   - hour_before: one hour before the start;
//   - at_start and at_end: at the span's start and end.
//
// Start reminders pass quiet.ReminderAllowed (a 3 a.m. reminder only for a
// shift that starts before quiet hours end); an end reminder is never shown
// in quiet hours. Reminders that are switched off, past or held are left out.
func Reminders(shifts []Shift, s ReminderSettings, now time.Time, window time.Duration) []Reminder {
	end := now.Add(window)
	var out []Reminder
	for _, sp := range Merge(shifts) {
		// No reminder is more than two days before the start or after the end.
		if sp.End.Before(now) || sp.Start.After(end.Add(48*time.Hour)) {
			continue
		}
		for _, r := range candidates(sp, s, now) {
			if r.At.Before(now) || !r.At.Before(end) || !allowed(r, s) {
				continue
			}
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Reminder) int { return a.At.Compare(b.At) })
	return out
}

// candidates are the switched-on reminders of sp, unfiltered.
func candidates(sp Span, s ReminderSettings, now time.Time) []Reminder {
	loc := s.loc()
	var out []Reminder
	if at, ok := eveningBefore(sp.Start, s.EveningBefore, loc); ok {
		out = append(out, Reminder{At: at, Kind: EveningBefore, Span: sp,
			Text: fmt.Sprintf("On call tomorrow %s–%s (%s)", clock(sp.Start, loc), quiet.FormatWhen(sp.End, sp.Start, loc), sp.ScheduleNames())})
	}
	if s.HourBefore {
		out = append(out, Reminder{At: sp.Start.Add(-time.Hour), Kind: HourBefore, Span: sp,
			Text: fmt.Sprintf("Your shift starts in 1 h, at %s (%s)", clock(sp.Start, loc), sp.ScheduleNames())})
	}
	if s.AtStart {
		out = append(out, Reminder{At: sp.Start, Kind: AtStart, Span: sp,
			Text: fmt.Sprintf("You are on call for %s until %s", sp.ScheduleNames(), quiet.FormatWhen(sp.End, sp.Start, loc))})
	}
	if s.AtEnd {
		out = append(out, Reminder{At: sp.End, Kind: AtEnd, Span: sp,
			Text: fmt.Sprintf("Your shift for %s has ended", sp.ScheduleNames())})
	}
	return out
}

// allowed applies quiet hours to r.
func allowed(r Reminder, s ReminderSettings) bool {
	start := r.Span.Start
	if r.Kind == AtEnd {
		// Nothing starts: only outside quiet hours (or in open-ended quiet).
		start = r.At.AddDate(100, 0, 0)
	}
	ok, _ := quiet.ReminderAllowed(s.Rules, r.At, start, s.loc())
	return ok
}

// eveningBefore is HH:MM local on the calendar day before start; ok is
// false when switched off, invalid, or not before start.
func eveningBefore(start time.Time, hhmm string, loc *time.Location) (time.Time, bool) {
	if hhmm == "" {
		return time.Time{}, false
	}
	h, m, err := parseClock(hhmm)
	if err != nil {
		return time.Time{}, false
	}
	ls := start.In(loc)
	at := time.Date(ls.Year(), ls.Month(), ls.Day()-1, h, m, 0, 0, loc)
	return at, at.Before(start)
}

// parseClock parses "HH:MM" (00:00–23:59).
func parseClock(s string) (h, m int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("want HH:MM, got %q", s)
	}
	return t.Hour(), t.Minute(), nil
}

func clock(t time.Time, loc *time.Location) string { return t.In(loc).Format("Mon 15:04") }
