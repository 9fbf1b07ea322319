package engine

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func TestReconcileOpensAndResolves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		rec := &recorder{}
		e := New(params(rec, nil, src))
		stop := run(t, e)
		defer stop()

		a := src.add("a", page.UrgencyHigh)
		b := src.add("b", page.UrgencyLow)
		sleep(DefaultPoll)
		if got := len(e.Snapshot().Pages); got != 2 {
			t.Fatalf("%d pages, want 2", got)
		}

		src.setListErr(errDown)
		src.del("a")
		sleep(DefaultPoll)
		if _, ok := pageState(e.Snapshot(), a); !ok {
			t.Fatal("a failed List resolved a page")
		}

		src.setListErr(nil)
		sleep(time.Minute) // past the backoff
		st := e.Snapshot()
		if _, ok := pageState(st, a); ok {
			t.Error("page missing from a successful List is still open")
		}
		if _, ok := pageState(st, b); !ok {
			t.Error("page b lost")
		}
		res := rec.eventsOf(EventResolved)
		if len(res) != 1 || res[0].Page.ID != a {
			t.Errorf("resolved events %+v, want one for a", res)
		}
		if n := len(rec.eventsOf(EventOpened)); n != 2 {
			t.Errorf("%d opened events, want 2", n)
		}
	})
}

func TestNotifyExactlyOnceAcrossRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &MemStore{}
		src := newFake("pd", 0)
		rec := &recorder{}
		a := src.add("a", page.UrgencyHigh)

		stop := run(t, New(params(rec, store, src)))
		sleep(2 * DefaultPoll)
		stop()

		// Restart: a new engine on the same store sees a again, and b.
		b := src.add("b", page.UrgencyHigh)
		e2 := New(params(rec, store, src))
		stop = run(t, e2)
		sleep(2 * DefaultPoll)
		stop()

		if n := rec.count(a); n != 1 {
			t.Errorf("a notified %d times across a restart", n)
		}
		if n := rec.count(b); n != 1 {
			t.Errorf("b notified %d times", n)
		}
		// The restarted engine still knows the decision for display.
		if ps, _ := pageState(e2.Snapshot(), a); ps.Decision.Level != Loud || ps.Decision.Reason == "" {
			t.Errorf("a after restart has decision %+v", ps.Decision)
		}
	})
}

func TestSleepCatchUp(t *testing.T) {
	// The fake clock leaps 8 h in one step while pages come and go
	// upstream: every page still open when polled is notified exactly once.
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		rec := &recorder{}
		e := New(params(rec, nil, src))
		stop := run(t, e)
		defer stop()

		go func() {
			for i := range 100 {
				src.add(fmt.Sprint(i), page.UrgencyHigh)
				time.Sleep(4 * time.Minute)
			}
		}()
		sleep(8 * time.Hour)
		if n := len(rec.notified()); n != 100 {
			t.Errorf("%d notifications, want 100", n)
		}
		for i := range 100 {
			if n := rec.count(page.ID{Source: "am", Upstream: fmt.Sprint(i)}); n != 1 {
				t.Errorf("page %d notified %d times", i, n)
			}
		}
	})
}

func TestWallClockJumpCatchUp(t *testing.T) {
	// A laptop sleep: the wall clock leaps 2 h while the monotonic timers
	// do not move. The watchdog notices and polls every source at once.
	synctest.Test(t, func(t *testing.T) {
		pd, am := newFake("pd", 0), newFake("am", 0)
		am.setListErr(errDown) // in backoff: its next poll is far off
		rec := &recorder{}
		e := New(params(rec, nil, pd, am))
		var skew atomic.Int64
		e.wallNow = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
		stop := run(t, e)
		defer stop()

		// At 155 s pd has polled every 30 s, am has failed at 0, ~15, ~45
		// and ~105 s; its next retry is due at 180 s or later.
		sleep(155 * time.Second)
		if n := len(am.listTimes()); n != 4 {
			t.Fatalf("am polled %d times, want 4", n)
		}
		am.setListErr(nil)
		a := pd.add("a", page.UrgencyHigh)
		b := am.add("b", page.UrgencyHigh)
		skew.Add(int64(2 * time.Hour))
		before := len(pd.listTimes())
		sleep(5 * time.Second) // next watchdog tick at 160 s
		if len(pd.listTimes()) != before+1 {
			t.Fatalf("no catch-up poll after the clock jump")
		}
		for _, id := range []page.ID{a, b} {
			if n := rec.notified(); rec.count(id) != 1 || !n[len(n)-1].At.Equal(time.Now()) {
				t.Errorf("%v not notified at the catch-up: %+v", id, n)
			}
		}
		sleep(5 * time.Minute)
		if rec.count(a) != 1 || rec.count(b) != 1 {
			t.Errorf("notified more than once: %+v", rec.notified())
		}
	})
}

func TestJumped(t *testing.T) {
	tests := []struct {
		gap  time.Duration
		want bool
	}{
		{jumpCheck, false},
		{jumpCheck + jumpSlack, false},
		{jumpCheck + jumpSlack + 1, true},
		{8 * time.Hour, true},
		{jumpCheck - jumpSlack - 1, true}, // clock stepped back
		{0, false},
	}
	for _, tt := range tests {
		if got := jumped(tt.gap); got != tt.want {
			t.Errorf("jumped(%v) = %v, want %v", tt.gap, got, tt.want)
		}
	}
}

func TestUpsertCloseAndClaims(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{}
		var seen []page.Claim
		p := params(rec, nil)
		p.Decide = func(pg page.Page, now time.Time) Decision {
			seen = pg.Claims
			if _, ok := page.LiveClaimByOther(pg, "me", now); ok {
				return Decision{Level: Quiet, Reason: "someone is looking"}
			}
			return Decision{Level: Loud, Reason: "loud"}
		}
		e := New(p)
		stop := run(t, e)
		defer stop()

		id := page.ID{Source: "hub", Upstream: "fp1"}
		claim := page.Claim{Page: id, By: "alice", Kind: page.ClaimLooking, At: time.Now(), Expires: time.Now().Add(30 * time.Minute), Origin: page.OriginBus}
		e.SetClaims(id, []page.Claim{claim}) // the claim arrives first
		pg := page.Page{ID: id, Title: "disk full", OpenedAt: time.Now()}
		ctx := context.Background()
		if err := e.Upsert(ctx, pg); err != nil {
			t.Fatal(err)
		}
		pg.Title = "disk very full"
		if err := e.Upsert(ctx, pg); err != nil {
			t.Fatal(err)
		}
		if len(seen) != 1 || seen[0].By != "alice" {
			t.Errorf("Decide saw claims %+v", seen)
		}
		n := rec.notified()
		if len(n) != 1 || n[0].D.Level != Quiet {
			t.Fatalf("notifications %+v, want one quiet", n)
		}
		ps, ok := pageState(e.Snapshot(), id)
		if !ok || !ps.External || ps.Title != "disk very full" || len(ps.Claims) != 1 {
			t.Errorf("snapshot page %+v", ps)
		}

		e.Close(id)
		if _, ok := pageState(e.Snapshot(), id); ok {
			t.Error("closed page still open")
		}
		if r := rec.eventsOf(EventResolved); len(r) != 1 {
			t.Errorf("resolved events %+v", r)
		}
		if err := e.Upsert(ctx, page.Page{}); err == nil {
			t.Error("Upsert with an empty id: no error")
		}
	})
}

func TestUpsertedPageSurvivesItsSourcesList(t *testing.T) {
	// The hub may deliver an Alertmanager page before the next poll: it is
	// kept (not resolved) by a List that does not have it yet, and
	// notified only once when the List catches up.
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		rec := &recorder{}
		e := New(params(rec, nil, src))
		stop := run(t, e)
		defer stop()

		id := page.ID{Source: "am", Upstream: "fp"}
		if err := e.Upsert(context.Background(), page.Page{ID: id, Title: "pushed"}); err != nil {
			t.Fatal(err)
		}
		sleep(DefaultPoll)
		if _, ok := pageState(e.Snapshot(), id); !ok {
			t.Fatal("pushed page dropped by a List without it")
		}
		src.add("fp", page.UrgencyHigh)
		sleep(DefaultPoll)
		src.del("fp")
		sleep(DefaultPoll)
		if _, ok := pageState(e.Snapshot(), id); ok {
			t.Error("page resolved upstream is still open")
		}
		if n := rec.count(id); n != 1 {
			t.Errorf("notified %d times", n)
		}
	})
}

func TestClaimsForUnseenPagesExpire(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := New(params(&recorder{}, nil))
		ghost := page.ID{Source: "hub", Upstream: "never"}
		e.SetClaims(ghost, []page.Claim{{Page: ghost, By: "bob", Kind: page.ClaimLooking, At: time.Now(), Expires: time.Now().Add(time.Minute)}})
		time.Sleep(2 * time.Minute)
		other := page.ID{Source: "hub", Upstream: "x"}
		e.SetClaims(other, []page.Claim{{Page: other, By: "bob", Kind: page.ClaimAcked}})
		e.mu.Lock()
		defer e.mu.Unlock()
		if _, ok := e.claims[ghost]; ok {
			t.Error("expired claims on a page never seen are kept")
		}
		if _, ok := e.claims[other]; !ok {
			t.Error("live claim (no expiry) pruned")
		}
	})
}
