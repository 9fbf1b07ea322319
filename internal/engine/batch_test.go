package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// callStore is a MemStore that logs the calls the engine makes, and can
// refuse MarkOpened.
type callStore struct {
	MemStore
	openErr error

	mu    sync.Mutex
	calls []string // "opened N", "hold ID", "mark ID"
}

func (c *callStore) log(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, s)
}

func (c *callStore) logged() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

func (c *callStore) MarkOpened(ctx context.Context, os []Opening) ([]bool, error) {
	c.log(fmt.Sprint("opened ", len(os)))
	if c.openErr != nil {
		return nil, c.openErr
	}
	return c.MemStore.MarkOpened(ctx, os)
}

func (c *callStore) MarkNotified(ctx context.Context, id page.ID, at time.Time) (bool, error) {
	c.log("mark " + id.String())
	return c.MemStore.MarkNotified(ctx, id, at)
}

func (c *callStore) PutHold(ctx context.Context, h Hold) error {
	c.log("hold " + h.Page.String())
	return c.MemStore.PutHold(ctx, h)
}

// halfHeld is a RouterFunc that counts the pages each of its Routers
// decides and holds the pages whose upstream id ends in an even digit for
// a minute (when firstSeen is set); the others are Loud.
type halfHeld struct {
	mu     sync.Mutex
	passes []int // pages decided, by Router
}

func (h *halfHeld) router(_ context.Context, now time.Time) Router {
	h.mu.Lock()
	pass := len(h.passes)
	h.passes = append(h.passes, 0)
	h.mu.Unlock()
	return func(p page.Page, firstSeen time.Time) Decision {
		h.mu.Lock()
		h.passes[pass]++
		h.mu.Unlock()
		last := p.ID.Upstream[len(p.ID.Upstream)-1]
		if !firstSeen.IsZero() && (last-'0')%2 == 0 {
			return Decision{Level: Held, Until: firstSeen.Add(time.Minute), Reason: "Held: Alice is on call"}
		}
		return Decision{Level: Loud, Reason: "Loud"}
	}
}

func (h *halfHeld) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.passes)
}

func (h *halfHeld) decided() []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.passes)
}

// TestFirstPassIsOneLookupAndOneWrite: a poll that brings 50 new pages
// asks for one Router, which decides them all, and records all 50 first
// notifications (holds included) with one MarkOpened; every page is
// notified once and the held ones are held. (The held pages are decided
// again by the hold loop, in a pass of its own.)
func TestFirstPassIsOneLookupAndOneWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 50
		src := newFake("am", 0)
		var ids []page.ID
		for i := range n {
			ids = append(ids, src.add(fmt.Sprintf("p%02d", i), page.UrgencyHigh))
		}
		store, pol, rec := &callStore{}, &halfHeld{}, &recorder{}
		p := params(rec, store, src)
		p.Router = pol.router
		e := New(p)
		stop := run(t, e)
		defer stop()

		passes := pol.decided()
		if len(passes) == 0 || passes[0] != n {
			t.Fatalf("pages decided by each routing lookup: %v; want the first to decide all %d", passes, n)
		}
		for _, k := range passes[1:] {
			if k > n/2 {
				t.Errorf("pages decided by each routing lookup: %v; want later passes over the %d held ones only", passes, n/2)
			}
		}
		if got, want := store.logged(), []string{fmt.Sprint("opened ", n)}; !slices.Equal(got, want) {
			t.Errorf("store calls %v, want %v", got, want)
		}
		holds, _ := store.Holds(context.Background())
		if len(holds) != n/2 {
			t.Errorf("%d holds stored, want %d", len(holds), n/2)
		}
		st := e.Snapshot()
		for i, id := range ids {
			if c := rec.count(id); c != 1 {
				t.Errorf("%s notified %d times, want once", id, c)
			}
			ps, _ := pageState(st, id)
			if want := i%2 == 0; (ps.Decision.Level == Held) != want {
				t.Errorf("%s is %s, held want %v", id, ps.Decision.Level, want)
			}
		}
	})
}

// TestFirstPassFailsOpenOneByOne: when the Store cannot record the pass
// at once, each page is recorded alone, its hold before its mark, and
// every page is still notified.
func TestFirstPassFailsOpenOneByOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		a, b := src.add("a0", page.UrgencyHigh), src.add("b1", page.UrgencyHigh)
		store, pol, rec := &callStore{openErr: errors.New("disk full")}, &halfHeld{}, &recorder{}
		p := params(rec, store, src)
		p.Router = pol.router
		e := New(p)
		stop := run(t, e)
		defer stop()

		calls := store.logged()
		hold, mark := slices.Index(calls, "hold "+a.String()), slices.Index(calls, "mark "+a.String())
		if hold < 0 || mark < hold {
			t.Errorf("store calls %v: want a0's hold stored before its mark", calls)
		}
		if !slices.Contains(calls, "mark "+b.String()) || slices.Contains(calls, "hold "+b.String()) {
			t.Errorf("store calls %v: want b1 marked, not held", calls)
		}
		if rec.count(a) != 1 || rec.count(b) != 1 {
			t.Errorf("notified a0 %d and b1 %d times, want once each", rec.count(a), rec.count(b))
		}
	})
}

// TestPassRouterIsNotKept: each pass asks for a new Router, so a setting
// changed between polls counts at the next one.
func TestPassRouterIsNotKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		src.add("a1", page.UrgencyHigh)
		pol, rec := &halfHeld{}, &recorder{}
		p := params(rec, nil, src)
		p.Router = pol.router
		e := New(p)
		stop := run(t, e)
		defer stop()
		src.add("b1", page.UrgencyHigh)
		sleep(DefaultPoll)
		src.add("c1", page.UrgencyHigh)
		sleep(DefaultPoll)
		if got := pol.count(); got != 3 {
			t.Errorf("%d routing lookups for three passes with a new page each, want 3", got)
		}
		sleep(DefaultPoll) // nothing new: nothing to decide
		if got := pol.count(); got != 3 {
			t.Errorf("a pass with no new page looked up routing (%d lookups, want 3)", got)
		}
	})
}

// TestUpsertAllIsOnePass: pages pushed together (the hub's open pages when
// a team is attached) are decided by one Router and recorded by one
// MarkOpened; a page with an incomplete id is refused by name and the
// others are taken.
func TestUpsertAllIsOnePass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 20
		store, pol, rec := &callStore{}, &halfHeld{}, &recorder{}
		p := params(rec, store)
		p.Router = pol.router
		e := New(p)
		stop := run(t, e)
		defer stop()
		var ps []page.Page
		for i := range n {
			ps = append(ps, page.Page{ID: page.ID{Source: "hub", Upstream: fmt.Sprintf("h%02d", i)}, Status: page.StatusTriggered})
		}
		ps = append(ps, page.Page{ID: page.ID{Source: "hub"}, Status: page.StatusTriggered})
		err := e.UpsertAll(context.Background(), ps)
		if err == nil || !strings.Contains(err.Error(), "incomplete id") {
			t.Errorf("UpsertAll = %v, want the incomplete id refused", err)
		}
		synctest.Wait()
		if passes := pol.decided(); len(passes) == 0 || passes[0] != n {
			t.Errorf("pages decided by each routing lookup: %v; want the first to decide all %d", passes, n)
		}
		if got, want := store.logged(), []string{fmt.Sprint("opened ", n)}; !slices.Equal(got, want) {
			t.Errorf("store calls %v, want %v", got, want)
		}
		if got := len(e.Snapshot().Pages); got != n || len(rec.notified()) != n {
			t.Errorf("%d pages listed and %d notified, want %d", got, len(rec.notified()), n)
		}
	})
}
