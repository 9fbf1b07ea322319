package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// Upsert adds or updates a page pushed from outside the polling (the team
// hub). A new page is decided and notified like a polled one, once ever per
// Store. A pushed page stays until Close, or until a List of its source that
// had included it no longer does. A page that is not open is closed.
func (e *Engine) Upsert(ctx context.Context, p page.Page) error {
	return e.UpsertAll(ctx, []page.Page{p})
}

// UpsertAll is Upsert for many pages at once (the hub's open pages when a
// team is attached or caught up): the new ones are decided and recorded in
// one pass, as a poll's are. A page with an incomplete id is skipped and
// named in the error; the others are taken.
func (e *Engine) UpsertAll(ctx context.Context, ps []page.Page) error {
	now := time.Now()
	var fresh []page.Page
	var errs []error
	updated := false
	for _, p := range ps {
		switch {
		case p.ID.Source == "" || p.ID.Upstream == "":
			errs = append(errs, fmt.Errorf("upsert page %q: incomplete id", p.ID))
		case !p.Open():
			e.Close(p.ID)
		case e.upsertLocked(p):
			fresh = append(fresh, p)
		default:
			updated = true
		}
	}
	e.opened(ctx, fresh, now)
	if updated {
		e.Redecide() // an update (acked upstream…) may end a hold
	}
	if len(fresh) > 0 || updated {
		e.publish(now)
	}
	return errors.Join(errs...)
}

// upsertLocked stores p and reports whether it is new to this run.
func (e *Engine) upsertLocked(p page.Page) (fresh bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	known := e.pages[p.ID.Source]
	if known == nil {
		known = make(map[string]*entry)
		e.pages[p.ID.Source] = known
	}
	en, ok := known[p.ID.Upstream]
	if !ok {
		known[p.ID.Upstream] = &entry{p: p, external: true}
		return true
	}
	en.p = p
	return false
}

// Close removes a page (resolved as the hub reports it) and emits
// EventResolved. Unknown ids are ignored.
func (e *Engine) Close(id page.ID) {
	now := time.Now()
	if p, ok := e.remove(id); ok {
		e.emit(Event{Kind: EventResolved, Page: p, At: now})
		e.publish(now)
	}
}

func (e *Engine) remove(id page.ID) (page.Page, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	en := e.lookupLocked(id)
	if en == nil {
		return page.Page{}, false
	}
	delete(e.pages[id.Source], id.Upstream)
	e.forgetLocked(id)
	return en.p, true
}

// SetClaims replaces the claims on id learnt from the team bus (claims the
// source itself reports stay on the page). Claims may arrive before the
// page does; they are kept until the page resolves. Decide sees them, and a
// held page is re-decided at once.
func (e *Engine) SetClaims(id page.ID, claims []page.Claim) {
	now := time.Now()
	e.mu.Lock()
	if len(claims) == 0 {
		delete(e.claims, id)
	} else {
		e.claims[id] = slices.Clone(claims)
	}
	e.pruneClaimsLocked(now)
	_, held := e.holds[id]
	e.mu.Unlock()
	if held {
		e.Redecide() // a claim ends the hold
	}
	e.publish(now)
}

// pruneClaimsLocked forgets claims on pages the engine never saw once none
// of them is live any more, so claims for pages that never arrive do not
// pile up.
func (e *Engine) pruneClaimsLocked(now time.Time) {
	for id, cs := range e.claims {
		if e.lookupLocked(id) != nil {
			continue
		}
		if !slices.ContainsFunc(cs, func(c page.Claim) bool { return c.Live(now) }) {
			delete(e.claims, id)
		}
	}
}
