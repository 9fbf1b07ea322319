package ical

import (
	"io"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// perfCalendar generates the perf-2000 calendar (2,000 masters × 5 years)
// with tools/ics-gen, or skips when node or the shared tools are absent.
func perfCalendar(b *testing.B) []byte {
	b.Helper()
	gen := filepath.Join(sharedDir(b), "tools", "ics-gen", "gen.mjs")
	if _, err := exec.LookPath("node"); err != nil {
		b.Skip("node not installed")
	}
	out, err := exec.Command("node", gen, "perf-2000", "--events", "2000", "--years", "5").Output()
	if err != nil {
		b.Skipf("ics-gen failed: %v", err)
	}
	return out
}

func benchExpand(b *testing.B, from, to time.Time) {
	data := perfCalendar(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cal, _, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		occs, err := cal.Expand(from, to, Options{Max: 100000})
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteJSONL(io.Discard, occs, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpandFull parses, expands 2000..2030 and prints the first 100,000.
func BenchmarkExpandFull(b *testing.B) {
	benchExpand(b, corpusFrom, corpusTo)
}

// BenchmarkExpand30Days parses and expands a 30-day window.
func BenchmarkExpand30Days(b *testing.B) {
	benchExpand(b, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
}

// BenchmarkParse measures parsing alone.
func BenchmarkParse(b *testing.B) {
	data := perfCalendar(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
