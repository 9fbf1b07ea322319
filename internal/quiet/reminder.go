package quiet

import "time"

// ReminderAllowed reports whether a shift reminder ("your shift starts in
// 1 h") may be shown at reminderAt, and why. Outside quiet hours it may.
// Inside quiet hours it may only when the shift itself starts before the
// quiet period ends — a 3 a.m. reminder is fine for a 4 a.m. shift, not for
// a 9 a.m. one, whose reminder waits for the end of quiet hours (or is
// dropped; that is the caller's choice).
func ReminderAllowed(r Rules, reminderAt, shiftStart time.Time, loc *time.Location) (bool, string) {
	loc = r.Location(loc)
	st := r.state(reminderAt, loc)
	if !st.quiet {
		return true, "outside quiet hours"
	}
	when := FormatWhen(shiftStart, reminderAt, loc)
	if st.until.IsZero() || shiftStart.Before(st.until) {
		return true, "the shift starts at " + when + ", during " + st.label
	}
	return false, st.label + " until " + FormatWhen(st.until, reminderAt, loc) +
		"; the shift starts at " + when + ", after they end"
}
