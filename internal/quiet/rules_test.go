package quiet

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		rules Rules
		want  []string // substrings of the error; none means valid
	}{
		{"defaults", DefaultRules(), nil},
		{"example", rulesWith(weeknights, weekend), nil},
		{"ranges and full names", rulesWith(win("7:30", "24:00", "Friday-Monday", "WED")), nil},
		{"bad from", rulesWith(weeknights, win("25:00", "07:00", "mon")), []string{`quiet.windows[1].from: "25:00" is not HH:MM`}},
		{"bad to", rulesWith(win("22:00", "7", "mon")), []string{`quiet.windows[0].to: "7" is not HH:MM`}},
		{"minutes out of range", rulesWith(win("22:60", "07:00", "mon")), []string{`quiet.windows[0].from: "22:60" is not HH:MM`}},
		{"24:00 as from", rulesWith(win("24:00", "07:00", "mon")), []string{`quiet.windows[0].from: "24:00" is only allowed in to`}},
		{"missing from", rulesWith(Window{Days: []string{"mon"}, To: "07:00"}), []string{`quiet.windows[0].from: "" is not HH:MM`}},
		{"bad day", rulesWith(win("22:00", "07:00", "mon", "funday")), []string{`quiet.windows[0].days[1]: "funday" is not a day`}},
		{"bad range", rulesWith(win("22:00", "07:00", "mon-xyz")), []string{`quiet.windows[0].days[0]`}},
		{"no days", rulesWith(win("22:00", "07:00")), []string{`quiet.windows[0].days: empty`}},
		{"from equals to", rulesWith(win("07:00", "07:00", "mon")), []string{`quiet.windows[0]: from and to are both "07:00"`}},
		{"all day with times", rulesWith(Window{Days: []string{"sat"}, AllDay: true, From: "01:00"}), []string{`quiet.windows[0]: all_day = true cannot have from/to`}},
		{"bad zone", Rules{Zone: "Mars/Olympus"}, []string{`quiet.zone: "Mars/Olympus" is not a known IANA time zone`}},
		{"bad urgency", Rules{Urgency: map[string]map[string]string{"opsgenie": {"P3": "medium"}}}, []string{`quiet.urgency.opsgenie.P3: "medium" is not high or low`}},
		{"all errors reported", rulesWith(win("25:00", "99", "noday")), []string{"days[0]", ".from:", ".to:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rules.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

const exampleTOML = `
[quiet]
zone = "Europe/Berlin"
on_call_low_deferred = false
windows = [
  {days = ["mon", "tue", "wed", "thu", "fri"], from = "22:00", to = "07:00"},
  {days = ["sat", "sun"], all_day = true},
]
quiet_until = 2026-03-02T23:00:00+01:00

[quiet.urgency.alertmanager]
warning = "high"
`

// TestTOML checks the struct tags against the config file's shape: decode
// on top of DefaultRules, as config.Load does.
func TestTOML(t *testing.T) {
	cfg := struct {
		Quiet Rules `toml:"quiet"`
	}{Quiet: DefaultRules()}
	if err := toml.Unmarshal([]byte(exampleTOML), &cfg); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	r := cfg.Quiet
	if err := r.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(r.Windows) != 2 || r.Windows[0].From != "22:00" || !r.Windows[1].AllDay || r.Zone != "Europe/Berlin" {
		t.Errorf("decoded %+v", r)
	}
	if !r.OnCallHighBreaksThrough || r.OnCallLowDeferred || !r.NotOnCallDeferred {
		t.Errorf("knobs: defaults not kept or override lost: %+v", r)
	}
	if !r.QuietUntil.Equal(ts(t, "2026-03-02T23:00:00+01:00")) {
		t.Errorf("QuietUntil = %v", r.QuietUntil)
	}
	if got := r.Urgency["alertmanager"]["warning"]; got != "high" {
		t.Errorf("user urgency override not decoded: %q", got)
	}
}

func TestTOMLRoundTrip(t *testing.T) {
	r := rulesWith(weeknights, weekend).QuietFor(ts(t, "2026-03-02T23:00:00+01:00"))
	r.Urgency = map[string]map[string]string{"opsgenie": {"P3": "high"}}
	cfg := struct {
		Quiet Rules `toml:"quiet"`
	}{Quiet: r}
	out, err := toml.Marshal(cfg)
	if err != nil {
		t.Fatalf("encoding: %v", err)
	}
	var back struct {
		Quiet Rules `toml:"quiet"`
	}
	if err := toml.Unmarshal(out, &back); err != nil {
		t.Fatalf("decoding own output %s: %v", out, err)
	}
	back.Quiet.QuietUntil = back.Quiet.QuietUntil.In(r.QuietUntil.Location())
	if !reflect.DeepEqual(back.Quiet, r) {
		t.Errorf("round trip changed the rules:\n%s\n%+v\n%+v", out, back.Quiet, r)
	}
}

func TestWindowString(t *testing.T) {
	tests := []struct {
		w    Window
		want string
	}{
		{weeknights, "Mon–Fri 22:00–07:00"},
		{weekend, "Sat, Sun all day"},
		{win("22:00", "07:00", "sun-thu"), "Mon–Thu, Sun 22:00–07:00"},
		{win("22:00", "07:00", "fri-mon"), "Mon, Fri–Sun 22:00–07:00"},
		{allDay("mon-sun"), "Mon–Sun all day"},
		{win("01:00", "02:00", "tue", "thu"), "Tue, Thu 01:00–02:00"},
	}
	for _, tt := range tests {
		if got := tt.w.String(); got != tt.want {
			t.Errorf("%v.String() = %q, want %q", tt.w.Days, got, tt.want)
		}
	}
}

func TestFormatWhen(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	now := ts(t, "2026-03-02T22:00:00+01:00") // Monday
	tests := []struct{ t, want string }{
		{"2026-03-03T07:00:00+01:00", "07:00"},            // tomorrow morning, within 24 h
		{"2026-03-02T23:30:00+01:00", "23:30"},            // today
		{"2026-03-03T21:59:00+01:00", "21:59"},            // just under 24 h
		{"2026-03-03T22:00:00+01:00", "Tue 22:00"},        // 24 h away
		{"2026-03-09T09:00:00+01:00", "Mon 09:00"},        // next Monday
		{"2026-03-02T21:00:00+01:00", "Mon 21:00"},        // an hour ago
		{"2026-03-20T09:00:00+01:00", "Fri 20 Mar 09:00"}, // beyond a week
		{"2026-03-03T02:00:00-05:00", "08:00"},            // other zone, rendered in Berlin
		{"2026-03-29T07:00:00+02:00", "Sun 29 Mar 07:00"}, // far and across DST
	}
	for _, tt := range tests {
		if got := FormatWhen(ts(t, tt.t), now, loc); got != tt.want {
			t.Errorf("FormatWhen(%s) = %q, want %q", tt.t, got, tt.want)
		}
	}
	if got := FormatWhen(time.Time{}, now, loc); got != "further notice" {
		t.Errorf("zero = %q", got)
	}
}

func TestParseClockTable(t *testing.T) {
	ok := map[string]int{"00:00": 0, "07:00": 420, "7:05": 425, "23:59": 1439, "24:00": 1440}
	for s, want := range ok {
		if got, err := ParseClock(s); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "7", "07:0", "007:00", "24:01", "25:00", "-1:00", "+7:00", "07:00:00", "٠٧:٠٠", "7h00", " 7:00"} {
		if _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) accepted", s)
		}
	}
}

// FuzzParseClock checks ParseClock never panics, accepts only in-range
// values, and round-trips through FormatClock.
func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"00:00", "07:00", "7:05", "23:59", "24:00", "25:00", "", ":", "1:1", "99:99", "٠٧:٠٠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseClock(s)
		if err != nil {
			if !strings.Contains(err.Error(), "is not HH:MM") {
				t.Errorf("error %q does not say what is wrong", err)
			}
			return
		}
		if m < 0 || m > minutesPerDay {
			t.Fatalf("ParseClock(%q) = %d, out of range", s, m)
		}
		back, err := ParseClock(FormatClock(m))
		if err != nil || back != m {
			t.Fatalf("round trip of %q: %d → %q → %d, %v", s, m, FormatClock(m), back, err)
		}
		w := Window{Days: []string{"mon"}, From: s, To: "12:34"}
		if err := rulesWith(w).Validate(); err == nil && m == minutesPerDay {
			t.Fatalf("24:00 accepted as from")
		}
	})
}

// FuzzWindow checks that Validate never panics, agrees with the internal
// parser, and that every window it accepts lasts its nominal length give or
// take the DST shift — on DST days too. (A window wholly inside a skipped
// hour, such as 02:30–03:00 on a spring-forward day, is empty that day.)
func FuzzWindow(f *testing.F) {
	f.Add("mon-fri", "22:00", "07:00", false)
	f.Add("sat", "", "", true)
	f.Add("sunday", "02:30", "03:00", false)
	f.Add("fri-mon", "23:59", "24:00", false)
	f.Add("xyz", "7:5", "25:00", true)
	berlin := mustLoc(f, "Europe/Berlin")
	f.Fuzz(func(t *testing.T, days, from, to string, allDay bool) {
		w := Window{Days: []string{days}, From: from, To: to, AllDay: allDay}
		fromMin, toMin, ok := w.bounds()
		if err := rulesWith(w).Validate(); err != nil {
			if ok && w.weekdays() != [7]bool{} {
				t.Fatalf("Validate rejects %+v (%v) but bounds accepts it", w, err)
			}
			return
		}
		if !ok {
			t.Fatalf("Validate accepts %+v but bounds rejects it", w)
		}
		nominal := time.Duration(toMin-fromMin) * time.Minute
		for _, date := range []string{"2026-03-29", "2026-10-25", "2026-06-01"} {
			day, _ := time.Parse(time.DateOnly, date)
			start, end := wallInstant(day, fromMin, berlin), wallInstant(day, toMin, berlin)
			if got := end.Sub(start); got < 0 || got < nominal-time.Hour || got > nominal+time.Hour {
				t.Fatalf("%+v on %s lasts %v, nominal %v", w, date, got, nominal)
			}
		}
	})
}
