package viewmodel

import (
	"testing"

	"github.com/standby-oncall/standby/internal/report"
)

func TestTeamLoadView(t *testing.T) {
	tl := report.Team([]report.MemberWeek{
		{Member: "alice", Week: "2026-03-09", Pages: 20, Night: 10},
		{Member: "bob", Week: "2026-03-09", Pages: 5, Night: 1},
		{Member: "carol", Week: "2026-03-09", Pages: 1, Night: 0},
	}, []string{"2026-03-02", "2026-03-09"})
	v := NewTeamLoad(tl)
	if v.Caption != "Last 2 weeks from 2026-03-02; team median 5.0 pages, 1.0 at night." || len(v.Rows) != 3 {
		t.Fatalf("view = %+v", v)
	}
	a, c := v.Rows[0], v.Rows[2]
	if a.Text != "20 pages · 10 at night" || a.PagesBar != 1 || a.NightBar != 0.5 ||
		a.Flag != "Carried more than twice the team median of pages and night interruptions" {
		t.Errorf("alice = %+v", a)
	}
	if c.Text != "1 page · 0 at night" || c.PagesBar != 0.05 || c.Flag != "" {
		t.Errorf("carol = %+v", c)
	}
	if e := NewTeamLoad(report.TeamLoad{}); len(e.Rows) != 0 || e.Caption == "" {
		t.Errorf("empty = %+v", e)
	}
}
