package ical

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParseExpand checks that no input makes Parse, Expand or WriteJSONL
// panic (Expand turns panics into "internal error" errors, which fail here)
// and that the work stays bounded.
func FuzzParseExpand(f *testing.F) {
	f.Add(wrap(vevent("a", "DTSTART;TZID=Europe/Berlin:20240331T023000", "RRULE:FREQ=DAILY;COUNT=3")...))
	f.Add(wrap(vevent("b", "DTSTART;VALUE=DATE:20240101", "RRULE:FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO",
		"EXDATE:20250101T000000Z,bad", "RDATE;VALUE=PERIOD:20240110T090000Z/PT1H")...))
	f.Add([]byte("\xEF\xBB\xBFBEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:2024\xC3\n \xA9\nEND:VEVENT\nEND:VCALENDAR"))
	if dir, err := os.Getwd(); err == nil {
		// seed from the shared corpus when it is there (best effort)
		for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
			files, _ := filepath.Glob(filepath.Join(d, "..", "shared", "ics-corpus", "*", "*.ics"))
			if len(files) == 0 {
				continue
			}
			for _, p := range files {
				if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
					f.Add(b)
				}
			}
			break
		}
	}
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		cal, _, err := Parse(data)
		if err != nil {
			return
		}
		start := time.Now()
		occs, err := cal.Expand(from, to, Options{Max: 1000, MaxIter: 100000})
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("Expand panicked: %v", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Expand took %v", d)
		}
		if err := WriteJSONL(io.Discard, occs, 0); err != nil {
			t.Fatal(err)
		}
	})
}
