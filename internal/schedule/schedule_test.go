package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/schedule/ical"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("loading zone %s: %v", name, err)
	}
	return loc
}

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parsing %s: %v", s, err)
	}
	return v
}

// expand parses an ICS body (lines joined with CRLF) and expands it for a
// user in loc.
func expand(t *testing.T, loc *time.Location, from, to string, lines ...string) []ical.Occurrence {
	t.Helper()
	body := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VCALENDAR\r\n"
	cal, _, err := ical.Parse([]byte(body))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	occs, err := cal.Expand(at(t, from), at(t, to), ExpandOptions(loc))
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	return occs
}

func TestParseMe(t *testing.T) {
	tests := []struct {
		in   string
		want Me
		err  bool
	}{
		{"", Me{Kind: MeAll}, false},
		{"ALL", Me{Kind: MeAll}, false},
		{"email:alice@example.com", Me{MeEmail, "alice@example.com"}, false},
		{"Email: mailto:Alice@Example.com", Me{MeEmail, "Alice@Example.com"}, false},
		{"name:Alice Smith", Me{MeName, "Alice Smith"}, false},
		{"name:", Me{}, true},
		{"phone:123", Me{}, true},
		{"alice", Me{}, true},
	}
	for _, tt := range tests {
		got, err := ParseMe(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseMe(%q) = %+v, %v; want %+v, err %v", tt.in, got, err, tt.want, tt.err)
		}
		if err == nil && tt.in != "" {
			if back, _ := ParseMe(got.String()); back != got {
				t.Errorf("ParseMe(%q).String() = %q does not round-trip", tt.in, got.String())
			}
		}
	}
}

func TestMeMatches(t *testing.T) {
	alice := ical.Attendee{Email: "Alice@Example.COM", Name: "Alice Smith"}
	bob := ical.Attendee{Email: "mailto:bob@example.com"}
	tests := []struct {
		name, me, summary, organizer string
		attendees                    []ical.Attendee
		want                         bool
	}{
		{"all matches anything", "all", "Primary: Bob", "", nil, true},
		{"email attendee case-insensitive", "email:alice@example.com", "On call", "", []ical.Attendee{bob, alice}, true},
		{"email with mailto prefix on attendee", "email:BOB@example.com", "On call", "", []ical.Attendee{bob}, true},
		{"email other person", "email:carol@example.com", "On call", "", []ical.Attendee{bob, alice}, false},
		{"email in summary does not count", "email:carol@example.com", "carol@example.com", "", nil, false},
		{"email organizer", "email:carol@example.com", "On call", "MAILTO:Carol@example.com", nil, true},
		{"name in summary", "name:bob", "Primary: Bob", "", nil, true},
		{"name is a whole word", "name:bob", "Primary: Bobby", "", nil, false},
		{"name inside word", "name:ali", "Primary: Alice", "", nil, false},
		{"two-word name", "name:alice smith", "Secondary - Alice Smith (backup)", "", nil, true},
		{"name via attendee CN", "name:Smith", "Payments primary", "", []ical.Attendee{alice}, true},
		{"name not there", "name:Dave", "Payments primary", "", []ical.Attendee{alice, bob}, false},
		{"non-ASCII name", "name:jürgen", "Primary: Jürgen", "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			me, err := ParseMe(tt.me)
			if err != nil {
				t.Fatal(err)
			}
			o := ical.Occurrence{Summary: tt.summary, Attendees: tt.attendees}
			if got := me.Matches(o, tt.organizer); got != tt.want {
				t.Errorf("%s.Matches(%q) = %v, want %v", me, tt.summary, got, tt.want)
			}
		})
	}
}

// teamICS is a team rotation: Alice and Bob alternate daily 09:00–09:00
// in Berlin; one of Alice's days is cancelled by an override.
var teamICS = []string{
	"BEGIN:VEVENT", "UID:alice", "SUMMARY:Primary: Alice",
	"DTSTART;TZID=Europe/Berlin:20260326T090000", "DTEND;TZID=Europe/Berlin:20260327T090000",
	"RRULE:FREQ=DAILY;INTERVAL=2;COUNT=4",
	"ATTENDEE;CN=Alice Smith:mailto:alice@example.com", "END:VEVENT",
	"BEGIN:VEVENT", "UID:alice", "SUMMARY:Primary: Alice", "STATUS:CANCELLED",
	"RECURRENCE-ID;TZID=Europe/Berlin:20260330T090000",
	"DTSTART;TZID=Europe/Berlin:20260330T090000", "DTEND;TZID=Europe/Berlin:20260331T090000", "END:VEVENT",
	"BEGIN:VEVENT", "UID:bob", "SUMMARY:Primary: Bob",
	"DTSTART;TZID=Europe/Berlin:20260327T090000", "DTEND;TZID=Europe/Berlin:20260328T090000",
	"RRULE:FREQ=DAILY;INTERVAL=2;COUNT=4", "END:VEVENT",
}

func TestMyShiftsTeamFeed(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	occs := expand(t, berlin, "2026-03-20T00:00:00Z", "2026-04-10T00:00:00Z", teamICS...)
	tests := []struct {
		me     string
		starts []string
	}{
		{"email:ALICE@example.com", []string{"2026-03-26T09:00:00+01:00", "2026-03-28T09:00:00+01:00", "2026-04-01T09:00:00+02:00"}},
		{"name:alice", []string{"2026-03-26T09:00:00+01:00", "2026-03-28T09:00:00+01:00", "2026-04-01T09:00:00+02:00"}},
		{"name:bob", []string{"2026-03-27T09:00:00+01:00", "2026-03-29T09:00:00+02:00", "2026-03-31T09:00:00+02:00", "2026-04-02T09:00:00+02:00"}},
		{"email:carol@example.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.me, func(t *testing.T) {
			me, _ := ParseMe(tt.me)
			got := MyShifts(Source{Feed: "team", Schedule: "Payments", Me: me, Occurrences: occs})
			if len(got) != len(tt.starts) {
				t.Fatalf("got %d shifts %v, want %d", len(got), got, len(tt.starts))
			}
			for i, sh := range got {
				if want := at(t, tt.starts[i]); !sh.Start.Equal(want) {
					t.Errorf("shift %d starts %s, want %s", i, sh.Start.In(berlin), want)
				}
				if sh.Schedule != "Payments" || sh.Feed != "team" {
					t.Errorf("shift %d = %+v, want schedule Payments, feed team", i, sh)
				}
			}
		})
	}
}

func TestMyShiftsSkipsCancelledAndEmpty(t *testing.T) {
	utc := time.UTC
	occs := expand(t, utc, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
		"BEGIN:VEVENT", "UID:a", "SUMMARY:shift", "STATUS:CANCELLED", "DTSTART:20260105T090000Z", "DTEND:20260105T170000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:b", "SUMMARY:shift", "STATUS:cancelled", "DTSTART:20260106T090000Z", "DTEND:20260106T170000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:c", "SUMMARY:marker", "DTSTART:20260107T090000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:d", "SUMMARY:shift", "STATUS:CONFIRMED", "DTSTART:20260108T090000Z", "DTEND:20260108T170000Z", "END:VEVENT",
	)
	got := MyShifts(Source{Feed: "mine", Occurrences: occs})
	if len(got) != 1 || got[0].Start != at(t, "2026-01-08T09:00:00Z") || got[0].Schedule != "mine" {
		t.Errorf("MyShifts = %+v, want only the confirmed shift of schedule mine", got)
	}
}

func TestAllDayShiftsStartAtLocalMidnight(t *testing.T) {
	lines := []string{"BEGIN:VEVENT", "UID:w", "SUMMARY:On call",
		"DTSTART;VALUE=DATE:20260307", "DTEND;VALUE=DATE:20260309", "END:VEVENT"}
	tests := []struct {
		zone, start, end string
	}{
		// 2026-03-08 is the spring-forward day in New York: the shift is 47 h.
		{"America/New_York", "2026-03-07T00:00:00-05:00", "2026-03-09T00:00:00-04:00"},
		{"Europe/Berlin", "2026-03-07T00:00:00+01:00", "2026-03-09T00:00:00+01:00"},
		{"UTC", "2026-03-07T00:00:00Z", "2026-03-09T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			loc := mustLoc(t, tt.zone)
			got := MyShifts(Source{Feed: "f", Occurrences: expand(t, loc, "2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z", lines...)})
			if len(got) != 1 {
				t.Fatalf("got %d shifts, want 1", len(got))
			}
			if !got[0].Start.Equal(at(t, tt.start)) || !got[0].End.Equal(at(t, tt.end)) {
				t.Errorf("shift %s–%s, want %s–%s", got[0].Start.In(loc), got[0].End.In(loc), tt.start, tt.end)
			}
		})
	}
}
