//go:build linux && cgo

package memtrim

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// Freed C memory below a live block stays resident until Trim.
func TestTrimReturnsFreedCMemory(t *testing.T) {
	// 4,096 blocks of 16 KiB: below glibc's mmap threshold, so they come
	// from the heap, 64 MiB of it.
	release := fragment(4096, 16<<10)
	defer release()
	before := rssAnonKiB(t)
	if !Trim() {
		t.Fatal("malloc_trim released nothing")
	}
	after := rssAnonKiB(t)
	if before-after < 32<<10 {
		t.Errorf("anonymous RSS %d KiB → %d KiB: less than 32 MiB of the 64 MiB freed came back", before, after)
	}
}

func rssAnonKiB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no RssAnon in /proc/self/status")
	return 0
}
