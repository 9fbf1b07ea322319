package team

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/standby-oncall/standby/internal/bus"
)

// handoffTable is each member's last handoff as this app last saw it on
// the hub, with a signal for the one who reacts to new ones. The zero
// value is empty; kick must be made before use (New does).
type handoffTable struct {
	mu   sync.Mutex
	m    map[string]bus.Handoff
	kick chan struct{}
}

func (ht *handoffTable) set(h bus.Handoff) {
	ht.mu.Lock()
	if ht.m == nil {
		ht.m = map[string]bus.Handoff{}
	}
	ht.m[h.From] = h
	ht.mu.Unlock()
	select {
	case ht.kick <- struct{}{}:
	default:
	}
}

// followHandoffs starts watching the team's handoffs on c. A hub older
// than this app has none: that is logged, not fatal.
func (t *Team) followHandoffs(ctx context.Context, c *bus.Client) {
	hs, err := c.WatchHandoffs(ctx)
	if err != nil {
		t.log.Warn("team bus: handoffs not followed", "err", err)
		return
	}
	t.wg.Go(func() {
		for h := range hs {
			t.handoffs.set(h)
		}
	})
}

// HandoffArrived receives a value (coalesced) when a handoff arrived from
// the hub; read them with ReceivedHandoffs. It has one reader: the app's
// timers.
func (t *Team) HandoffArrived() <-chan struct{} { return t.handoffs.kick }

// ReceivedHandoffs returns each member's last handoff seen on the hub
// since the app started (the stored ones first arrive at connect),
// ordered by member.
func (t *Team) ReceivedHandoffs() []bus.Handoff {
	t.handoffs.mu.Lock()
	defer t.handoffs.mu.Unlock()
	return slices.SortedFunc(maps.Values(t.handoffs.m), func(a, b bus.Handoff) int { return cmp.Compare(a.From, b.From) })
}
