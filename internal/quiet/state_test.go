package quiet

import (
	"testing"
	"time"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}

// ts parses an RFC 3339 instant; offsets in the literal make DST explicit.
func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad test time %q: %v", s, err)
	}
	return v
}

func win(from, to string, days ...string) Window { return Window{Days: days, From: from, To: to} }
func allDay(days ...string) Window               { return Window{Days: days, AllDay: true} }

func rulesWith(ws ...Window) Rules {
	r := DefaultRules()
	r.Windows = ws
	return r
}

var (
	weeknights = win("22:00", "07:00", "mon-fri")
	weekend    = allDay("sat", "sun")
)

func TestQuietAt(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		rules Rules
		now   string
		quiet bool
		until string // RFC 3339; "" for zero
	}{
		// Plain nights and midnight crossing.
		{"berlin night before midnight", "Europe/Berlin", rulesWith(weeknights), "2026-03-02T23:00:00+01:00", true, "2026-03-03T07:00:00+01:00"},
		{"berlin night after midnight", "Europe/Berlin", rulesWith(weeknights), "2026-03-03T06:59:00+01:00", true, "2026-03-03T07:00:00+01:00"},
		{"berlin end is exclusive", "Europe/Berlin", rulesWith(weeknights), "2026-03-03T07:00:00+01:00", false, ""},
		{"berlin start is inclusive", "Europe/Berlin", rulesWith(weeknights), "2026-03-02T22:00:00+01:00", true, "2026-03-03T07:00:00+01:00"},
		{"berlin evening before window", "Europe/Berlin", rulesWith(weeknights), "2026-03-02T21:59:59+01:00", false, ""},
		{"sunday night wraps into monday", "Europe/Berlin", rulesWith(win("22:00", "07:00", "sun")), "2026-03-02T03:00:00+01:00", true, "2026-03-02T07:00:00+01:00"},
		{"window to 24:00", "Europe/Berlin", rulesWith(win("20:00", "24:00", "mon")), "2026-03-02T23:30:00+01:00", true, "2026-03-03T00:00:00+01:00"},
		// Merging.
		{"friday night merges into weekend (to Mon 00:00)", "Europe/Berlin", rulesWith(weeknights, weekend), "2026-03-06T23:00:00+01:00", true, "2026-03-09T00:00:00+01:00"},
		{"monday small hours after weekend are not quiet", "Europe/Berlin", rulesWith(weeknights, weekend), "2026-03-09T03:00:00+01:00", false, ""},
		{"sun-fri nights + weekend: until Mon 07:00", "Europe/Berlin", rulesWith(win("22:00", "07:00", "sun-fri"), weekend), "2026-03-06T23:00:00+01:00", true, "2026-03-09T07:00:00+01:00"},
		{"overlapping windows merge", "Europe/Berlin", rulesWith(win("20:00", "23:00", "mon"), win("22:00", "06:00", "mon")), "2026-03-02T20:30:00+01:00", true, "2026-03-03T06:00:00+01:00"},
		{"quiet every day all day never ends", "Europe/Berlin", rulesWith(allDay("mon-sun")), "2026-03-02T12:00:00+01:00", true, ""},
		// Berlin spring-forward, Sun 2026-03-29 02:00 CET → 03:00 CEST.
		{"berlin spring: night is an hour shorter", "Europe/Berlin", rulesWith(win("22:00", "07:00", "sat")), "2026-03-28T23:00:00+01:00", true, "2026-03-29T07:00:00+02:00"},
		{"berlin spring: from in the gap starts after it", "Europe/Berlin", rulesWith(win("02:30", "04:00", "sun")), "2026-03-29T03:00:00+02:00", true, "2026-03-29T04:00:00+02:00"},
		{"berlin spring: not quiet before the gap", "Europe/Berlin", rulesWith(win("02:30", "04:00", "sun")), "2026-03-29T01:59:59+01:00", false, ""},
		{"berlin spring: to in the gap ends at 03:00", "Europe/Berlin", rulesWith(win("23:00", "02:30", "sat")), "2026-03-29T01:30:00+01:00", true, "2026-03-29T03:00:00+02:00"},
		// Berlin fall-back, Sun 2026-10-25 03:00 CEST → 02:00 CET.
		{"berlin fall: night is an hour longer", "Europe/Berlin", rulesWith(win("22:00", "07:00", "sat")), "2026-10-24T23:00:00+02:00", true, "2026-10-25T07:00:00+01:00"},
		{"berlin fall: to in repeated hour ends at first", "Europe/Berlin", rulesWith(win("22:00", "02:30", "sat")), "2026-10-25T02:15:00+02:00", true, "2026-10-25T02:30:00+02:00"},
		{"berlin fall: second 02:15 is not quiet again", "Europe/Berlin", rulesWith(win("22:00", "02:30", "sat")), "2026-10-25T02:15:00+01:00", false, ""},
		{"berlin fall: from in repeated hour starts at first", "Europe/Berlin", rulesWith(win("02:30", "05:00", "sun")), "2026-10-25T02:40:00+02:00", true, "2026-10-25T05:00:00+01:00"},
		{"berlin fall: second 02:15 inside window from first 02:30", "Europe/Berlin", rulesWith(win("02:30", "05:00", "sun")), "2026-10-25T02:15:00+01:00", true, "2026-10-25T05:00:00+01:00"},
		// New York spring-forward, Sun 2026-03-08 02:00 EST → 03:00 EDT.
		{"ny spring: night is an hour shorter", "America/New_York", rulesWith(win("22:00", "07:00", "sat")), "2026-03-07T23:00:00-05:00", true, "2026-03-08T07:00:00-04:00"},
		{"ny spring: from in the gap", "America/New_York", rulesWith(win("02:15", "03:30", "sun")), "2026-03-08T03:00:00-04:00", true, "2026-03-08T03:30:00-04:00"},
		{"ny spring: before the gap", "America/New_York", rulesWith(win("02:15", "03:30", "sun")), "2026-03-08T01:59:00-05:00", false, ""},
		// New York fall-back, Sun 2026-11-01 02:00 EDT → 01:00 EST.
		{"ny fall: night is an hour longer", "America/New_York", rulesWith(win("22:00", "07:00", "sat")), "2026-10-31T23:00:00-04:00", true, "2026-11-01T07:00:00-05:00"},
		{"ny fall: ends at first 01:30", "America/New_York", rulesWith(win("23:00", "01:30", "sat")), "2026-11-01T01:10:00-04:00", true, "2026-11-01T01:30:00-04:00"},
		{"ny fall: second 01:10 not quiet", "America/New_York", rulesWith(win("23:00", "01:30", "sat")), "2026-11-01T01:10:00-05:00", false, ""},
		// Sydney: fall-back Sun 2026-04-05 03:00 AEDT → 02:00 AEST; spring Sun 2026-10-04 02:00 → 03:00.
		{"sydney fall night", "Australia/Sydney", rulesWith(win("22:00", "07:00", "sat")), "2026-04-04T23:00:00+11:00", true, "2026-04-05T07:00:00+10:00"},
		{"sydney spring night", "Australia/Sydney", rulesWith(win("22:00", "07:00", "sat")), "2026-10-03T23:00:00+10:00", true, "2026-10-04T07:00:00+11:00"},
		{"sydney weekend merge", "Australia/Sydney", rulesWith(win("22:00", "07:00", "sun-fri"), weekend), "2026-06-05T22:30:00+10:00", true, "2026-06-08T07:00:00+10:00"},
		// Kolkata: +05:30, no DST.
		{"kolkata night", "Asia/Kolkata", rulesWith(weeknights), "2026-03-02T23:30:00+05:30", true, "2026-03-03T07:00:00+05:30"},
		{"kolkata day", "Asia/Kolkata", rulesWith(weeknights), "2026-03-03T12:00:00+05:30", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoc(t, tt.zone)
			quiet, until, reason := tt.rules.QuietAt(ts(t, tt.now), loc)
			if quiet != tt.quiet {
				t.Fatalf("quiet = %v (%q), want %v", quiet, reason, tt.quiet)
			}
			var want time.Time
			if tt.until != "" {
				want = ts(t, tt.until)
			}
			if !until.Equal(want) {
				t.Errorf("until = %v, want %v", until, want.In(loc))
			}
			if quiet && reason == "" {
				t.Errorf("quiet without a reason")
			}
		})
	}
}

func TestQuietAtReason(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	r := rulesWith(weeknights, weekend)
	_, _, reason := r.QuietAt(ts(t, "2026-03-02T23:00:00+01:00"), loc)
	if want := "quiet hours (Mon–Fri 22:00–07:00)"; reason != want {
		t.Errorf("reason = %q, want %q", reason, want)
	}
	r.QuietUntil = ts(t, "2026-03-02T15:00:00+01:00")
	_, _, reason = r.QuietAt(ts(t, "2026-03-02T13:00:00+01:00"), loc)
	if want := "quiet until 15:00"; reason != want {
		t.Errorf("reason = %q, want %q", reason, want)
	}
}

func TestZoneOverridesLocal(t *testing.T) {
	berlin, ny := mustLoc(t, "Europe/Berlin"), mustLoc(t, "America/New_York")
	r := rulesWith(weeknights)
	r.Zone = "America/New_York"
	now := ts(t, "2026-03-02T23:00:00-05:00") // Tue 05:00 in Berlin: quiet there too, until 07:00 Berlin
	quiet, until, _ := r.QuietAt(now, berlin)
	if !quiet || !until.Equal(ts(t, "2026-03-03T07:00:00-05:00")) {
		t.Errorf("QuietAt in zone %s = %v until %v, want New York's night", r.Zone, quiet, until.In(ny))
	}
	if got := r.Location(berlin); got.String() != "America/New_York" {
		t.Errorf("Location = %v", got)
	}
	r.Zone = "Mars/Olympus"
	if got := r.Location(berlin); got != berlin {
		t.Errorf("bad zone: Location = %v, want the local fallback", got)
	}
}

func TestAdHocQuiet(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	now := ts(t, "2026-03-02T20:00:00+01:00")
	tests := []struct {
		name  string
		rules Rules
		until string
	}{
		{"alone", DefaultRules().QuietFor(now.Add(2 * time.Hour)), "2026-03-02T22:00:00+01:00"},
		{"touching a window merges", rulesWith(weeknights).QuietFor(now.Add(2 * time.Hour)), "2026-03-03T07:00:00+01:00"},
		{"overlapping a window merges", rulesWith(weeknights).QuietFor(now.Add(3 * time.Hour)), "2026-03-03T07:00:00+01:00"},
		{"outlasting a window", rulesWith(weeknights).QuietFor(ts(t, "2026-03-03T09:00:00+01:00")), "2026-03-03T09:00:00+01:00"},
		{"two weeks off, ending in a night", rulesWith(weeknights).QuietFor(ts(t, "2026-03-16T23:00:00+01:00")), "2026-03-17T07:00:00+01:00"},
		{"two weeks off, ending in the evening", rulesWith(weeknights).QuietFor(now.Add(14 * 24 * time.Hour)), "2026-03-16T20:00:00+01:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			quiet, until, _ := tt.rules.QuietAt(now, loc)
			if !quiet || !until.Equal(ts(t, tt.until)) {
				t.Errorf("QuietAt = %v until %v, want until %s", quiet, until.In(loc), tt.until)
			}
		})
	}
	expired := DefaultRules().QuietFor(now.Add(-time.Minute))
	if quiet, _, _ := expired.QuietAt(now, loc); quiet {
		t.Errorf("expired ad-hoc quiet still quiet")
	}
}

func TestResume(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	r := rulesWith(weeknights, weekend)
	now := ts(t, "2026-03-03T03:00:00+01:00") // Tue small hours
	r = r.Resume(now, loc)
	if !r.ResumedUntil.Equal(ts(t, "2026-03-03T07:00:00+01:00")) {
		t.Fatalf("ResumedUntil = %v", r.ResumedUntil.In(loc))
	}
	for _, at := range []string{"2026-03-03T03:00:00+01:00", "2026-03-03T06:59:00+01:00", "2026-03-03T12:00:00+01:00"} {
		if quiet, _, why := r.QuietAt(ts(t, at), loc); quiet {
			t.Errorf("after Resume, quiet at %s (%s)", at, why)
		}
	}
	if quiet, _, _ := r.QuietAt(ts(t, "2026-03-03T22:00:00+01:00"), loc); !quiet {
		t.Errorf("the next night is not quiet after Resume")
	}
	if got, want := r.NextChange(now, loc), ts(t, "2026-03-03T22:00:00+01:00"); !got.Equal(want) {
		t.Errorf("NextChange = %v, want %v", got.In(loc), want.In(loc))
	}
	// Resume also ends ad-hoc quiet, and QuietFor cancels a resume.
	r = r.QuietFor(now.Add(time.Hour))
	if !r.ResumedUntil.IsZero() {
		t.Errorf("QuietFor kept ResumedUntil")
	}
	if r = r.Resume(now, loc); !r.QuietUntil.IsZero() {
		t.Errorf("Resume kept QuietUntil")
	}
	always := rulesWith(allDay("mon-sun")).Resume(now, loc)
	if quiet, _, _ := always.QuietAt(now.Add(time.Hour), loc); quiet {
		t.Errorf("Resume of never-ending quiet did not resume")
	}
}

func TestNextChange(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	r := rulesWith(weeknights, weekend)
	tests := []struct{ now, want string }{
		{"2026-03-02T12:00:00+01:00", "2026-03-02T22:00:00+01:00"},
		{"2026-03-02T23:00:00+01:00", "2026-03-03T07:00:00+01:00"},
		{"2026-03-06T12:00:00+01:00", "2026-03-06T22:00:00+01:00"},
		{"2026-03-07T12:00:00+01:00", "2026-03-09T00:00:00+01:00"},
		{"2026-03-28T12:00:00+01:00", "2026-03-30T00:00:00+02:00"}, // weekend across spring-forward
		{"2026-03-28T21:00:00+01:00", "2026-03-30T00:00:00+02:00"},
	}
	for _, tt := range tests {
		if got := r.NextChange(ts(t, tt.now), loc); !got.Equal(ts(t, tt.want)) {
			t.Errorf("NextChange(%s) = %v, want %s", tt.now, got.In(loc), tt.want)
		}
	}
	if got := DefaultRules().NextChange(ts(t, tests[0].now), loc); !got.IsZero() {
		t.Errorf("no windows: NextChange = %v, want zero", got)
	}
}

func TestWallInstant(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	lordHowe := mustLoc(t, "Australia/Lord_Howe") // 30-minute DST shift
	tests := []struct {
		loc  *time.Location
		date string
		min  int
		want string
	}{
		{berlin, "2026-03-29", 2*60 + 30, "2026-03-29T03:00:00+02:00"},
		{berlin, "2026-03-29", 2 * 60, "2026-03-29T03:00:00+02:00"},
		{berlin, "2026-03-29", 3 * 60, "2026-03-29T03:00:00+02:00"},
		{berlin, "2026-10-25", 2*60 + 30, "2026-10-25T02:30:00+02:00"},
		{berlin, "2026-10-25", 3 * 60, "2026-10-25T03:00:00+01:00"},
		{berlin, "2026-10-25", 24 * 60, "2026-10-26T00:00:00+01:00"},
		{lordHowe, "2026-10-04", 2*60 + 15, "2026-10-04T02:30:00+11:00"},
		{lordHowe, "2026-04-05", 60 + 45, "2026-04-05T01:45:00+11:00"},
	}
	for _, tt := range tests {
		day, _ := time.Parse(time.DateOnly, tt.date)
		if got := wallInstant(day, tt.min, tt.loc); !got.Equal(ts(t, tt.want)) {
			t.Errorf("wallInstant(%s %s, %s) = %v, want %s", tt.loc, tt.date, FormatClock(tt.min), got, tt.want)
		}
	}
}
