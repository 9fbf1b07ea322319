package team

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// Look records my "I'm looking" claim on id for ttl: on the team bus when
// connected (and then as the hub stored it), else on this computer only.
func (t *Team) Look(ctx context.Context, id page.ID, me string, ttl time.Duration, now time.Time) (page.Claim, error) {
	c := page.Claim{Page: id, By: me, Kind: page.ClaimLooking, At: now, Expires: now.Add(ttl), Origin: page.OriginLocal}
	if bc := t.client(); bc != nil {
		published, err := bc.Claim(ctx, id, page.ClaimLooking, ttl)
		if err != nil {
			return page.Claim{}, fmt.Errorf("telling the team: %w", err)
		}
		c = published
	}
	t.mu.Lock()
	t.local[id] = c
	t.mu.Unlock()
	t.push(id)
	return c, nil
}

// Acked tells the team I acked id (it ends my claim). Without a connection
// it reports ErrNotConnected.
func (t *Team) Acked(ctx context.Context, id page.ID) error {
	t.Drop(id)
	bc := t.client()
	if bc == nil {
		return ErrNotConnected
	}
	if _, err := bc.Claim(ctx, id, page.ClaimAcked, 0); err != nil {
		return fmt.Errorf("telling the team: %w", err)
	}
	return nil
}

// ErrNotConnected says the team bus is configured but not connected, or
// not configured.
var ErrNotConnected = fmt.Errorf("the team hub is not connected")

// Release ends my claim on id.
func (t *Team) Release(ctx context.Context, id page.ID) error {
	t.Drop(id)
	if bc := t.client(); bc != nil {
		if err := bc.Release(ctx, id); err != nil {
			return fmt.Errorf("releasing the claim: %w", err)
		}
	}
	return nil
}

// Drop forgets my claim on id here (after an ack or resolve).
func (t *Team) Drop(id page.ID) {
	t.mu.Lock()
	_, had := t.local[id]
	delete(t.local, id)
	t.mu.Unlock()
	if had {
		t.push(id)
	}
}

// Mine returns my claims live at now.
func (t *Team) Mine(now time.Time) map[page.ID]page.Claim {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[page.ID]page.Claim, len(t.local))
	for id, c := range t.local {
		if c.Live(now) {
			out[id] = c
		}
	}
	return out
}

// MyClaim returns my claim on id if it is live at now.
func (t *Team) MyClaim(id page.ID, now time.Time) (page.Claim, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.local[id]
	return c, ok && c.Live(now)
}

// HubPage reports whether id is an open page pushed by the hub.
func (t *Team) HubPage(id page.ID) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.pages[id]
	return ok
}

// push gives the engine every claim known on id: the team's and, when not
// on the team bus, my own.
func (t *Team) push(id page.ID) {
	t.mu.Lock()
	all := slices.Collect(maps.Values(t.claims[id]))
	if c, ok := t.local[id]; ok && t.bus == nil {
		all = append(all, c)
	}
	eng := t.eng
	t.mu.Unlock()
	if eng == nil {
		return
	}
	slices.SortFunc(all, func(a, b page.Claim) int { return a.At.Compare(b.At) })
	eng.SetClaims(id, all)
}
