package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func TestMarkOpenedRecordsFirstNotificationsOnly(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	a, b, c := page.ID{Source: "am", Upstream: "a"}, page.ID{Source: "am", Upstream: "b"}, page.ID{Source: "pd", Upstream: "c"}
	if _, err := db.MarkNotified(ctx, c, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	hold := Hold{Page: b, FirstSeen: t0, Until: t0.Add(3 * time.Minute)}
	first, err := db.MarkOpened(ctx, []Opened{
		{Page: page.Page{ID: a, Title: "A", Service: "api", OpenedAt: t0.Add(-time.Minute)}, At: t0, Decision: "Loud: on call", Kind: EventLoud},
		{Page: page.Page{ID: b, Title: "B"}, At: t0, Hold: &hold, Decision: "Held: Alice is on call", Kind: EventHeld, Quiet: true},
		{Page: page.Page{ID: c, Title: "C"}, At: t0, Hold: &Hold{Page: c, FirstSeen: t0, Until: t0.Add(time.Minute)}, Kind: EventHeld},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, true, false}; !slices.Equal(first, want) {
		t.Errorf("first = %v, want %v", first, want)
	}
	holds, err := db.Holds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(holds) != 1 || holds[0].Page != b || !holds[0].FirstSeen.Equal(hold.FirstSeen) || !holds[0].Until.Equal(hold.Until) {
		t.Errorf("holds %+v, want only b's %+v (c was notified before)", holds, hold)
	}
	hist, err := db.HistoryBetween(ctx, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].ID != a || hist[0].Title != "A" || hist[0].Service != "api" || !hist[0].Seen.Equal(t0) ||
		!hist[0].Opened.Equal(t0.Add(-time.Minute)) || hist[0].Decision != "Loud: on call" || hist[1].ID != b {
		t.Errorf("history %+v, want a then b, as RecordSeen writes them", hist)
	}
	evs, err := db.PageEvents(ctx, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []PageEvent{{Page: a, At: t0, Kind: EventLoud}, {Page: b, At: t0, Kind: EventHeld, Quiet: true}}
	if !slices.EqualFunc(evs, want, func(x, y PageEvent) bool {
		return x.At.Equal(y.At) && x.Page == y.Page && x.Kind == y.Kind && x.Quiet == y.Quiet && x.Who == y.Who && x.Text == y.Text
	}) {
		t.Errorf("events %+v, want %+v", evs, want)
	}
}

// TestMarkOpenedIsOneTransaction: when one page of the batch cannot be
// recorded, none is (so none is marked notified without its history and
// hold), and the error says so.
func TestMarkOpenedIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	// A trigger that refuses the second page's event, after the first
	// page was written in full.
	if _, err := db.db.ExecContext(ctx, `CREATE TRIGGER refuse BEFORE INSERT ON page_events
		WHEN NEW.upstream = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	good, bad := page.ID{Source: "am", Upstream: "good"}, page.ID{Source: "am", Upstream: "bad"}
	_, err := db.MarkOpened(ctx, []Opened{
		{Page: page.Page{ID: good}, At: t0, Hold: &Hold{Page: good, FirstSeen: t0, Until: t0.Add(time.Minute)}, Kind: EventHeld},
		{Page: page.Page{ID: bad}, At: t0, Kind: EventLoud},
	})
	if err == nil {
		t.Fatal("MarkOpened succeeded with a refused event")
	}
	for _, id := range []page.ID{good, bad} {
		if ok, err := db.WasNotified(ctx, id); err != nil || ok {
			t.Errorf("%s marked notified (%v, err %v) by a batch that failed", id, ok, err)
		}
	}
	holds, _ := db.Holds(ctx)
	hist, _ := db.HistoryBetween(ctx, t0.Add(-time.Hour), t0.Add(time.Hour))
	if len(holds) != 0 || len(hist) != 0 {
		t.Errorf("a failed batch left %d holds and %d history entries", len(holds), len(hist))
	}
}

func BenchmarkMarkOpened500(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir()+"/s.db")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	os := make([]Opened, 500)
	b.ReportAllocs()
	round := 0
	for b.Loop() {
		round++
		for i := range os {
			id := page.ID{Source: "am", Upstream: fmt.Sprintf("%d-%d", round, i)}
			os[i] = Opened{Page: page.Page{ID: id, Title: "t"}, At: t0, Kind: EventLoud}
		}
		if _, err := db.MarkOpened(ctx, os); err != nil {
			b.Fatal(err)
		}
	}
}
