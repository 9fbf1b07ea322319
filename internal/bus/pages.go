package bus

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/standby-oncall/standby/internal/page"
)

// PageEvent is one page (new, or a new state of a known page) from the
// team's pages stream, or the synced marker.
type PageEvent struct {
	Page page.Page
	// Seq is the stream sequence; persist the last one handled and pass
	// Seq+1 to WatchPages after a restart to continue where the app stopped.
	Seq uint64
	// Synced marks the event sent once per WatchPages when every page the
	// stream held at the start has been delivered; Page is then empty.
	// After it, a page from the hub that the app holds open but that was
	// not delivered is no longer open on the hub.
	Synced bool
}

// WatchPages streams pages published on the bus (by the hub's webhooks).
// fromSeq 0 starts with the latest state of every page that is open (a
// resolved page is not sent until the Synced event: the hub drops resolved
// pages after a while, see ProvisionConfig.ResolvedTTL), then sends Synced,
// then every change. Otherwise delivery starts at that stream sequence and
// Synced follows once caught up. Like WatchClaims it survives reconnects
// and hub restarts with nothing missed, and a watch that cannot start
// returns the error.
func (c *Client) WatchPages(ctx context.Context, fromSeq uint64) (<-chan PageEvent, error) {
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	out := make(chan PageEvent, 256)
	send := func(ev PageEvent) {
		select {
		case out <- ev:
		case <-ctx.Done():
		case <-c.stop:
		}
	}
	synced := false // guarded by the follower's mu: handle and synced run under it
	f := &follower{
		c: c, stream: PagesStream, filter: pagesPrefix + ">", startAt: fromSeq,
		handle: func(m jetstream.Msg) {
			ev, ok := decodePage(m)
			if !ok || !synced && fromSeq == 0 && !ev.Page.Open() {
				return
			}
			send(ev)
		},
		synced: func() {
			synced = true
			send(PageEvent{Synced: true})
		},
	}
	if err := f.start(ctx); err != nil {
		return nil, err
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer close(out)
		f.run(ctx)
	}()
	return out, nil
}

func decodePage(m jetstream.Msg) (PageEvent, bool) {
	md, err := m.Metadata()
	if err != nil {
		return PageEvent{}, false
	}
	var p page.Page
	if err := json.Unmarshal(m.Data(), &p); err != nil {
		return PageEvent{}, false
	}
	if subj, err := PageSubject(p.ID); err != nil || subj != m.Subject() {
		return PageEvent{}, false // payload must match the subject it was stored under
	}
	return PageEvent{Page: p, Seq: md.Sequence.Stream}, true
}

// PublishPage stores p on the pages stream and returns its sequence once
// JetStream has acknowledged it. Only the hub (and, later, a member elected
// to share a source) may publish pages; others get ErrNotPermitted.
func (c *Client) PublishPage(ctx context.Context, p page.Page) (uint64, error) {
	msg, err := PageMsg(p)
	if err != nil {
		return 0, err
	}
	var opts []jetstream.PublishOpt
	if !p.Open() {
		opts = append(opts, jetstream.WithMsgTTL(DefaultResolvedTTL))
	}
	ack, err := c.publish(ctx, msg, opts...)
	if err != nil {
		return 0, fmt.Errorf("publishing page %s: %w", p.ID, err)
	}
	return ack.Sequence, nil
}

// PageMsg encodes p as the message stored on the pages stream. The message
// id makes JetStream drop a retried identical delivery (Alertmanager retries).
func PageMsg(p page.Page) (*nats.Msg, error) {
	subj, err := PageSubject(p.ID)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encoding page %s: %w", p.ID, err)
	}
	msg := nats.NewMsg(subj)
	msg.Data = data
	return msg, nil
}
