package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// Holds. A page the policy decides Held is listed silently while a teammate
// on call is rung first. Its deadline is stored (so that a restart neither
// loses the escalation nor rings twice) and one goroutine, holdLoop, owns
// every later decision about it: at the deadline, when woken (claims, acks,
// pushed updates, the team view changing: Redecide) and every holdRecheck
// meanwhile (a teammate's presence turning stale changes nothing that could
// wake it). A held page that the policy now rings is notified once (Loud,
// Escalated); one now quiet, deferred or suppressed ends its hold without a
// sound (a deferred one is notified for the digest).

// holdRecheck bounds how long a held page goes without being re-decided.
const holdRecheck = 10 * time.Second

// holdExpiry is how long after its deadline a stored hold whose page never
// shows up again (it resolved while Standby was not running) is kept.
const holdExpiry = 7 * 24 * time.Hour

// Hold is a held page's deadline, as stored.
type Hold struct {
	Page page.ID
	// FirstSeen is when the page was first seen: where the hold starts.
	FirstSeen time.Time
	// Until is the deadline: the page rings then unless the hold ended.
	Until time.Time
}

// ErrNotHeld is returned by RingNow for a page that is not held (any more).
var ErrNotHeld = errors.New("page is not held")

// Redecide asks for every held page to be decided again now, without
// waiting: call it when the team view changes (presence, hub connection).
// It never blocks; requests coalesce.
func (e *Engine) Redecide() {
	select {
	case e.holdWake <- struct{}{}:
	default:
	}
}

// RingNow ends the hold of a held page and rings it now ("Ring me now").
// It returns ErrNotHeld (wrapped) when the page is not held, for instance
// because it has just rung or someone claimed it.
func (e *Engine) RingNow(ctx context.Context, id page.ID) error {
	now := time.Now()
	e.mu.Lock()
	en := e.lookupLocked(id)
	_, held := e.holds[id]
	if en == nil || !held {
		e.mu.Unlock()
		return fmt.Errorf("ring %s now: %w", id, ErrNotHeld)
	}
	d := Decision{Level: Loud, Reason: "Loud: you asked to be rung", Responders: en.decision.Responders, Escalated: true}
	p := mergeClaims(en.p, e.claims[id])
	e.endHoldLocked(id)
	en.decision = d
	e.mu.Unlock()
	// The policy's view of quiet hours now, for the history.
	d.QuietHours = e.router(ctx, now)(p, time.Time{}).QuietHours
	e.notify(ctx, p, d)
	e.storeEnded(ctx)
	e.publish(now)
	return nil
}

// loadHolds reads the holds of an earlier run; those long past their
// deadline are dropped.
func (e *Engine) loadHolds(ctx context.Context, now time.Time) error {
	hs, err := e.store.Holds(ctx)
	if err != nil {
		return fmt.Errorf("reading held pages: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, h := range hs {
		if now.Round(0).Sub(h.Until) > holdExpiry {
			e.unstored = append(e.unstored, h.Page)
			continue
		}
		e.holds[h.Page] = h
	}
	return nil
}

// holdLoop re-decides held pages at their deadlines and when woken.
func (e *Engine) holdLoop(ctx context.Context) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	defer t.Stop()
	for {
		e.storeEnded(ctx)
		if wait, ok := e.nextHoldWait(time.Now()); ok {
			t.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return
		case <-e.holdWake:
		case <-t.C:
		}
		t.Stop()
		e.settleHolds(ctx, time.Now())
	}
}

// nextHoldWait is how long until the next held page must be re-decided:
// its deadline (by the wall clock, which keeps counting while a laptop
// sleeps), at most holdRecheck. Holds whose page is not known yet (after a
// restart, before the first List) wait for the page.
func (e *Engine) nextHoldWait(now time.Time) (time.Duration, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	wait, any := holdRecheck, false
	for id, h := range e.holds {
		if e.lookupLocked(id) == nil {
			continue
		}
		any = true
		wait = min(wait, max(0, h.Until.Sub(now.Round(0))))
	}
	return wait, any
}

// settleHolds re-decides every known held page at now.
func (e *Engine) settleHolds(ctx context.Context, now time.Time) {
	type item struct {
		p page.Page
		h Hold
	}
	var items []item
	e.mu.Lock()
	for id, h := range e.holds {
		if en := e.lookupLocked(id); en != nil {
			items = append(items, item{mergeClaims(en.p, e.claims[id]), h})
		}
	}
	e.mu.Unlock()
	if len(items) == 0 {
		return
	}
	route := e.router(ctx, now)
	changed := false
	for _, it := range items {
		if _, moved := e.settle(ctx, route, it.p, it.h); moved {
			changed = true
		}
	}
	if changed {
		e.publish(now)
	}
}

// settle re-decides the held page p (with its claims) with the Router of
// a pass. It returns the decision and whether the hold ended or moved.
func (e *Engine) settle(ctx context.Context, route Router, p page.Page, h Hold) (Decision, bool) {
	d := route(p, h.FirstSeen)
	if d.Level == Held {
		moved := !d.Until.Equal(h.Until)
		h.Until = d.Until
		if !e.keepHold(h, d) || !moved {
			return d, false
		}
		if err := e.store.PutHold(ctx, h); err != nil {
			e.log.Error("storing moved hold", "page", p.ID, "err", err)
		}
		return d, true
	}
	if d.Level == Loud {
		d.Escalated = true
		if len(d.Responders) == 0 {
			d.Responders = e.responders(p.ID)
		}
	}
	e.mu.Lock()
	_, held := e.holds[p.ID]
	if held {
		e.endHoldLocked(p.ID)
		if en := e.lookupLocked(p.ID); en != nil {
			en.decision = d
		}
	}
	e.mu.Unlock()
	if !held {
		return d, false // RingNow or a resolve got there first
	}
	if d.Level == Loud || d.Level == Deferred {
		e.notify(ctx, p, d)
	}
	e.storeEnded(ctx)
	return d, true
}

// keepHold records the still-held page's decision and deadline; false when
// the hold ended meanwhile.
func (e *Engine) keepHold(h Hold, d Decision) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, held := e.holds[h.Page]; !held {
		return false
	}
	e.holds[h.Page] = h
	if en := e.lookupLocked(h.Page); en != nil {
		en.decision = d
	}
	return true
}

func (e *Engine) responders(id page.ID) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if en := e.lookupLocked(id); en != nil {
		return en.decision.Responders
	}
	return nil
}

// endHoldLocked forgets id's hold; the Store forgets it at the hold
// loop's next pass, which it wakes. Call with e.mu held.
func (e *Engine) endHoldLocked(id page.ID) {
	if _, ok := e.holds[id]; ok {
		delete(e.holds, id)
		e.unstored = append(e.unstored, id)
		e.Redecide()
	}
}

// storeEnded removes ended holds from the Store. A failure is logged and
// retried at the next pass; a restart meanwhile re-decides those pages and
// may ring one again (failing open: twice beats never).
func (e *Engine) storeEnded(ctx context.Context) {
	e.mu.Lock()
	ids := e.unstored
	e.unstored = nil
	e.mu.Unlock()
	var failed []page.ID
	for _, id := range ids {
		if err := e.store.DeleteHold(ctx, id); err != nil {
			e.log.Error("removing ended hold", "page", id, "err", err)
			failed = append(failed, id)
		}
	}
	if len(failed) > 0 {
		e.mu.Lock()
		e.unstored = append(e.unstored, failed...)
		e.mu.Unlock()
	}
}

// dropUnlistedHoldsLocked ends the holds of name's pages that a successful
// List no longer has: they resolved while Standby was not running. Call
// with e.mu held, after the List was applied.
func (e *Engine) dropUnlistedHoldsLocked(name string) {
	for id := range e.holds {
		if id.Source == name && e.lookupLocked(id) == nil {
			e.endHoldLocked(id)
		}
	}
}
