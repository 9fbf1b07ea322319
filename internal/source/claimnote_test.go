package source

import (
	"slices"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func TestClaimsFromNotes(t *testing.T) {
	type note struct {
		text string
		at   time.Time
	}
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	id := page.ID{Source: "pd", Upstream: "Q1"}
	notes := []note{
		{ClaimNoteText("alice"), t0.Add(2 * time.Minute)},
		{"rolled back deploy 1234", t0},
		{ClaimNoteText("bob"), t0},
		{ClaimNoteText("alice"), t0}, // older than her first: ignored
		{ClaimNoteText("bob"), t0.Add(5 * time.Minute)},
	}
	got := ClaimsFromNotes(id, notes, 30*time.Minute, func(n note) (string, time.Time) { return n.text, n.at })
	claim := func(by string, at time.Time) page.Claim {
		return page.Claim{Page: id, By: by, Kind: page.ClaimLooking, At: at, Expires: at.Add(30 * time.Minute), Origin: page.OriginUpstream}
	}
	want := []page.Claim{claim("alice", t0.Add(2*time.Minute)), claim("bob", t0.Add(5*time.Minute))}
	if !slices.Equal(got, want) {
		t.Errorf("claims = %+v\nwant %+v", got, want)
	}
}
