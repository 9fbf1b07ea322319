package team

import (
	"context"
	"maps"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/quiet"
)

// Presence for routing (issue #13). While connected the Team publishes my
// presence fields (on call, until, schedule, ringable) at connect and
// whenever they change, and follows the team's presence records: the
// routing policy reads them through Routing, and Params.Routing is told
// whenever what it would see changes, so held pages are decided again.

// presenceRefresh bounds how long a change that nobody announced (a quiet
// window beginning, a shift ending) takes to reach my presence record.
const presenceRefresh = 15 * time.Second

// firstViewWait bounds how long connecting waits for the first presence
// snapshot before following pages, so pages pushed at connect are routed
// with the team in view instead of ringing everyone.
const firstViewWait = 2 * time.Second

// view is the presence watch's latest snapshot, as the Team keeps it.
type view struct {
	team bus.Team
	// ready is closed at the first visible snapshot of the connection.
	ready chan struct{}
}

// Routing returns the team as the routing policy sees it at now. It is
// not visible (so nothing is held) unless the bus is connected, the
// presence watch runs and it is caught up. The watch already drops records
// not renewed for bus.StaleAfter heartbeats (by this app's clock), so the
// members it lists are fresh at now.
func (t *Team) Routing(now time.Time) quiet.Team {
	t.mu.Lock()
	c, v := t.bus, t.view
	t.mu.Unlock()
	if c == nil || !c.Connected() || !v.team.Visible {
		return quiet.Team{}
	}
	out := quiet.Team{Visible: true, Members: make([]quiet.Member, 0, len(v.team.Online))}
	for _, p := range v.team.Members() {
		out.Members = append(out.Members, quiet.Member{
			Name: p.Member, Online: true, OnCall: p.OnCall, Schedule: p.Schedule, Ringable: p.Ringable, Seen: now,
		})
	}
	return out
}

// Members returns the team's presence records as last seen, sorted by
// name, and whether that view is current (connected and caught up).
func (t *Team) Members() ([]bus.Presence, bool) {
	t.mu.Lock()
	c, v := t.bus, t.view
	t.mu.Unlock()
	current := c != nil && c.Connected() && v.team.Visible
	return v.team.Members(), current
}

// WaitView waits (at most max, or until ctx ends) until the team is in
// view: it returns at once when no team is configured, and reports whether
// the team can be seen.
func (t *Team) WaitView(ctx context.Context, max time.Duration) bool {
	if !t.Configured() {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	for {
		t.mu.Lock()
		ready, visible := t.view.ready, t.view.team.Visible && t.bus != nil
		t.mu.Unlock()
		if visible {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-ready: // a new connection's first view
		case <-t.viewChanged:
		}
	}
}

// PresenceChanged asks for my presence fields to be computed again and
// published if they changed. It never blocks; requests coalesce.
func (t *Team) PresenceChanged() {
	select {
	case t.presenceKick <- struct{}{}:
	default:
	}
}

// startPresence starts the presence watch on c for ctx and waits (at most
// firstViewWait, or until wait ends) for its first visible snapshot.
func (t *Team) startPresence(ctx, wait context.Context, c *bus.Client) error {
	ch, err := c.WatchPresence(ctx)
	if err != nil {
		return err
	}
	ready := make(chan struct{})
	t.mu.Lock()
	t.view = view{ready: ready}
	t.mu.Unlock()
	t.wg.Go(func() { t.followPresence(ch, ready) })
	tm := time.NewTimer(firstViewWait)
	defer tm.Stop()
	select {
	case <-ready:
	case <-tm.C:
		t.log.Warn("team presence not seen in time; pages ring everyone until it is", "after", firstViewWait)
	case <-wait.Done():
	}
	return nil
}

// followPresence keeps the latest presence snapshot until the watch ends,
// and tells Params.Routing when what routing sees changed.
func (t *Team) followPresence(ch <-chan bus.Team, ready chan struct{}) {
	first := true
	for snap := range ch {
		t.mu.Lock()
		old := t.view.team
		t.view.team = snap
		t.mu.Unlock()
		if snap.Visible && first {
			first = false
			close(ready)
		}
		if routingChanged(old, snap) {
			t.routingChanged()
		}
	}
	t.mu.Lock()
	t.view.team = bus.Team{}
	t.mu.Unlock()
	t.routingChanged()
}

// routingChanged tells the app that routing may decide differently now.
func (t *Team) routingChanged() {
	select {
	case t.viewChanged <- struct{}{}:
	default:
	}
	if t.p.Routing != nil {
		t.p.Routing()
	}
	t.changed()
}

// routingChanged reports whether a and b differ in what routing reads:
// visibility, who is online, and their routing fields.
func routingChanged(a, b bus.Team) bool {
	if a.Visible != b.Visible || len(a.Online) != len(b.Online) {
		return true
	}
	return !maps.EqualFunc(a.Online, b.Online, func(x, y bus.Presence) bool {
		return x.PresenceFields == y.PresenceFields
	})
}

// publishPresence keeps my presence fields current on c until ctx ends:
// at once, when PresenceChanged is called and every presenceRefresh.
func (t *Team) publishPresence(ctx context.Context, c *bus.Client) {
	if t.p.Presence == nil {
		return
	}
	tick := time.NewTicker(presenceRefresh)
	defer tick.Stop()
	var last *bus.PresenceFields
	for {
		f := t.p.Presence(time.Now())
		if last == nil || f != *last {
			pctx, cancel := context.WithTimeout(ctx, connectWait)
			err := c.SetPresence(pctx, f)
			cancel()
			if err == nil {
				last = &f
			} else if ctx.Err() == nil {
				t.log.Warn("presence not published; retrying", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.presenceKick:
		case <-tick.C:
		}
	}
}
