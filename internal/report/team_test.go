package report

import (
	"slices"
	"testing"
	"time"
)

func TestLoadWeeks(t *testing.T) {
	got := LoadWeeks(at(time.March, 25, 10, 0), berlin, 4)
	if want := []string{"2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"}; !slices.Equal(got, want) {
		t.Errorf("LoadWeeks = %v, want %v", got, want)
	}
}

func TestTeamFlagsMoreThanTwiceTheMedian(t *testing.T) {
	weeks := []string{"2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"}
	loads := []MemberWeek{
		{Member: "alice", Week: "2026-03-02", Pages: 10, Loud: 8, Night: 6},
		{Member: "alice", Week: "2026-03-09", Pages: 12, Loud: 9, Night: 5},
		{Member: "alice", Week: "2026-02-23", Pages: 99, Night: 99}, // before the range
		{Member: "bob", Week: "2026-03-09", Pages: 5, Loud: 4, Night: 1},
		{Member: "carol", Week: "2026-03-16", Pages: 6, Loud: 3, Night: 2},
		{Member: "dave", Week: "2026-03-23", Pages: 3, Night: 0},
	}
	tl := Team(loads, weeks)
	if tl.MedianPages != 5.5 || tl.MedianNight != 1.5 {
		t.Errorf("medians = %v pages, %v night; want 5.5 and 1.5", tl.MedianPages, tl.MedianNight)
	}
	want := map[string]MemberLoad{
		"alice": {Member: "alice", Pages: 22, Loud: 17, Night: 11, Weeks: 2, Heavy: true, Why: "more than twice the team median of pages and night interruptions"},
		"bob":   {Member: "bob", Pages: 5, Loud: 4, Night: 1, Weeks: 1},
		"carol": {Member: "carol", Pages: 6, Loud: 3, Night: 2, Weeks: 1},
		"dave":  {Member: "dave", Pages: 3, Weeks: 1},
	}
	if len(tl.Members) != len(want) {
		t.Fatalf("members = %+v", tl.Members)
	}
	for _, m := range tl.Members {
		if m != want[m.Member] {
			t.Errorf("%s = %+v, want %+v", m.Member, m, want[m.Member])
		}
	}
}

func TestTeamEdgeCases(t *testing.T) {
	weeks := []string{"2026-03-02"}
	if tl := Team([]MemberWeek{{Member: "alice", Week: "2026-03-02", Pages: 50}}, weeks); tl.Members[0].Heavy {
		t.Error("a team of one flagged")
	}
	tl := Team([]MemberWeek{{Member: "a", Week: "2026-03-02"}, {Member: "b", Week: "2026-03-02"}, {Member: "c", Week: "2026-03-02", Pages: 4}}, weeks)
	if !tl.Members[2].Heavy || tl.Members[0].Heavy {
		t.Errorf("one member carrying everything with a zero median: %+v", tl.Members)
	}
	if tl := Team([]MemberWeek{{Member: "a", Week: "2026-03-02", Pages: 2}, {Member: "b", Week: "2026-03-02", Pages: 2}}, weeks); tl.Members[0].Heavy || tl.Members[1].Heavy {
		t.Error("an even team flagged")
	}
}
