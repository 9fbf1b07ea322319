package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func TestHoldsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a, b := page.ID{Source: "am", Upstream: "fp1"}, page.ID{Source: "pd", Upstream: "Q1"}
	for _, h := range []Hold{
		{Page: a, FirstSeen: t0, Until: t0.Add(10 * time.Minute)},
		{Page: b, FirstSeen: t0, Until: t0.Add(2 * time.Minute)},
		{Page: a, FirstSeen: t0, Until: t0.Add(5 * time.Minute)}, // moved: replaces the first
	} {
		if err := db.PutHold(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Holds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Hold{{Page: b, FirstSeen: t0, Until: t0.Add(2 * time.Minute)}, {Page: a, FirstSeen: t0, Until: t0.Add(5 * time.Minute)}}
	if len(got) != len(want) {
		t.Fatalf("holds = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Page != want[i].Page || !got[i].FirstSeen.Equal(want[i].FirstSeen) || !got[i].Until.Equal(want[i].Until) {
			t.Errorf("hold %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if err := db.DeleteHold(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteHold(ctx, page.ID{Source: "x", Upstream: "never"}); err != nil {
		t.Errorf("deleting an unknown hold: %v", err)
	}
	if got, _ := db.Holds(ctx); len(got) != 1 || got[0].Page != a {
		t.Errorf("after delete: %+v, want only %v", got, a)
	}
}

// A database at schema version 1 (before holds) gains the table and keeps
// its rows.
func TestHoldsMigrationFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{migrations[0], "PRAGMA user_version = 1",
		"INSERT INTO notified(source, upstream, at) VALUES('am', 'old', 1)"} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if first, err := db.MarkNotified(ctx, page.ID{Source: "am", Upstream: "old"}, t0); err != nil || first {
		t.Errorf("version 1 row lost: first=%v err=%v", first, err)
	}
	if err := db.PutHold(ctx, Hold{Page: page.ID{Source: "am", Upstream: "new"}, FirstSeen: t0, Until: t0}); err != nil {
		t.Errorf("holds table missing after migration: %v", err)
	}
}
