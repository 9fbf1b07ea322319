package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Retention of the other team records.
const (
	// LoadRetention keeps a week's load for the 4-week team view and a
	// week to spare.
	LoadRetention = 35 * 24 * time.Hour
	// HandoffRetention keeps a member's last handoff.
	HandoffRetention = 7 * 24 * time.Hour
	// MaxHandoffText bounds a handoff's text.
	MaxHandoffText = 6 << 10
	maxLoadCount   = 100000
)

// Load is one member's counts for one week (no page titles), published
// when the member opted in ([team] share_load). Member is set by the hub.
type Load struct {
	Member string `json:"member"`
	// Week is the Monday the week starts on, YYYY-MM-DD in the member's zone.
	Week  string `json:"week"`
	Pages int    `json:"pages"`
	Loud  int    `json:"loud"`
	Night int    `json:"night"`
	// Updated is the hub time of the last publish.
	Updated time.Time `json:"updated"`
}

// Handoff is a member's summary of the shift they just ended, for whoever
// takes over. From is set by the hub.
type Handoff struct {
	From       string    `json:"from"`
	ShiftStart time.Time `json:"shift_start"`
	ShiftEnd   time.Time `json:"shift_end"`
	Pages      int       `json:"pages"`
	Open       int       `json:"open"`
	// Text is the handoff as Markdown (page lines, who claimed or acked,
	// time to ack, notes).
	Text string `json:"text,omitempty"`
	// At is the hub time it was published.
	At time.Time `json:"at"`
}

// Headline is the one-line notice for the next on-call person.
func (h Handoff) Headline() string {
	return fmt.Sprintf("Handoff from %s: %d %s, %d still open", h.From, h.Pages, plural(h.Pages, "page", "pages"), h.Open)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// PublishLoad stores this member's counts for one week.
func (c *Client) PublishLoad(ctx context.Context, l Load) error {
	if _, err := c.request(ctx, teamRequestPrefix+c.me, writeRequest{Op: "load", Load: &l}, c.stop); err != nil {
		return fmt.Errorf("publishing load of week %s: %w", l.Week, err)
	}
	return nil
}

// PublishHandoff stores this member's handoff, replacing the last one.
func (c *Client) PublishHandoff(ctx context.Context, h Handoff) error {
	if _, err := c.request(ctx, teamRequestPrefix+c.me, writeRequest{Op: "handoff", Handoff: &h}, c.stop); err != nil {
		return fmt.Errorf("publishing handoff: %w", err)
	}
	return nil
}

// team serves standby.team.<member>.
func (s *Service) team(ctx context.Context, member string, req writeRequest) (writeReply, error) {
	switch req.Op {
	case "load":
		return s.load(ctx, member, req.Load)
	case "handoff":
		return s.handoff(ctx, member, req.Handoff)
	}
	return s.incident(ctx, member, req)
}

func (s *Service) load(ctx context.Context, member string, l *Load) (writeReply, error) {
	if l == nil {
		return writeReply{}, refuse("invalid", "load: no counts")
	}
	week, err := time.Parse(time.DateOnly, l.Week)
	if err != nil || week.Weekday() != time.Monday {
		return writeReply{}, refuse("invalid", "load: week %q is not a Monday as YYYY-MM-DD", l.Week)
	}
	for _, n := range []int{l.Pages, l.Loud, l.Night} {
		if n < 0 || n > maxLoadCount {
			return writeReply{}, refuse("invalid", "load: count %d out of range 0..%d", n, maxLoadCount)
		}
	}
	rec := Load{Member: member, Week: l.Week, Pages: l.Pages, Loud: l.Loud, Night: l.Night, Updated: time.Now().UTC()}
	return s.storeRecord(ctx, teamPrefix+"load."+member+"."+week.Format("20060102"), rec, LoadRetention)
}

func (s *Service) handoff(ctx context.Context, member string, h *Handoff) (writeReply, error) {
	if h == nil {
		return writeReply{}, refuse("invalid", "handoff: empty")
	}
	if len(h.Text) > MaxHandoffText {
		return writeReply{}, refuse("invalid", "handoff text is %d bytes; at most %d", len(h.Text), MaxHandoffText)
	}
	if h.Pages < 0 || h.Open < 0 || h.Open > h.Pages || h.Pages > maxLoadCount || h.ShiftEnd.Before(h.ShiftStart) {
		return writeReply{}, refuse("invalid", "handoff: inconsistent counts or shift")
	}
	rec := *h
	rec.From, rec.At = member, time.Now().UTC()
	return s.storeRecord(ctx, teamPrefix+"handoff."+member, rec, HandoffRetention)
}

// Loads returns the weekly loads the team published (one read to the
// current end of the stream).
func (c *Client) Loads(ctx context.Context) ([]Load, error) {
	var out []Load
	err := c.readTeam(ctx, teamPrefix+"load.>", func(m jetstream.Msg) {
		member, ok := cutPrefix(m.Subject(), teamPrefix+"load.")
		if !ok || deleted(m.Headers()) {
			return
		}
		member, _, _ = strings.Cut(member, ".")
		var l Load
		if json.Unmarshal(m.Data(), &l) == nil && l.Member == member {
			out = append(out, l)
		}
	})
	return out, err
}

// Handoffs returns each member's last handoff.
func (c *Client) Handoffs(ctx context.Context) ([]Handoff, error) {
	var out []Handoff
	err := c.readTeam(ctx, teamPrefix+"handoff.>", func(m jetstream.Msg) {
		member, ok := cutPrefix(m.Subject(), teamPrefix+"handoff.")
		var h Handoff
		if ok && !deleted(m.Headers()) && json.Unmarshal(m.Data(), &h) == nil && h.From == member {
			out = append(out, h)
		}
	})
	return out, err
}

func deleted(h nats.Header) bool {
	return h.Get(kvOperation) != "" || h.Get(jetstream.MarkerReasonHeader) != ""
}

// readTeam hands every current record under filter to handle (serially),
// then returns.
func (c *Client) readTeam(ctx context.Context, filter string, handle func(jetstream.Msg)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	synced, closed := make(chan struct{}), make(chan struct{})
	var once sync.Once
	err := c.watchTeam(ctx, filter, func(m jetstream.Msg) {
		mu.Lock()
		defer mu.Unlock()
		handle(m)
	}, func() { once.Do(func() { close(synced) }) }, func() { close(closed) })
	if err != nil {
		return err
	}
	select {
	case <-synced:
		cancel()
		<-closed
		mu.Lock() // the last handle has returned
		defer mu.Unlock()
		return nil
	case <-closed:
		return fmt.Errorf("reading %s: %w", filter, ErrClosed)
	case <-ctx.Done():
		return fmt.Errorf("reading %s: %w", filter, ctx.Err())
	}
}

// watchTeam follows filter on TeamStream in one watch slot: handle gets
// each record, synced is called once when caught up, done when the watch
// ends.
func (c *Client) watchTeam(ctx context.Context, filter string, handle func(jetstream.Msg), synced, done func()) error {
	if err := c.checkOpen(); err != nil {
		return err
	}
	f := &follower{c: c, stream: TeamStream, filter: filter, handle: handle, synced: synced}
	if err := f.start(ctx); err != nil {
		return err
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer done()
		f.run(ctx)
	}()
	return nil
}

func natsMsg(subject string, data []byte) *nats.Msg { return &nats.Msg{Subject: subject, Data: data} }

func cutPrefix(s, prefix string) (string, bool) { return strings.CutPrefix(s, prefix) }

// sendCtx sends v unless ctx ends or the client stops.
func sendCtx[T any](ctx context.Context, stop <-chan struct{}, out chan<- T, v T) {
	select {
	case out <- v:
	case <-ctx.Done():
	case <-stop:
	}
}

// WatchHandoffs streams each member's last handoff: the ones stored when
// the watch starts, then each one published. It takes one of the member's
// watch slots on TeamStream and survives reconnects like WatchIncidents;
// the channel closes when the watch ends.
func (c *Client) WatchHandoffs(ctx context.Context) (<-chan Handoff, error) {
	out := make(chan Handoff, 16)
	err := c.watchTeam(ctx, teamPrefix+"handoff.>", func(m jetstream.Msg) {
		member, ok := cutPrefix(m.Subject(), teamPrefix+"handoff.")
		var h Handoff
		if ok && !deleted(m.Headers()) && json.Unmarshal(m.Data(), &h) == nil && h.From == member {
			sendCtx(ctx, c.stop, out, h)
		}
	}, func() {}, func() { close(out) })
	if err != nil {
		return nil, err
	}
	return out, nil
}
