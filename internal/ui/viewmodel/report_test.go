package viewmodel

import (
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/report"
)

func TestReportView(t *testing.T) {
	mon := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	var r report.Report
	r.From = mon.AddDate(0, 0, -7)
	r.Heat[1][3] = 4 // Tue 03:00, the busiest
	r.Heat[1][14] = 1
	r.Heat[6][23] = 2
	r.Weeks = []report.Period{
		{Start: mon.AddDate(0, 0, -7), Coverage: report.NotCovered, Note: "Not recorded: …"},
		{Start: mon, Coverage: report.Full, Counts: report.Counts{Pages: 9, Loud: 7, LoudNight: 5, Responded: 2, Median: 90 * time.Second}},
	}
	v := NewReportView(r)
	for _, c := range []struct{ d, h, count, level int }{{1, 3, 4, 4}, {1, 14, 1, 1}, {6, 23, 2, 2}, {0, 0, 0, 0}} {
		if got := v.Heat.Cells[c.d][c.h]; got.Count != c.count || got.Level != c.level {
			t.Errorf("cell %d/%d = %+v, want count %d level %d", c.d, c.h, got, c.count, c.level)
		}
	}
	if v.Heat.Max != 4 || v.Heat.Caption != "7 loud interruptions since Mon 02 Mar, by hour and weekday." {
		t.Errorf("heat = max %d %q", v.Heat.Max, v.Heat.Caption)
	}
	if len(v.Bars.Bars) != 2 || v.Bars.Max != 7 || !v.Bars.Bars[0].NotRecorded || v.Bars.Bars[1].Night != 5 || v.Bars.Bars[1].Label != "09 Mar" {
		t.Errorf("bars = %+v", v.Bars)
	}
	if tip := v.Bars.Bars[1].Tip; !strings.Contains(tip, "9 pages, 7 loud (5 at night), answered in 1m30s (median)") {
		t.Errorf("tip = %q", tip)
	}
	if empty := NewReportView(report.Report{From: mon}); empty.Heat.Caption != "No loud interruptions since Mon 09 Mar." || empty.Bars.Max != 1 {
		t.Errorf("empty view = %+v", empty)
	}
}
