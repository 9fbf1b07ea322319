package schedule

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/quiet"
)

func nightly(zone string) quiet.Rules {
	r := quiet.DefaultRules()
	r.Zone = zone
	r.Windows = []quiet.Window{{Days: []string{"mon-sun"}, From: "22:00", To: "07:00"}}
	return r
}

func TestReminders(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		shifts   []Shift
		settings func(ReminderSettings) ReminderSettings
		now      string
		window   time.Duration
		want     []string // "kind at" with at in RFC 3339
	}{
		{
			name:   "all four, Berlin day shift",
			zone:   "Europe/Berlin",
			shifts: []Shift{sh(t, "Payments", "2026-03-03T09:00:00+01:00", "2026-03-03T17:00:00+01:00")},
			now:    "2026-03-02T12:00:00+01:00", window: 48 * time.Hour,
			want: []string{"evening_before 2026-03-02T18:00:00+01:00", "hour_before 2026-03-03T08:00:00+01:00",
				"at_start 2026-03-03T09:00:00+01:00", "at_end 2026-03-03T17:00:00+01:00"},
		},
		{
			name:   "4 a.m. shift: 3 a.m. reminder allowed in quiet hours",
			zone:   "Europe/Berlin",
			shifts: []Shift{sh(t, "Payments", "2026-03-03T04:00:00+01:00", "2026-03-03T12:00:00+01:00")},
			now:    "2026-03-02T12:00:00+01:00", window: 48 * time.Hour,
			want: []string{"evening_before 2026-03-02T18:00:00+01:00", "hour_before 2026-03-03T03:00:00+01:00",
				"at_start 2026-03-03T04:00:00+01:00", "at_end 2026-03-03T12:00:00+01:00"},
		},
		{
			name:   "quiet hours: start of a 9 a.m. shift is fine; end at 23:00 is held",
			zone:   "Europe/Berlin",
			shifts: []Shift{sh(t, "Payments", "2026-03-03T07:30:00+01:00", "2026-03-03T23:00:00+01:00")},
			now:    "2026-03-02T12:00:00+01:00", window: 48 * time.Hour,
			want: []string{"evening_before 2026-03-02T18:00:00+01:00", "at_start 2026-03-03T07:30:00+01:00"},
			// hour_before at 06:30 is in quiet hours and the shift starts after they end.
		},
		{
			name:   "spring forward in Berlin: evening before is 18:00 CET, hour before is 1 h of real time",
			zone:   "Europe/Berlin",
			shifts: []Shift{sh(t, "Night", "2026-03-29T03:00:00+02:00", "2026-03-29T09:00:00+02:00")},
			now:    "2026-03-28T00:00:00+01:00", window: 48 * time.Hour,
			settings: func(s ReminderSettings) ReminderSettings { s.Rules = quiet.Rules{}; return s },
			want: []string{"evening_before 2026-03-28T18:00:00+01:00", "hour_before 2026-03-29T01:00:00+01:00",
				"at_start 2026-03-29T03:00:00+02:00", "at_end 2026-03-29T09:00:00+02:00"},
		},
		{
			name:   "fall back in New York, custom evening time, chain gets one start and one end",
			zone:   "America/New_York",
			shifts: []Shift{sh(t, "A", "2026-11-01T09:00:00-05:00", "2026-11-01T17:00:00-05:00"), sh(t, "B", "2026-11-01T17:00:00-05:00", "2026-11-01T21:00:00-05:00")},
			now:    "2026-10-31T00:00:00-04:00", window: 72 * time.Hour,
			settings: func(s ReminderSettings) ReminderSettings { s.EveningBefore = "20:30"; return s },
			want: []string{"evening_before 2026-10-31T20:30:00-04:00", "hour_before 2026-11-01T08:00:00-05:00",
				"at_start 2026-11-01T09:00:00-05:00", "at_end 2026-11-01T21:00:00-05:00"},
		},
		{
			name:   "switched off and past reminders are left out",
			zone:   "America/New_York",
			shifts: []Shift{sh(t, "A", "2026-03-08T09:00:00-04:00", "2026-03-08T17:00:00-04:00")},
			now:    "2026-03-08T08:30:00-04:00", window: 24 * time.Hour,
			settings: func(s ReminderSettings) ReminderSettings { s.EveningBefore, s.AtEnd = "", false; return s },
			want:     []string{"at_start 2026-03-08T09:00:00-04:00"},
		},
		{
			name:   "window cuts later reminders",
			zone:   "Europe/Berlin",
			shifts: []Shift{sh(t, "Payments", "2026-03-03T09:00:00+01:00", "2026-03-03T17:00:00+01:00")},
			now:    "2026-03-02T12:00:00+01:00", window: 6 * time.Hour,
			want: nil, // 18:00 is the window's exclusive end
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoc(t, tt.zone)
			s := DefaultReminderSettings(loc)
			s.Rules = nightly(tt.zone)
			if tt.settings != nil {
				s = tt.settings(s)
			}
			var got []string
			for _, r := range Reminders(tt.shifts, s, at(t, tt.now), tt.window) {
				got = append(got, fmt.Sprintf("%s %s", r.Kind, r.At.In(loc).Format(time.RFC3339)))
				if r.Text == "" {
					t.Errorf("%s has no text", r.Kind)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Reminders =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestReminderText(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	s := DefaultReminderSettings(berlin)
	rs := Reminders([]Shift{sh(t, "Payments Primary", "2026-03-03T09:00:00+01:00", "2026-03-04T09:00:00+01:00")}, s,
		at(t, "2026-03-02T12:00:00+01:00"), 72*time.Hour)
	want := []string{
		"On call tomorrow Tue 09:00–Wed 09:00 (Payments Primary)",
		"Your shift starts in 1 h, at Tue 09:00 (Payments Primary)",
		"You are on call for Payments Primary until Wed 09:00",
		"Your shift for Payments Primary has ended",
	}
	if len(rs) != len(want) {
		t.Fatalf("got %d reminders, want %d", len(rs), len(want))
	}
	for i, r := range rs {
		if r.Text != want[i] {
			t.Errorf("reminder %d text %q, want %q", i, r.Text, want[i])
		}
	}
	if err := (ReminderSettings{EveningBefore: "25:00"}).Validate(); err == nil {
		t.Error("Validate accepted 25:00")
	}
}
