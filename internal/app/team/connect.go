package team

import (
	"context"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// connectWait bounds connecting and catching up with the claims and pages
// the hub holds.
const connectWait = 10 * time.Second

// Connect joins the team bus and follows claims and pages until ctx ends
// or Close. It returns once the claims and the pages the hub held at
// connect time are applied, so a one-shot command sees them.
func (t *Team) Connect(ctx context.Context) error {
	if !t.Configured() {
		return nil
	}
	token, err := t.p.Token(ctx)
	if err != nil {
		return t.failed(fmt.Errorf("reading the team token: %w", err))
	}
	cctx, cancel := context.WithTimeout(ctx, connectWait)
	defer cancel()
	c, err := bus.Connect(cctx, bus.Config{URLs: t.p.URLs(), Token: token, Name: "standby " + t.p.Me()})
	if err != nil {
		return t.failed(err)
	}
	fctx, fcancel := context.WithCancel(ctx)
	stop := context.AfterFunc(t.life, fcancel)
	if err := t.follow(fctx, c, cctx); err != nil {
		stop()
		fcancel()
		_ = c.Close()
		return t.failed(err)
	}
	t.wg.Go(func() {
		<-fctx.Done()
		stop()
		t.disconnect(c)
	})
	t.changed()
	return nil
}

// follow publishes my presence on c, starts the watches (presence first,
// so pages pushed at connect are routed with the team in view) and waits
// (at most until wait ends) until claims and pages have caught up.
func (t *Team) follow(ctx context.Context, c *bus.Client, wait context.Context) error {
	t.wg.Go(func() { t.publishPresence(ctx, c) })
	if err := t.startPresence(ctx, wait, c); err != nil {
		return fmt.Errorf("watching presence: %w", err)
	}
	claims, err := c.WatchClaims(ctx)
	if err != nil {
		return fmt.Errorf("watching claims: %w", err)
	}
	pages, err := c.WatchPages(ctx, 0)
	if err != nil {
		return fmt.Errorf("watching pages: %w", err)
	}
	t.followIncidents(ctx, c)
	t.followHandoffs(ctx, c)
	if err := t.use(c); err != nil {
		return err
	}
	t.routingChanged() // the team is in view from now on (Routing needs the connection)
	claimsSynced, pagesSynced := make(chan struct{}), make(chan struct{})
	t.wg.Go(func() { t.followClaims(claims, claimsSynced) })
	t.wg.Go(func() { t.followPages(ctx, pages, pagesSynced) })
	for _, ch := range []chan struct{}{claimsSynced, pagesSynced} {
		select {
		case <-ch:
		case <-wait.Done():
			t.log.Warn("team bus: not caught up in time", "after", connectWait)
			return nil
		}
	}
	return nil
}

// use makes c the connection, unless the team is closing.
func (t *Team) use(c *bus.Client) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closing {
		return ErrClosed
	}
	t.bus, t.busErr = c, nil
	return nil
}

func (t *Team) disconnect(c *bus.Client) {
	_ = c.Close()
	t.mu.Lock()
	if t.bus == c {
		t.bus = nil
	}
	t.mu.Unlock()
	t.changed()
}

func (t *Team) failed(err error) error {
	t.mu.Lock()
	t.busErr = err
	t.mu.Unlock()
	t.changed()
	return err
}

// followClaims applies the team's claims; synced is closed once the claims
// held at the start are applied.
func (t *Team) followClaims(events <-chan bus.ClaimEvent, synced chan struct{}) {
	caughtUp := false
	for ev := range events {
		if ev.Op == bus.ClaimsSynced {
			if !caughtUp {
				caughtUp = true
				close(synced)
			}
			continue
		}
		t.setTeamClaim(ev)
		t.push(ev.Claim.Page)
		if caughtUp {
			t.changed()
		}
	}
}

func (t *Team) setTeamClaim(ev bus.ClaimEvent) {
	id := ev.Claim.Page
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.claims[id]
	if m == nil {
		m = map[string]page.Claim{}
		t.claims[id] = m
	}
	if ev.Op != bus.ClaimSet {
		delete(m, ev.Claim.By)
		if len(m) == 0 {
			delete(t.claims, id)
		}
		return
	}
	c := ev.Claim
	c.Origin = page.OriginBus
	m[c.By] = c
}

// followPages keeps the hub's open pages and hands them to the engine;
// synced is closed once the pages the hub held at the start are applied,
// and pages held from an earlier watch that the hub no longer has close.
func (t *Team) followPages(ctx context.Context, events <-chan bus.PageEvent, synced chan struct{}) {
	seen := map[page.ID]bool{}
	caughtUp := false
	for ev := range events {
		if pagesSynced(ev) {
			if !caughtUp {
				caughtUp = true
				t.closeUnseen(seen)
				close(synced)
			}
			continue
		}
		if !caughtUp {
			seen[ev.Page.ID] = true
		}
		t.hubPage(ctx, t.mapped(ev.Page))
		t.changed()
	}
}

// pagesSynced reports whether ev is the bus's "caught up" marker.
func pagesSynced(ev bus.PageEvent) bool { return ev.Synced }

// mapped gives a hub page its urgency by the one mapping.
func (t *Team) mapped(p page.Page) page.Page {
	k := source.Kind(p.Kind)
	p.Urgency = source.Urgency(k, p.Severity, t.p.Overrides(k), p.Urgency)
	return p
}

func (t *Team) hubPage(ctx context.Context, p page.Page) {
	t.mu.Lock()
	if p.Open() {
		t.pages[p.ID] = p
	} else {
		delete(t.pages, p.ID)
	}
	eng := t.eng
	t.mu.Unlock()
	if eng == nil {
		return
	}
	if !p.Open() {
		eng.Close(p.ID)
		return
	}
	if err := eng.Upsert(ctx, p); err != nil {
		t.log.Warn("page from the hub not taken", "page", p.ID.String(), "err", err)
	}
}

func (t *Team) closeUnseen(seen map[page.ID]bool) {
	t.mu.Lock()
	var gone []page.ID
	for id := range t.pages {
		if !seen[id] {
			gone = append(gone, id)
			delete(t.pages, id)
		}
	}
	eng := t.eng
	t.mu.Unlock()
	if eng == nil {
		return
	}
	for _, id := range gone {
		eng.Close(id)
	}
}
