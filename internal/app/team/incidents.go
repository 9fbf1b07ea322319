package team

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
)

// incidentTable is the team's incidents as this app last saw them on the
// hub. The zero value is empty and ready.
type incidentTable struct {
	mu sync.Mutex
	m  map[page.ID]bus.Incident
}

func (it *incidentTable) set(inc bus.Incident) {
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.m == nil {
		it.m = map[page.ID]bus.Incident{}
	}
	it.m[inc.Page] = inc
}

func (it *incidentTable) end(id page.ID) {
	it.mu.Lock()
	defer it.mu.Unlock()
	delete(it.m, id)
}

// followIncidents starts watching the team's incidents on c. A hub older
// than this app has no incidents: that is logged, not fatal.
func (t *Team) followIncidents(ctx context.Context, c *bus.Client) {
	events, err := c.WatchIncidents(ctx)
	if err != nil {
		t.log.Warn("team bus: incidents not followed", "err", err)
		return
	}
	t.wg.Go(func() {
		for ev := range events {
			switch {
			case ev.Synced:
			case ev.Ended:
				t.incidents.end(ev.Incident.Page)
			default:
				t.incidents.set(ev.Incident)
			}
			t.changed()
		}
	})
}

// Incident returns the incident on id, if the team has one.
func (t *Team) Incident(id page.ID) (bus.Incident, bool) {
	t.incidents.mu.Lock()
	defer t.incidents.mu.Unlock()
	inc, ok := t.incidents.m[id]
	return inc, ok
}

// Incidents returns every incident the team has, by page.
func (t *Team) Incidents() map[page.ID]bus.Incident {
	t.incidents.mu.Lock()
	defer t.incidents.mu.Unlock()
	return maps.Clone(t.incidents.m)
}

// Declare makes me the commander of an incident on id with doc as its
// living document; it needs the team hub.
func (t *Team) Declare(ctx context.Context, id page.ID, doc string) (bus.Incident, error) {
	return t.incidentOp(func(c *bus.Client) (bus.Incident, error) { return c.Declare(ctx, id, doc) })
}

// Handover makes to the commander of the incident I command on id.
func (t *Team) Handover(ctx context.Context, id page.ID, to string) (bus.Incident, error) {
	return t.incidentOp(func(c *bus.Client) (bus.Incident, error) { return c.Handover(ctx, id, to) })
}

// Join adds me to the helpers of the incident on id.
func (t *Team) Join(ctx context.Context, id page.ID) (bus.Incident, error) {
	return t.incidentOp(func(c *bus.Client) (bus.Incident, error) { return c.Join(ctx, id) })
}

func (t *Team) incidentOp(do func(*bus.Client) (bus.Incident, error)) (bus.Incident, error) {
	c := t.client()
	if c == nil {
		return bus.Incident{}, fmt.Errorf("incidents are kept on the team hub: %w", ErrNotConnected)
	}
	inc, err := do(c)
	if err != nil {
		return bus.Incident{}, err
	}
	t.incidents.set(inc)
	t.changed()
	return inc, nil
}

// PublishLoad publishes my counts for one week; it needs the team hub.
func (t *Team) PublishLoad(ctx context.Context, l bus.Load) error {
	c := t.client()
	if c == nil {
		return ErrNotConnected
	}
	return c.PublishLoad(ctx, l)
}

// Loads reads the weekly counts the team published.
func (t *Team) Loads(ctx context.Context) ([]bus.Load, error) {
	c := t.client()
	if c == nil {
		return nil, ErrNotConnected
	}
	return c.Loads(ctx)
}

// PublishHandoff publishes my shift handoff; it needs the team hub.
func (t *Team) PublishHandoff(ctx context.Context, h bus.Handoff) error {
	c := t.client()
	if c == nil {
		return ErrNotConnected
	}
	return c.PublishHandoff(ctx, h)
}

// Handoffs reads each member's last handoff.
func (t *Team) Handoffs(ctx context.Context) ([]bus.Handoff, error) {
	c := t.client()
	if c == nil {
		return nil, ErrNotConnected
	}
	return c.Handoffs(ctx)
}
