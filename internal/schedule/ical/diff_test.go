package ical

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// oracleDir returns a directory with the reference expander and its
// node_modules: ../shared/tools/ics-oracle itself when it has them, else a
// copy in the user cache dir where `npm ci` is run once. Never writes into
// ../shared. Skips when node or npm are unusable.
func oracleDir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed; skipping differential test")
	}
	src := filepath.Join(sharedDir(t), "tools", "ics-oracle")
	if _, err := os.Stat(filepath.Join(src, "node_modules", "ical.js")); err == nil {
		return src
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dst := filepath.Join(cache, "standby-ics-oracle")
	if _, err := os.Stat(filepath.Join(dst, "node_modules", "ical.js")); err == nil {
		if copyOracle(src, dst) == nil {
			return dst
		}
	}
	tmp, err := os.MkdirTemp(cache, "ics-oracle-*")
	if err != nil {
		t.Skipf("cannot create oracle copy: %v", err)
	}
	if err := copyOracle(src, tmp); err != nil {
		t.Skipf("cannot copy oracle: %v", err)
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		t.Skipf("npm ci failed (offline?); skipping differential test: %v\n%s", err, out)
	}
	os.RemoveAll(dst)
	if err := os.Rename(tmp, dst); err != nil {
		return tmp // another run won the race; use our copy
	}
	return dst
}

// copyOracle refreshes the oracle's own files (not node_modules) in dst.
func copyOracle(src, dst string) error {
	for _, f := range []string{"expand.mjs", "package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			return fmt.Errorf("reading oracle file: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
			return fmt.Errorf("writing oracle copy: %w", err)
		}
	}
	return nil
}

type genCase struct {
	seed string
	args []string
	from string
	to   string
}

func genCases(short bool) []genCase {
	var cs []genCase
	// 7 seeds × {VTIMEZONE, --no-vtimezone} × {full, 30-day window} keeps the
	// test near 50 s on 2 cores (the oracle needs ~2 s per full window).
	seeds := []string{"1", "oncall", "dst", "berlin", "42", "alpha", "omega"}
	if short {
		seeds = seeds[:2]
	}
	for i, s := range seeds {
		start := 2008 + (i*3)%17
		extra := []string{"--start", fmt.Sprintf("%d-0%d-1%d", start, i%9+1, i%9),
			"--years", fmt.Sprint(i%5 + 1), "--events", fmt.Sprint(30 + 10*(i%4))}
		for _, nv := range [][]string{nil, {"--no-vtimezone"}} {
			args := append(append([]string{}, extra...), nv...)
			cs = append(cs, genCase{s, args, "2000-01-01T00:00:00Z", "2040-01-01T00:00:00Z"})
			cs = append(cs, genCase{s, args, fmt.Sprintf("%d-10-15T00:00:00Z", start+1), fmt.Sprintf("%d-11-14T00:00:00Z", start+1)})
		}
	}
	return cs
}

// TestDifferentialGenerated generates calendars with tools/ics-gen and checks
// that the reference expander and ours print identical lines.
func TestDifferentialGenerated(t *testing.T) {
	shared := sharedDir(t)
	oracle := oracleDir(t)
	gen := filepath.Join(shared, "tools", "ics-gen", "gen.mjs")
	dir := t.TempDir()
	cases := genCases(testing.Short())
	t.Run("cases", func(t *testing.T) {
		for i, c := range cases {
			t.Run(fmt.Sprintf("%s%v_%s", c.seed, c.args, c.from[:10]), func(t *testing.T) {
				t.Parallel()
				diffOne(t, gen, oracle, filepath.Join(dir, fmt.Sprintf("g%d.ics", i)), c)
			})
		}
	})
	t.Logf("%d generated calendars compared (seeds with and without --no-vtimezone)", len(cases))
}

func diffOne(t *testing.T, gen, oracle, ics string, c genCase) {
	out, err := exec.Command("node", append([]string{gen, c.seed}, c.args...)...).Output()
	if err != nil {
		t.Fatalf("gen %s %v: %v", c.seed, c.args, err)
	}
	if err := os.WriteFile(ics, out, 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := exec.Command("node", filepath.Join(oracle, "expand.mjs"), ics, c.from, c.to,
		"--max", "100000").Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	from, _ := time.Parse(time.RFC3339, c.from)
	to, _ := time.Parse(time.RFC3339, c.to)
	cal, _, err := Parse(out)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	occs, err := cal.Expand(from, to, Options{Max: 100000})
	if err != nil {
		t.Fatalf("expand: %v", err)
	}
	var got bytes.Buffer
	if err := WriteJSONL(&got, occs, 0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("window %s..%s differs from the reference:\n%s", c.from, c.to, firstDiff(got.Bytes(), want))
	}
}
