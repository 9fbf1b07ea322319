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
	for _, p := range fresh {
		e.opened(ctx, p, now)
	}
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

// opened handles a page new to this run: decide, record, notify once ever.
// A page held in an earlier run is re-decided against its stored hold
// instead (rung now if its deadline passed meanwhile with nobody looking).
func (e *Engine) opened(ctx context.Context, p page.Page, now time.Time) {
	p = e.withClaims(p)
	if h, ok := e.pendingHold(p.ID); ok {
		d, _ := e.settle(ctx, p, h, now)
		e.emit(Event{Kind: EventOpened, Page: p, At: now, Decision: d})
		return
	}
	firstSeen := now.Round(0) // a hold runs on the wall clock, across restarts and sleep
	d := e.route(p, firstSeen, now)
	if d.Level == Held {
		// Stored before MarkNotified, so that no crash between the two
		// leaves a page notified as held but with no hold to ring it.
		e.startHold(ctx, Hold{Page: p.ID, FirstSeen: firstSeen, Until: d.Until}, d)
	} else {
		e.setDecision(p.ID, d)
	}
	first, err := e.store.MarkNotified(ctx, p.ID, now)
	if err != nil {
		// Fail open: a page notified twice beats a page never notified.
		e.log.Error("recording notified page", "page", p.ID, "err", err)
		first = true
	}
	if !first && d.Level == Held {
		// Handled in an earlier run, and not held then: never held now.
		d = e.route(p, time.Time{}, now)
		e.mu.Lock()
		e.endHoldLocked(p.ID)
		if en := e.lookupLocked(p.ID); en != nil {
			en.decision = d
		}
		e.mu.Unlock()
		e.storeEnded(ctx)
	}
	if first {
		e.notify(ctx, p, d)
	}
	e.emit(Event{Kind: EventOpened, Page: p, At: now, Decision: d, Notified: first})
}

func (e *Engine) setDecision(id page.ID, d Decision) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if en := e.lookupLocked(id); en != nil {
		en.decision = d
	}
}

func (e *Engine) lookupLocked(id page.ID) *entry {
	return e.pages[id.Source][id.Upstream]
}

// withClaims returns p with the claims learnt from the bus merged in.
func (e *Engine) withClaims(p page.Page) page.Page {
	e.mu.Lock()
	defer e.mu.Unlock()
	return mergeClaims(p, e.claims[p.ID])
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
