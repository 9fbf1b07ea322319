package ical

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// referenceWrong lists corpus files whose expected output we deliberately do
// not reproduce, with the reason. Keep it minimal: it is empty since the
// corpus corrected the two files ical.js miscounted (MONTHLY+BYMONTH+BYDAY
// with COUNT) to RFC 5545's nine occurrences.
var referenceWrong = map[string]string{}

func expandFile(tb testing.TB, path string) ([]byte, error) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read: %v", err)
	}
	cal, _, err := Parse(data)
	if err != nil {
		return nil, err
	}
	occs, err := cal.Expand(corpusFrom, corpusTo, Options{Max: 5000})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, occs, 5000); err != nil {
		tb.Fatalf("write: %v", err)
	}
	return buf.Bytes(), nil
}

func TestCorpusConformance(t *testing.T) {
	corpus := filepath.Join(sharedDir(t), "ics-corpus")
	expected, err := filepath.Glob(filepath.Join(corpus, "*", "*.expected.jsonl"))
	if err != nil || len(expected) == 0 {
		t.Fatalf("no expected files in %s (%v)", corpus, err)
	}
	same := 0
	for _, exp := range expected {
		ics := strings.TrimSuffix(exp, ".expected.jsonl") + ".ics"
		rel, _ := filepath.Rel(corpus, ics)
		want, err := os.ReadFile(exp)
		if err != nil {
			t.Fatal(err)
		}
		got, err := expandFile(t, ics)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if bytes.Equal(got, want) {
			same++
			if why, ok := referenceWrong[rel]; ok {
				t.Errorf("%s is listed as reference-wrong (%s) but now matches: remove it", rel, why)
			}
			continue
		}
		if why, ok := referenceWrong[rel]; ok {
			t.Logf("%s differs as documented: %s", rel, why)
			continue
		}
		t.Errorf("%s differs from the reference:\n%s", rel, firstDiff(got, want))
	}
	t.Logf("%d/%d files identical", same, len(expected))
}

// firstDiff describes the first differing line.
func firstDiff(got, want []byte) string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n  got:  " + a + "\n  want: " + b +
				"\n  (" + itoa(len(g)-1) + " vs " + itoa(len(w)-1) + " lines)"
		}
	}
	return "identical"
}

func itoa(n int) string { return string(appendPad(nil, int64(n), 1)) }

// TestCorpusRejected checks that files the reference rejects (exit 3) or
// times out on (exit 4) give an error or a partial result quickly.
func TestCorpusRejected(t *testing.T) {
	corpus := filepath.Join(sharedDir(t), "ics-corpus")
	f, err := os.Open(filepath.Join(corpus, "ORACLE-REPORT.tsv"))
	if err != nil {
		t.Skipf("no ORACLE-REPORT.tsv: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 || (cols[1] != "3" && cols[1] != "4") {
			continue
		}
		n++
		rel := cols[0]
		t.Run(rel, func(t *testing.T) {
			start := time.Now()
			got, err := expandFile(t, filepath.Join(corpus, rel))
			// A guard against searching for ever (the reference timed out on
			// these), not a speed test: bench/ics measures speed; 10 s
			// leaves room for -race on a loaded 2-core machine.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v (limit 10s)", d)
			}
			t.Logf("err=%v, %d lines", err, bytes.Count(got, []byte("\n")))
		})
	}
	if n == 0 {
		t.Error("no rejected files listed")
	}
}

// TestCorpusVTimezoneVsIANA: the same events with and without VTIMEZONE
// blocks must expand identically.
func TestCorpusVTimezoneVsIANA(t *testing.T) {
	corpus := filepath.Join(sharedDir(t), "ics-corpus", "handmade")
	a, errA := expandFile(t, filepath.Join(corpus, "dst_edges_vtimezone.ics"))
	b, errB := expandFile(t, filepath.Join(corpus, "dst_edges_iana_no_vtimezone.ics"))
	if errA != nil || errB != nil {
		t.Fatalf("errors: %v, %v", errA, errB)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("VTIMEZONE and IANA variants differ:\n%s", firstDiff(a, b))
	}
}
