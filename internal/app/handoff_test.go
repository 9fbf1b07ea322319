package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/handoff"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/store"
)

// Alice's handoff reaches bob through a real hub: the headline he gets
// and the Markdown with her note.
func TestHandoffReachesTheNextOnCall(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := startHub(t, ctx, "off")
	alice, bob := teammate(t, ctx, h, "alice"), teammate(t, ctx, h, "bob")
	now := time.Now()
	shift := handoff.Shift{Name: "Payments", Start: now.Add(-24 * time.Hour), End: now.Add(-time.Minute)}
	for i, title := range []string{"Disk full", "CPU hot"} {
		id := page.ID{Source: "seed", Upstream: title}
		at := shift.Start.Add(time.Duration(i+1) * time.Hour)
		if err := alice.db.RecordSeen(ctx, page.Page{ID: id, Title: title, OpenedAt: at}, at, "Loud"); err != nil {
			t.Fatal(err)
		}
	}
	if err := alice.db.RecordEvent(ctx, store.PageEvent{Page: page.ID{Source: "seed", Upstream: "Disk full"}, At: shift.Start.Add(90 * time.Minute), Kind: store.EventNote, Text: "cleaned /var/log"}); err != nil {
		t.Fatal(err)
	}
	hf, err := alice.handoffOf(ctx, shift, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.PublishHandoff(ctx, hf); err != nil {
		t.Fatal(err)
	}
	got, err := bob.TeamHandoffs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Headline() != "Handoff from alice: 2 pages, 0 still open" || !strings.Contains(got[0].Text, "note: cleaned /var/log") {
		t.Fatalf("bob got %+v", got)
	}
	if mine, err := alice.TeamHandoffs(ctx); err != nil || len(mine) != 0 {
		t.Errorf("alice's own handoff listed for her: %+v %v", mine, err)
	}
}
