package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/schedule/ical"
)

// `standby shifts --ics` writes the same shifts `shifts --json` lists, in
// the user's zone, and Standby's own expander reads them back unchanged.
func TestShiftsICSRoundTrip(t *testing.T) {
	start := aliceShift(wednesday)
	w := newWorld(t, aliceConfig)
	file := filepath.Join(w.dir, "rotation.ics")
	if err := os.WriteFile(file, []byte(rotation), 0o600); err != nil {
		t.Fatal(err)
	}
	w.now = fixed(start.Add(50 * time.Hour))
	w.ok("", "feed", "add", "primary", file, "--me", "name:alice")
	from, to := start.Add(-time.Hour), start.AddDate(0, 0, 28)
	rng := []string{"--from", from.Format(time.RFC3339), "--to", to.Format(time.RFC3339)}
	want := decodeSpans(t, w.ok("", append([]string{"shifts", "--json"}, rng...)...))
	text := w.ok("", append([]string{"shifts", "--ics"}, rng...)...).stdout
	if !strings.Contains(text, "DTSTART;TZID=Europe/Berlin:") || !strings.Contains(text, "BEGIN:VTIMEZONE") {
		t.Errorf("times not in the user's zone:\n%s", text)
	}
	cal, _, err := ical.Parse([]byte(text))
	if err != nil {
		t.Fatalf("parsing shifts --ics: %v\n%s", err, text)
	}
	occs, err := cal.Expand(from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0), ical.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := schedule.Merge(schedule.MyShifts(schedule.Source{Feed: "x", Occurrences: occs}))
	if len(got) != len(want) || len(want) != 2 {
		t.Fatalf("read back %d spans, --json listed %d (want 2):\n%s", len(got), len(want), text)
	}
	for i := range want {
		if !got[i].Start.Equal(want[i].Start) || !got[i].End.Equal(want[i].End) {
			t.Errorf("span %d: %v → %v, --json says %v → %v", i, got[i].Start, got[i].End, want[i].Start, want[i].End)
		}
	}
	if r := w.run("", "shifts", "--ics", "--json"); r.code == 0 {
		t.Errorf("--ics with --json accepted:\n%s", r)
	}
}
