package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func TestPageEventsSurviveReopenInOrder(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	before := time.Now()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a, b := page.ID{Source: "am", Upstream: "fp1"}, page.ID{Source: "pd", Upstream: "Q1"}
	evs := []PageEvent{
		{Page: a, At: t0, Kind: EventLoud, Quiet: true},
		{Page: b, At: t0.Add(time.Minute), Kind: EventHeld, Who: "bob"},
		{Page: a, At: t0.Add(2 * time.Minute), Kind: EventClaimed},
		{Page: a, At: t0.Add(2 * time.Minute), Kind: EventNote, Text: "rolled back"}, // same instant: insertion order
		{Page: b, At: t0.Add(time.Hour), Kind: EventLoud},
	}
	for _, e := range evs {
		if err := db.RecordEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.PageEvents(ctx, t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i].At = got[i].At.UTC()
	}
	if !reflect.DeepEqual(got, evs[:4]) {
		t.Errorf("PageEvents = %+v\nwant %+v", got, evs[:4])
	}
	since, err := db.EventsSince(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if since.Before(before.Add(-time.Second)) || since.After(time.Now().Add(time.Second)) {
		t.Errorf("EventsSince = %v, want the first Open (%v)", since, before)
	}
}

func TestHistoryBetween(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, id := range []string{"a", "b", "c"} {
		p := page.Page{ID: page.ID{Source: "s", Upstream: id}, Title: id, OpenedAt: t0}
		if err := db.RecordSeen(ctx, p, t0.Add(time.Duration(i)*time.Hour), "Loud: x"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.HistoryBetween(ctx, t0.Add(time.Hour), t0.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID.Upstream != "b" || got[1].ID.Upstream != "c" {
		t.Errorf("HistoryBetween = %+v, want b then c", got)
	}
}
