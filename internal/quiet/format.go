package quiet

import "time"

// FormatWhen renders t for a reason or a menu, in loc, relative to now:
//
//   - "07:00" when t is within the next 24 hours: a bare time always means
//     its next occurrence, so "Deferred to 07:00" at 22:00 is tomorrow
//     morning and cannot be misread;
//   - "Mon 09:00" when t is further ahead but within a week, or in the past
//     within a week;
//   - "Mon 12 Jan 09:00" otherwise, where a weekday alone would be
//     ambiguous.
//
// A zero t renders as "further notice".
func FormatWhen(t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "further notice"
	}
	d := t.Sub(now)
	lt := t.In(loc)
	switch {
	case d >= 0 && d < 24*time.Hour:
		return lt.Format("15:04")
	case d > -7*24*time.Hour && d < 7*24*time.Hour:
		return lt.Format("Mon 15:04")
	default:
		return lt.Format("Mon 2 Jan 15:04")
	}
}
