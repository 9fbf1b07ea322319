package cli_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/report"
	"github.com/standby-oncall/standby/internal/store"
)

// seedHistory writes a history that began Tue 4 March 2025 12:00 UTC:
// one page rung at 03:00 Berlin on Mon 10 March, claimed two minutes later.
func seedHistory(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	since := time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)
	if err := db.SetSetting(ctx, "events_since", strconv.FormatInt(since.UnixMilli(), 10)); err != nil {
		t.Fatal(err)
	}
	rang := time.Date(2025, 3, 10, 2, 0, 0, 0, time.UTC) // 03:00 in Berlin
	id := page.ID{Source: "am", Upstream: "fp1"}
	if err := db.RecordSeen(ctx, page.Page{ID: id, Title: "DiskFull", OpenedAt: rang}, rang, "Loud: on call"); err != nil {
		t.Fatal(err)
	}
	for _, e := range []store.PageEvent{
		{Page: id, At: rang, Kind: store.EventLoud, Quiet: true},
		{Page: id, At: rang.Add(2 * time.Minute), Kind: store.EventClaimed},
	} {
		if err := db.RecordEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReportFromStoredHistory(t *testing.T) {
	w := newWorld(t, aliceConfig)
	seedHistory(t, w.state)
	w.now = fixed(wednesday) // Wed 12 March 2025 10:00 Berlin
	var r report.Report
	out := w.ok("", "report", "--weeks", "3", "--json")
	if err := json.Unmarshal([]byte(out.stdout), &r); err != nil {
		t.Fatalf("report --json: %v\n%s", err, out)
	}
	if len(r.Weeks) != 3 {
		t.Fatalf("%d weeks, want 3\n%s", len(r.Weeks), out)
	}
	if r.Weeks[0].Coverage != report.NotCovered || r.Weeks[1].Coverage != report.Partial || r.Weeks[1].Note != "Recorded from Tue 04 Mar 13:00. No pages." {
		t.Errorf("weeks before and at the history start: %+v, %+v", r.Weeks[0], r.Weeks[1])
	}
	want := report.Counts{Pages: 1, Loud: 1, LoudQuiet: 1, LoudNight: 1, Responded: 1, Median: 2 * time.Minute, P90: 2 * time.Minute}
	if r.Weeks[2].Counts != want {
		t.Errorf("this week = %+v, want %+v", r.Weeks[2].Counts, want)
	}
	if r.Heat[0][3] != 1 {
		t.Errorf("heat Monday 03:00 = %d, want 1", r.Heat[0][3])
	}
	text := w.ok("", "report", "--weeks", "3").stdout
	for _, s := range []string{"Week of Mon 03 Mar 2025", "Not recorded", "So far", "2m0s"} {
		if !strings.Contains(text, s) {
			t.Errorf("report text lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "DiskFull") {
		t.Error("the report prints page titles")
	}
	if r := w.run("", "report", "--weeks", "0"); r.code == 0 || !strings.Contains(r.stderr, "--weeks 0") {
		t.Errorf("--weeks 0 accepted:\n%s", r)
	}
}
