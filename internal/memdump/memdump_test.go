package memdump

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteSavesAProfileAndTheClasses(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir); err != nil {
		t.Fatal(err)
	}
	prof, err := os.ReadFile(filepath.Join(dir, "heap.pprof"))
	if err != nil {
		t.Fatal(err)
	}
	// A pprof profile is a gzipped protocol buffer.
	if len(prof) < 20 || prof[0] != 0x1f || prof[1] != 0x8b {
		t.Errorf("heap.pprof is not gzipped (%d bytes)", len(prof))
	}
	b, err := os.ReadFile(filepath.Join(dir, "memory.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/memory/classes/total:bytes", "/memory/classes/heap/objects:bytes", "/gc/gogc:percent"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("memory.txt lacks %s:\n%s", want, b)
		}
	}
}

func TestWriteRefusesARelativeDir(t *testing.T) {
	if err := Write("relative/dir"); err == nil {
		t.Error("a relative directory was accepted")
	}
}
