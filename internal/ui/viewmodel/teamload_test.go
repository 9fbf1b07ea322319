package viewmodel

import (
	"errors"
	"strings"
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

// The Team view says honestly why it is empty or leaves me out.
func TestTeamLoadViewStates(t *testing.T) {
	tl := report.Team([]report.MemberWeek{{Member: "bob", Week: "2026-03-09", Pages: 5, Night: 1}}, []string{"2026-03-09"})
	alone := NewTeamLoadView(tl, TeamLoadState{Sharing: true})
	if len(alone.Rows) != 0 || !strings.HasPrefix(alone.Caption, "Working alone") {
		t.Errorf("without a hub: %+v", alone)
	}
	failed := NewTeamLoadView(tl, TeamLoadState{Team: true, Sharing: true, Err: errors.New("not connected")})
	if len(failed.Rows) != 0 || failed.Caption != "The team's load could not be read: not connected." {
		t.Errorf("hub failing: %+v", failed)
	}
	off := NewTeamLoadView(tl, TeamLoadState{Team: true})
	if len(off.Rows) != 1 || !strings.HasPrefix(off.Note, "share_load is off") {
		t.Errorf("share_load off: %+v", off)
	}
	on := NewTeamLoadView(tl, TeamLoadState{Team: true, Sharing: true})
	if len(on.Rows) != 1 || on.Note != "" {
		t.Errorf("sharing: %+v", on)
	}
	if none := NewTeamLoadView(report.TeamLoad{}, TeamLoadState{Team: true}); len(none.Rows) != 0 || none.Caption != "Nobody on the team shares their load yet." || none.Note == "" {
		t.Errorf("nobody shares: %+v", none)
	}
}
