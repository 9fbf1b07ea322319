package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFyneSaysNothingInTheCLocale runs `standby version` the way a shell
// in a container does (LANG=C.UTF-8) and in a German locale: it prints its
// version and nothing on stderr. Before internal/clocale, Fyne's init
// printed "Fyne error: Error parsing user locale C" (three lines) on every
// command in the C locale.
func TestFyneSaysNothingInTheCLocale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the app")
	}
	bin := build(t)
	home := t.TempDir()
	for _, lang := range []string{"C.UTF-8", "C", "de_DE.UTF-8", "POSIX"} {
		cmd := exec.Command(bin, "version")
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANGUAGE=") {
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, "LANG="+lang, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "cfg"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("LANG=%s standby version: %v\n%s", lang, err, stderr.String())
		}
		if !strings.HasPrefix(stdout.String(), "standby ") || stderr.Len() != 0 {
			t.Errorf("LANG=%s standby version: stdout %q, stderr %q; want the version and nothing on stderr", lang, stdout.String(), stderr.String())
		}
	}
}
