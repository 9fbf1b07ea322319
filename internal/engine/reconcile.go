package engine

import (
	"context"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// EventKind says what happened to a page.
type EventKind int

const (
	// EventOpened: the engine saw the page for the first time in this run.
	EventOpened EventKind = iota
	// EventResolved: the page left a successful List, was resolved through
	// the engine, or was closed by the hub.
	EventResolved
)

// String returns "opened" or "resolved".
func (k EventKind) String() string {
	if k == EventResolved {
		return "resolved"
	}
	return "opened"
}

// Event reports a page opening or resolving.
type Event struct {
	Kind EventKind
	Page page.Page
	At   time.Time
	// Decision is the policy's verdict, for EventOpened.
	Decision Decision
	// Notified is true when Notify was called for this opening (the page
	// had never been notified before, per Store).
	Notified bool
}

// reconcile makes the known set of pages of w's source equal to the listed
// ones: new pages are decided and notified, missing ones resolved.
func (e *Engine) reconcile(ctx context.Context, w *worker, listed []page.Page, now time.Time) {
	fresh, gone := e.applyList(w, listed)
	for _, p := range gone {
		e.emit(Event{Kind: EventResolved, Page: p, At: now})
	}
	e.opened(ctx, fresh, now)
}

// applyList updates the page map under the lock and returns the pages new
// to this run and the pages no longer listed.
func (e *Engine) applyList(w *worker, listed []page.Page) (fresh, gone []page.Page) {
	e.mu.Lock()
	defer e.mu.Unlock()
	w.gen++
	known := e.pages[w.name]
	if known == nil {
		known = make(map[string]*entry, len(listed))
		e.pages[w.name] = known
	}
	for _, p := range listed {
		if p.ID.Source != w.name || p.ID.Upstream == "" || !p.Open() {
			continue // an adapter bug; never let it corrupt another source
		}
		en, ok := known[p.ID.Upstream]
		if !ok {
			en = &entry{}
			known[p.ID.Upstream] = en
			fresh = append(fresh, p)
		} else if _, held := e.holds[p.ID]; held {
			e.Redecide() // acked upstream meanwhile, say
		}
		en.p, en.gen, en.external = p, w.gen, false
	}
	for up, en := range known {
		if en.gen != w.gen && !en.external {
			delete(known, up)
			e.forgetLocked(en.p.ID)
			gone = append(gone, en.p)
		}
	}
	e.dropUnlistedHoldsLocked(w.name)
	return fresh, gone
}

// forgetLocked drops what the engine keeps beside a resolved page; its
// hold ends without a sound.
func (e *Engine) forgetLocked(id page.ID) {
	delete(e.claims, id)
	delete(e.actionErr, id)
	e.endHoldLocked(id)
}

// opened handles the pages new to this run as one pass: one Router for
// all of them, then the first notification of every page the policy
// decided now, recorded in one Store call (MarkOpened), then, in list
// order, each page notified (once ever) and announced. A page held in an
// earlier run is re-decided against its stored hold instead (rung now if
// its deadline passed meanwhile with nobody looking).
func (e *Engine) opened(ctx context.Context, fresh []page.Page, now time.Time) {
	if len(fresh) == 0 {
		return
	}
	route := e.router(ctx, now)
	os, pending := e.decideNew(route, fresh, now)
	first := e.markOpened(ctx, os)
	next, held := 0, false
	for _, p := range fresh {
		if h, ok := pending[p.ID]; ok {
			d, _ := e.settle(ctx, route, h.p, h.Hold)
			e.emit(Event{Kind: EventOpened, Page: h.p, At: now, Decision: d})
			continue
		}
		held = e.announce(ctx, route, os[next], first[next]) || held
		next++
	}
	if held {
		e.Redecide() // the loop arms its timer for the new deadlines
	}
}

// heldBefore is a page new to this run that was held in an earlier one,
// with its claims.
type heldBefore struct {
	Hold
	p page.Page
}

// decideNew decides the pages of fresh (with their claims) that are not
// held from an earlier run, in order, and returns those that are.
func (e *Engine) decideNew(route Router, fresh []page.Page, now time.Time) ([]Opening, map[page.ID]heldBefore) {
	firstSeen := now.Round(0) // a hold runs on the wall clock, across restarts and sleep
	os := make([]Opening, 0, len(fresh))
	var pending map[page.ID]heldBefore
	for _, p := range fresh {
		p, h, held := e.claimsAndHold(p)
		if held {
			if pending == nil {
				pending = make(map[page.ID]heldBefore)
			}
			pending[p.ID] = heldBefore{h, p}
			continue
		}
		os = append(os, Opening{Page: p, Decision: route(p, firstSeen), At: now, FirstSeen: firstSeen})
	}
	// Shown at once; a hold starts once it is stored (announce).
	e.mu.Lock()
	for _, o := range os {
		if en := e.lookupLocked(o.Page.ID); en != nil {
			en.decision = o.Decision
		}
	}
	e.mu.Unlock()
	return os, pending
}

// claimsAndHold returns p with the claims learnt from the bus merged in,
// and its hold from an earlier run, if it is held.
func (e *Engine) claimsAndHold(p page.Page) (page.Page, Hold, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	h, held := e.holds[p.ID]
	return mergeClaims(p, e.claims[p.ID]), h, held
}

// markOpened records the first notifications of os in one Store call. If
// that fails, each page goes the way of one page at a time (hold stored
// before the mark), failing open: a page notified twice beats a page never
// notified.
func (e *Engine) markOpened(ctx context.Context, os []Opening) []bool {
	if len(os) == 0 {
		return nil
	}
	first, err := e.store.MarkOpened(ctx, os)
	if err == nil && len(first) == len(os) {
		return first
	}
	e.log.Error("recording new pages at once; one at a time instead", "pages", len(os), "err", err)
	first = make([]bool, len(os))
	for i, o := range os {
		first[i] = e.markOne(ctx, o)
	}
	e.storeEnded(ctx)
	return first
}

// markOne stores o's hold, if held, then marks o notified. It reports
// whether o is notified now for the first time (true on a store error).
func (e *Engine) markOne(ctx context.Context, o Opening) bool {
	if h, held := o.Hold(); held {
		if err := e.store.PutHold(ctx, h); err != nil {
			e.log.Error("storing hold; a restart would forget it", "page", h.Page, "err", err)
		}
	}
	first, err := e.store.MarkNotified(ctx, o.Page.ID, o.At)
	if err != nil {
		e.log.Error("recording notified page", "page", o.Page.ID, "err", err)
		return true
	}
	if _, held := o.Hold(); held && !first {
		e.mu.Lock()
		e.unstored = append(e.unstored, o.Page.ID) // stored above, never held
		e.mu.Unlock()
	}
	return first
}

// announce keeps the decision of the new page o (its hold, when held),
// notifies it when first, and emits EventOpened. It reports whether a hold
// started.
func (e *Engine) announce(ctx context.Context, route Router, o Opening, first bool) bool {
	p, d := o.Page, o.Decision
	if !first && d.Level == Held {
		// Handled in an earlier run, and not held then: never held now.
		d = route(p, time.Time{})
	}
	h, held := Opening{Page: p, Decision: d, FirstSeen: o.FirstSeen}.Hold()
	e.mu.Lock()
	if held {
		e.holds[h.Page] = h
	}
	if en := e.lookupLocked(p.ID); en != nil {
		en.decision = d
	}
	e.mu.Unlock()
	if first {
		e.deliver(ctx, p, d)
	}
	e.emit(Event{Kind: EventOpened, Page: p, At: o.At, Decision: d, Notified: first})
	return held
}

func (e *Engine) lookupLocked(id page.ID) *entry {
	return e.pages[id.Source][id.Upstream]
}

// mergeClaims appends extra to p's own (upstream) claims without touching
// the slice p shares with its source.
func mergeClaims(p page.Page, extra []page.Claim) page.Page {
	if len(extra) == 0 {
		return p
	}
	all := make([]page.Claim, 0, len(p.Claims)+len(extra))
	p.Claims = append(append(all, p.Claims...), extra...)
	return p
}
