package quiet

import "testing"

func TestReminderAllowed(t *testing.T) {
	rules := rulesWith(weeknights, weekend)
	tests := []struct {
		name, zone, at, shift string
		rules                 Rules
		ok                    bool
		reason                string
	}{
		{"daytime", "Europe/Berlin", "2026-03-03T08:00:00+01:00", "2026-03-03T09:00:00+01:00", rules, true, "outside quiet hours"},
		{"3 a.m. for a 4 a.m. shift", "Europe/Berlin", "2026-03-03T03:00:00+01:00", "2026-03-03T04:00:00+01:00", rules, true,
			"the shift starts at 04:00, during quiet hours"},
		{"3 a.m. for a 9 a.m. shift", "Europe/Berlin", "2026-03-03T03:00:00+01:00", "2026-03-03T09:00:00+01:00", rules, false,
			"quiet hours until 07:00; the shift starts at 09:00, after they end"},
		{"shift at the very end of quiet hours", "Europe/Berlin", "2026-03-03T06:00:00+01:00", "2026-03-03T07:00:00+01:00", rules, false,
			"quiet hours until 07:00; the shift starts at 07:00, after they end"},
		{"saturday for a Monday shift", "Europe/Berlin", "2026-03-07T10:00:00+01:00", "2026-03-09T09:00:00+01:00", rules, false,
			"quiet hours until Mon 00:00; the shift starts at Mon 09:00, after they end"},
		{"fall-back night, shift in the repeated hour", "America/New_York", "2026-11-01T00:30:00-04:00", "2026-11-01T01:30:00-05:00",
			rulesWith(win("22:00", "07:00", "sat")), true, "the shift starts at 01:30, during quiet hours"},
		{"ad-hoc quiet", "Asia/Kolkata", "2026-03-03T12:00:00+05:30", "2026-03-03T16:00:00+05:30",
			DefaultRules().QuietFor(ts(t, "2026-03-03T14:00:00+05:30")), false,
			"ad-hoc quiet until 14:00; the shift starts at 16:00, after they end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, reason := ReminderAllowed(tt.rules, ts(t, tt.at), ts(t, tt.shift), mustLoc(t, tt.zone))
			if ok != tt.ok || reason != tt.reason {
				t.Errorf("ReminderAllowed = %v, %q; want %v, %q", ok, reason, tt.ok, tt.reason)
			}
		})
	}
}
