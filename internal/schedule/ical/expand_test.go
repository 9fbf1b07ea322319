package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// wrap builds a calendar around VEVENT (and VTIMEZONE) lines.
func wrap(body ...string) []byte {
	lines := append([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"}, body...)
	lines = append(lines, "END:VCALENDAR", "")
	return []byte(strings.Join(lines, "\r\n"))
}

func vevent(uid string, props ...string) []string {
	l := append([]string{"BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20240101T000000Z"}, props...)
	return append(l, "END:VEVENT")
}

// spans returns "start end" (or "start end rid") per occurrence.
func spans(t *testing.T, data []byte, from, to string, opts Options) []string {
	t.Helper()
	cal, _, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	f, _ := time.Parse(time.RFC3339, from)
	tt, _ := time.Parse(time.RFC3339, to)
	occs, err := cal.Expand(f, tt, opts)
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	var out []string
	for i := range occs {
		var b []byte
		b = occs[i].appendTime(b, occs[i].Start, occs[i].startDay)
		b = append(b, ' ')
		b = occs[i].appendTime(b, occs[i].End, occs[i].endDay)
		out = append(out, string(b))
	}
	return out
}

const berlinVTZ = `BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
DTSTART:19810329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE`

const newYorkVTZ = `BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE`

func TestDSTEdges(t *testing.T) {
	tests := []struct {
		name, zone, start, want string
	}{
		// spring forward: 02:30 does not exist, the offset before the gap applies
		{"NY gap", "America/New_York", "20240310T023000", "2024-03-10T07:30:00Z"},
		// fall back: 01:30 happens twice, the first (EDT) is meant
		{"NY overlap", "America/New_York", "20241103T013000", "2024-11-03T05:30:00Z"},
		{"NY normal", "America/New_York", "20240310T033000", "2024-03-10T07:30:00Z"},
		{"Berlin gap", "Europe/Berlin", "20240331T023000", "2024-03-31T01:30:00Z"},
		{"Berlin overlap", "Europe/Berlin", "20241027T023000", "2024-10-27T00:30:00Z"},
		{"Berlin after", "Europe/Berlin", "20241027T033000", "2024-10-27T02:30:00Z"},
	}
	for _, tc := range tests {
		vtz := berlinVTZ
		if strings.HasPrefix(tc.zone, "America") {
			vtz = newYorkVTZ
		}
		ev := vevent("e", "DTSTART;TZID="+tc.zone+":"+tc.start, "SUMMARY:x")
		for _, variant := range []struct {
			name string
			data []byte
		}{
			{"iana", wrap(ev...)},
			{"vtimezone", wrap(append(strings.Split(vtz, "\n"), ev...)...)},
			{"mozilla-prefix", wrap(vevent("e", "DTSTART;TZID=/mozilla.org/20050126_1/"+tc.zone+":"+tc.start)...)},
		} {
			t.Run(tc.name+"/"+variant.name, func(t *testing.T) {
				got := spans(t, variant.data, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{})
				if len(got) != 1 || got[0] != tc.want+" "+tc.want {
					t.Errorf("got %v, want start=end=%s", got, tc.want)
				}
			})
		}
	}
}

func TestSeriesSemantics(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		from, to string
		opts     Options
		want     []string
	}{
		{"daily across NY spring gap keeps 02:30 wall clock",
			wrap(vevent("d", "DTSTART;TZID=America/New_York:20240309T023000", "RRULE:FREQ=DAILY;COUNT=3")...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-03-09T07:30:00Z 2024-03-09T07:30:00Z", "2024-03-10T07:30:00Z 2024-03-10T07:30:00Z",
				"2024-03-11T06:30:00Z 2024-03-11T06:30:00Z"}},
		{"DTEND is an exact duration across DST",
			wrap(vevent("w", "DTSTART;TZID=Europe/Berlin:20240318T090000", "DTEND;TZID=Europe/Berlin:20240325T090000",
				"RRULE:FREQ=WEEKLY;COUNT=2")...),
			"2024-03-25T08:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-03-25T08:00:00Z 2024-04-01T08:00:00Z"}},
		{"DTEND wall-clock mode",
			wrap(vevent("w", "DTSTART;TZID=Europe/Berlin:20240318T090000", "DTEND;TZID=Europe/Berlin:20240325T090000",
				"RRULE:FREQ=WEEKLY;COUNT=2")...),
			"2024-03-25T08:00:00Z", "2025-01-01T00:00:00Z", Options{EndMode: EndWallClock},
			[]string{"2024-03-25T08:00:00Z 2024-04-01T07:00:00Z"}},
		{"P1D is nominal, PT24H exact",
			wrap(append(vevent("a", "DTSTART;TZID=America/New_York:20240309T120000", "DURATION:P1D"),
				vevent("b", "DTSTART;TZID=America/New_York:20240309T120000", "DURATION:PT24H")...)...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-03-09T17:00:00Z 2024-03-10T16:00:00Z", "2024-03-09T17:00:00Z 2024-03-10T17:00:00Z"}},
		{"EXDATE comma list and another zone",
			wrap(vevent("x", "DTSTART:20240101T090000Z", "RRULE:FREQ=DAILY;COUNT=5",
				"EXDATE:20240102T090000Z,20240104T090000Z", "EXDATE;TZID=Europe/Berlin:20240103T100000")...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-01-01T09:00:00Z 2024-01-01T09:00:00Z", "2024-01-05T09:00:00Z 2024-01-05T09:00:00Z"}},
		{"RDATE PERIOD with end and with duration",
			wrap(vevent("p", "DTSTART:20240105T090000Z", "DTEND:20240105T100000Z",
				"RDATE;VALUE=PERIOD:20240110T090000Z/20240110T120000Z,20240112T090000Z/PT30M")...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-01-05T09:00:00Z 2024-01-05T10:00:00Z", "2024-01-10T09:00:00Z 2024-01-10T12:00:00Z",
				"2024-01-12T09:00:00Z 2024-01-12T09:30:00Z"}},
		{"RANGE=THISANDFUTURE moves the rest of the series",
			wrap(append(vevent("r", "DTSTART:20240201T090000Z", "DTEND:20240201T100000Z", "RRULE:FREQ=DAILY;COUNT=4"),
				vevent("r", "RECURRENCE-ID;RANGE=THISANDFUTURE:20240203T090000Z", "DTSTART:20240203T140000Z",
					"DTEND:20240203T143000Z", "SEQUENCE:1")...)...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-02-01T09:00:00Z 2024-02-01T10:00:00Z", "2024-02-02T09:00:00Z 2024-02-02T10:00:00Z",
				"2024-02-03T14:00:00Z 2024-02-03T14:30:00Z", "2024-02-04T14:00:00Z 2024-02-04T14:30:00Z"}},
		{"override moved into the window from outside; highest SEQUENCE wins",
			wrap(append(append(vevent("o", "DTSTART:20240101T090000Z", "RRULE:FREQ=WEEKLY;COUNT=3"),
				vevent("o", "RECURRENCE-ID:20240101T090000Z", "DTSTART:20240120T090000Z", "SEQUENCE:2")...),
				vevent("o", "RECURRENCE-ID:20240101T090000Z", "DTSTART:20240121T090000Z", "SEQUENCE:1")...)...),
			"2024-01-10T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-01-15T09:00:00Z 2024-01-15T09:00:00Z", "2024-01-20T09:00:00Z 2024-01-20T09:00:00Z"}},
		{"all-day with EXDATE date",
			wrap(vevent("a", "DTSTART;VALUE=DATE:20240106", "DTEND;VALUE=DATE:20240108", "RRULE:FREQ=WEEKLY;COUNT=3",
				"EXDATE;VALUE=DATE:20240113")...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-01-06 2024-01-08", "2024-01-20 2024-01-22"}},
		{"floating time placed in the floating zone",
			wrap(vevent("f", "DTSTART:20240601T090000", "DURATION:PT1H")...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{FloatingZone: mustLoad(t, "Europe/Berlin")},
			[]string{"2024-06-01T07:00:00Z 2024-06-01T08:00:00Z"}},
		{"Windows zone name",
			wrap(vevent("win", "DTSTART;TZID=W. Europe Standard Time:20240601T090000")...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-06-01T07:00:00Z 2024-06-01T07:00:00Z"}},
		{"BYSETPOS last weekday of the month",
			wrap(vevent("s", "DTSTART:20240131T170000Z", "RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")...),
			"2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", Options{},
			[]string{"2024-01-31T17:00:00Z 2024-01-31T17:00:00Z", "2024-02-29T17:00:00Z 2024-02-29T17:00:00Z",
				"2024-03-29T17:00:00Z 2024-03-29T17:00:00Z"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := spans(t, tc.data, tc.from, tc.to, tc.opts)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestImpossibleRulesTerminate: rules no date can satisfy end at the
// window's end with DTSTART alone instead of searching forever. Returning
// is the check (the test binary's -timeout catches a hang); how fast they
// end is measured by the expansion benchmarks under bench/ics, not here,
// since a wall-clock budget fails on a loaded machine (3.1 s under -race
// at load 20 for the minutely rule).
func TestImpossibleRulesTerminate(t *testing.T) {
	rules := []string{
		"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
		"FREQ=SECONDLY;BYMONTH=4;BYMONTHDAY=31",
		"FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6",
		"FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2;BYMONTHDAY=1",
		"FREQ=MINUTELY;BYYEARDAY=366;BYMONTH=1",
	}
	for _, r := range rules {
		t.Run(r, func(t *testing.T) {
			got := spans(t, wrap(vevent("imp", "DTSTART:19700101T000000Z", "RRULE:"+r)...),
				"1970-01-01T00:00:00Z", "2100-01-01T00:00:00Z", Options{})
			if len(got) != 1 {
				t.Errorf("got %d occurrences, want only DTSTART", len(got))
			}
		})
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	_, _, err := Parse([]byte("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bare VEVENT: err = %v, want an error naming line 1", err)
	}
	_, warns, err := Parse(wrap(vevent("w", "DTSTART:20240101T000000Z", "this line is broken")...))
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || warns[0].Line != 8 {
		t.Errorf("warnings = %v, want one on line 8", warns)
	}
}

func TestOccurrenceFields(t *testing.T) {
	data := wrap(vevent("u", "DTSTART:20240101T090000Z", "SUMMARY:Shift <A&B>",
		"STATUS:CANCELLED", `DESCRIPTION:a\, b\nc`, "ATTENDEE;CN=Zoë Doe:mailto:zoe@example.com")...)
	cal, _, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	occs, err := cal.Expand(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Options{})
	if err != nil || len(occs) != 1 {
		t.Fatalf("occs=%v err=%v", occs, err)
	}
	o := occs[0]
	if o.Status != "CANCELLED" || o.Description != "a, b\nc" || len(o.Attendees) != 1 ||
		o.Attendees[0] != (Attendee{Email: "zoe@example.com", Name: "Zoë Doe"}) || o.RecurrenceID != nil {
		t.Errorf("unexpected fields: %+v", o)
	}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, occs, 0); err != nil {
		t.Fatal(err)
	}
	want := `{"uid":"u","recurrence_id":null,"start":"2024-01-01T09:00:00Z","end":"2024-01-01T09:00:00Z","summary":"Shift <A&B>","all_day":false}` + "\n"
	if buf.String() != want {
		t.Errorf("JSONL:\n got %s\nwant %s", buf.String(), want)
	}
}

func TestJSStringEscaping(t *testing.T) {
	tests := map[string]string{
		"a\"b\\c":         `"a\"b\\c"`,
		"\x01\x1f\t\n\r":  `"\u0001\u001f\t\n\r"`,
		"\u2028\u2029<>&": "\"\u2028\u2029<>&\"",
		"\x7f\uFFFD😀":     "\"\x7f\uFFFD😀\"",
	}
	for in, want := range tests {
		if got := string(appendJSString(nil, in)); got != want {
			t.Errorf("appendJSString(%q) = %s, want %s", in, got, want)
		}
	}
}
