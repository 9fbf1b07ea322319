// Package memdump writes what a running process holds in memory — a heap
// profile and the Go runtime's memory classes — so that a benchmark can
// tell the Go heap from what cgo, GL and fonts hold outside it.
package memdump

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
)

// Write writes heap.pprof (after a GC) and memory.txt (Classes) into dir,
// an existing absolute directory.
func Write(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("memory dump: %q is not an absolute directory", dir)
	}
	runtime.GC()
	f, err := os.Create(filepath.Join(dir, "heap.pprof"))
	if err != nil {
		return fmt.Errorf("writing the heap profile: %w", err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("writing the heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the heap profile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "memory.txt"), []byte(Classes()), 0o600); err != nil {
		return fmt.Errorf("writing the memory classes: %w", err)
	}
	return nil
}

// Classes lists the runtime's /memory/classes/* and heap goal in MiB, and
// GOGC, one "name value" a line.
func Classes() string {
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") || d.Name == "/gc/heap/goal:bytes" || d.Name == "/gc/gogc:percent" {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	var b strings.Builder
	for _, s := range samples {
		if s.Value.Kind() != metrics.KindUint64 {
			continue
		}
		v := float64(s.Value.Uint64())
		if strings.HasSuffix(s.Name, ":bytes") {
			v /= 1 << 20
		}
		fmt.Fprintf(&b, "%-55s %8.2f\n", s.Name, v)
	}
	return b.String()
}
