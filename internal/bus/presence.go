package bus

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StaleAfter is how many heartbeat periods a presence record lives: the
// hub stores it with that TTL and watchers count a record not renewed for
// that long as offline.
const StaleAfter = 3

// PresenceFields is what an app tells teammates for routing pages (issue
// #13): whether its user is on call, until when and by which schedule, and
// whether a high-urgency page would ring them now.
type PresenceFields struct {
	OnCall      bool      `json:"on_call"`
	OnCallUntil time.Time `json:"on_call_until,omitzero"`
	Schedule    string    `json:"schedule,omitempty"`
	Ringable    bool      `json:"ringable"`
}

// Presence is one member's record: their app is running (the record
// exists and is fresh) with these fields. Member, Seen and Every are set
// by the hub, never taken from the app.
type Presence struct {
	Member string        `json:"member"`
	Since  time.Time     `json:"since"` // when that app connected
	Seen   time.Time     `json:"seen"`  // hub time of the last heartbeat
	Every  time.Duration `json:"every"` // heartbeat period
	PresenceFields
}

// Team is the team's presence as this app sees it at At.
type Team struct {
	// Visible is false while this app cannot see the team (disconnected, or
	// not caught up yet): then Online says nothing, and a page must not be
	// held for a teammate.
	Visible bool
	// Online maps member name to fresh records (this app's own included).
	Online map[string]Presence
	// At is the local time the snapshot was made.
	At time.Time
}

// Members lists the online members sorted by name.
func (t Team) Members() []Presence {
	out := slices.Collect(maps.Values(t.Online))
	slices.SortFunc(out, func(a, b Presence) int { return strings.Compare(a.Member, b.Member) })
	return out
}

// SetPresence replaces the routing fields of this app's presence record
// and publishes it at once; every later heartbeat carries them too.
func (c *Client) SetPresence(ctx context.Context, f PresenceFields) error {
	c.mu.Lock()
	c.fields = f
	c.mu.Unlock()
	return c.beat(ctx)
}

// presenceLoop keeps this member's presence record fresh until Close.
func (c *Client) presenceLoop() {
	defer c.wg.Done()
	t := time.NewTicker(c.cfg.PresenceEvery)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.PresenceEvery)
		_ = c.beat(ctx) // best effort: the next beat retries
		cancel()
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
	}
}

func (c *Client) beat(ctx context.Context) error {
	c.mu.Lock()
	f := c.fields
	c.mu.Unlock()
	_, err := c.request(ctx, presenceRequestPrefix+c.me, writeRequest{Op: "set", Since: c.start.UTC(),
		EveryMs: c.cfg.PresenceEvery.Milliseconds(), Fields: &f}, c.stop)
	return err
}

func (c *Client) clearPresence(ctx context.Context) {
	_, _ = c.request(ctx, presenceRequestPrefix+c.me, writeRequest{Op: "clear"}, nil)
}

// Online lists the members whose app is running now (this one included),
// sorted by name. It reads the presence stream once.
func (c *Client) Online(ctx context.Context) ([]Presence, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := c.WatchPresence(ctx)
	if err != nil {
		return nil, err
	}
	for t := range ch {
		if t.Visible {
			return t.Members(), nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, ErrClosed
}

// WatchPresence follows the team's presence with one consumer. It sends a
// Team snapshot once caught up and then on every change, including a
// record going stale (no heartbeat for StaleAfter periods) and this app
// losing or regaining sight of the team. Only the latest snapshot is kept
// for a slow reader. A watch that cannot start returns an error; the
// channel closes when ctx ends or the client closes.
func (c *Client) WatchPresence(ctx context.Context) (<-chan Team, error) {
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	tab := &presenceTable{recs: map[string]Presence{}, recv: map[string]time.Time{}, changed: make(chan struct{}, 1)}
	f := &follower{
		c: c, stream: PresenceStream, filter: presencePrefix + ">",
		handle:    func(m jetstream.Msg) { tab.apply(m.Subject(), m.Headers(), m.Data(), time.Now()) },
		caughtUp:  func() { tab.setVisible(true) },
		lostSight: func() { tab.setVisible(false) },
	}
	if err := f.start(ctx); err != nil {
		return nil, err
	}
	out := make(chan Team, 1)
	c.wg.Add(2)
	go func() {
		defer c.wg.Done()
		f.run(ctx)
	}()
	go func() {
		defer c.wg.Done()
		defer close(out)
		tab.publish(ctx, c.stop, out)
	}()
	return out, nil
}

// presenceTable is the state of one presence watch. recv holds the local
// time each record was last received, so staleness never depends on the
// hub's clock agreeing with this one.
type presenceTable struct {
	mu      sync.Mutex
	recs    map[string]Presence
	recv    map[string]time.Time
	visible bool
	changed chan struct{}
}

func (t *presenceTable) signal() {
	select {
	case t.changed <- struct{}{}:
	default:
	}
}

// apply records one presence message received at now.
func (t *presenceTable) apply(subject string, h nats.Header, data []byte, now time.Time) {
	member, ok := strings.CutPrefix(subject, presencePrefix)
	if !ok || ValidMember(member) != nil {
		return
	}
	p, live := decodePresence(member, h, data)
	t.mu.Lock()
	if live {
		t.recs[member], t.recv[member] = p, now
	} else {
		delete(t.recs, member)
		delete(t.recv, member)
	}
	t.mu.Unlock()
	t.signal()
}

func (t *presenceTable) setVisible(v bool) {
	t.mu.Lock()
	changed := t.visible != v
	t.visible = v
	t.mu.Unlock()
	if changed {
		t.signal()
	}
}

// snapshot returns the team at now and when the next record goes stale
// (zero if none will).
func (t *presenceTable) snapshot(now time.Time) (Team, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	team := Team{Visible: t.visible, Online: map[string]Presence{}, At: now}
	var next time.Time
	for m, p := range t.recs {
		until := staleAt(t.recv[m], p.Every)
		if !now.Before(until) {
			continue
		}
		team.Online[m] = p
		if next.IsZero() || until.Before(next) {
			next = until
		}
	}
	return team, next
}

// staleAt is when a record received at recv stops counting as online.
func staleAt(recv time.Time, every time.Duration) time.Time {
	if every <= 0 {
		every = 10 * time.Second
	}
	return recv.Add(StaleAfter * every)
}

// publish sends a snapshot after each change and at each staleness
// deadline, keeping only the latest one in out.
func (t *presenceTable) publish(ctx context.Context, stop <-chan struct{}, out chan Team) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-t.changed:
		case <-timer.C:
		}
		now := time.Now()
		snap, next := t.snapshot(now)
		replaceLatest(out, snap)
		timer.Reset(time.Hour)
		if !next.IsZero() {
			timer.Reset(next.Sub(now))
		}
	}
}

// replaceLatest puts v in the one-slot channel out, dropping an unread
// older value.
func replaceLatest[T any](out chan T, v T) {
	for {
		select {
		case out <- v:
			return
		default:
		}
		select {
		case <-out:
		default:
		}
	}
}

// decodePresence decodes a presence message; false means the member has
// no live record (deleted, expired or unreadable).
func decodePresence(member string, h nats.Header, data []byte) (Presence, bool) {
	if h.Get(kvOperation) != "" || h.Get(jetstream.MarkerReasonHeader) != "" {
		return Presence{}, false
	}
	var p Presence
	if err := json.Unmarshal(data, &p); err != nil {
		return Presence{}, false
	}
	p.Member = member // the key is server-enforced; the payload is not
	return p, true
}
