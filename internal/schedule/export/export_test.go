package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/schedule/ical"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// shiftsIn are weekly Monday 09:00 → Tuesday 09:00 shifts in loc over the
// spring DST change, a Payments shift that a DB shift continues (merged
// into one span), and a night shift across the autumn change.
func shiftsIn(loc *time.Location) []schedule.Shift {
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, loc) }
	var out []schedule.Shift
	for d := 16; d <= 30; d += 7 { // Mondays 16, 23, 30 March
		out = append(out, schedule.Shift{Feed: "pd", Schedule: "Payments", Start: at(time.March, d, 9), End: at(time.March, d+1, 9)})
	}
	out = append(out,
		schedule.Shift{Feed: "db", Schedule: "DB", Start: at(time.March, 24, 9), End: at(time.March, 25, 18)},
		schedule.Shift{Feed: "pd", Schedule: "Payments", Start: at(time.October, 24, 20), End: at(time.October, 25, 8)},
	)
	return out
}

// roundTrip writes spans, parses the file with Standby's own expander and
// returns the spans read back.
func roundTrip(t *testing.T, text string, loc *time.Location) []schedule.Span {
	t.Helper()
	cal, warns, err := ical.Parse([]byte(text))
	if err != nil {
		t.Fatalf("parsing the written file: %v\n%s", err, text)
	}
	if len(warns) > 0 {
		t.Errorf("warnings parsing the written file: %v", warns)
	}
	occs, err := cal.Expand(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), schedule.ExpandOptions(loc))
	if err != nil {
		t.Fatal(err)
	}
	return schedule.Merge(schedule.MyShifts(schedule.Source{Feed: "mine", Me: schedule.Me{Kind: schedule.MeAll}, Occurrences: occs}))
}

func write(t *testing.T, spans []schedule.Span, loc *time.Location) string {
	t.Helper()
	var b bytes.Buffer
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := ICS(&b, spans, loc, now); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func sameSpans(t *testing.T, got, want []schedule.Span) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read back %d spans, wrote %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if !got[i].Start.Equal(want[i].Start) || !got[i].End.Equal(want[i].End) {
			t.Errorf("span %d: read back %s → %s, wrote %s → %s", i, got[i].Start, got[i].End, want[i].Start, want[i].End)
		}
		if s := got[i].Shifts[0].Summary; s != "On call: "+want[i].ScheduleNames() {
			t.Errorf("span %d: summary %q", i, s)
		}
	}
}

func TestRoundTripThroughStandbysExpander(t *testing.T) {
	for _, name := range []string{"Europe/Berlin", "America/Chicago", "Australia/Adelaide", "Asia/Kolkata", "UTC"} {
		t.Run(name, func(t *testing.T) {
			loc := mustZone(t, name)
			spans := schedule.Merge(shiftsIn(loc))
			if len(spans) != 4 {
				t.Fatalf("fixture: %d spans, want 4 (two merged)", len(spans))
			}
			text := write(t, spans, loc)
			sameSpans(t, roundTrip(t, text, loc), spans)
		})
	}
}

// The generated VTIMEZONE alone must place the times: renamed to a zone
// no IANA database knows, the file still reads back the same.
func TestVTimezoneAloneDefinesTheZone(t *testing.T) {
	for _, name := range []string{"Europe/Berlin", "America/Chicago", "Australia/Adelaide"} {
		t.Run(name, func(t *testing.T) {
			loc := mustZone(t, name)
			spans := schedule.Merge(shiftsIn(loc))
			text := strings.ReplaceAll(write(t, spans, loc), name, "Standby/Private-Zone")
			if !strings.Contains(text, "TZID:Standby/Private-Zone") {
				t.Fatalf("no VTIMEZONE written:\n%s", text)
			}
			sameSpans(t, roundTrip(t, text, time.UTC), spans)
		})
	}
}

func TestWallClockKeptAcrossDST(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	text := write(t, schedule.Merge(shiftsIn(loc)), loc)
	for _, want := range []string{
		"DTSTART;TZID=Europe/Berlin:20260316T090000", // CET
		"DTSTART;TZID=Europe/Berlin:20260330T090000", // CEST, still 09:00
		"DTEND;TZID=Europe/Berlin:20260325T180000",   // merged Payments + DB
		"SUMMARY:On call: Payments\\, DB",
		"TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
		"X-WR-CALNAME:" + CalendarName,
		"DTSTAMP:20260301T120000Z",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
}

func TestLocalZoneIsWrittenInUTC(t *testing.T) {
	loc := time.FixedZone("Local", 3600)
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, loc)
	spans := []schedule.Span{{Start: start, End: start.Add(24 * time.Hour), Schedules: []string{"Ops"}}}
	text := write(t, spans, loc)
	if !strings.Contains(text, "DTSTART:20260504T080000Z") || strings.Contains(text, "VTIMEZONE") {
		t.Errorf("want UTC times and no VTIMEZONE for an unnamed zone:\n%s", text)
	}
}

func TestEmptyCalendarIsValid(t *testing.T) {
	text := write(t, nil, mustZone(t, "Europe/Berlin"))
	if got := roundTrip(t, text, time.UTC); len(got) != 0 {
		t.Errorf("read back %d spans from an empty calendar", len(got))
	}
}

func TestUIDStable(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	a, b := write(t, schedule.Merge(shiftsIn(loc)), loc), write(t, schedule.Merge(shiftsIn(loc)), loc)
	if a != b {
		t.Error("two writes of the same spans differ")
	}
	if n := strings.Count(a, "UID:standby-"); n != 4 {
		t.Errorf("%d UIDs, want 4", n)
	}
}

func TestUTCOffset(t *testing.T) {
	for secs, want := range map[int]string{3600: "+0100", -18000: "-0500", 34200: "+0930", 0: "+0000", 3601: "+010001"} {
		if got := utcOffset(secs); got != want {
			t.Errorf("utcOffset(%d) = %q, want %q", secs, got, want)
		}
	}
}
