package ical

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sharedDir finds ../shared next to the module root (the directory holding
// go.mod), or skips the test when it is absent.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("module root not found; skipping tests that need ../shared")
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "ics-corpus")); err != nil {
		tb.Skipf("%s/ics-corpus not present; skipping", shared)
	}
	return shared
}

var (
	corpusFrom = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	corpusTo   = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
)
