package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Presence says that a member's app is running.
type Presence struct {
	Member string    `json:"member"`
	Since  time.Time `json:"since"` // when that app connected
	Seen   time.Time `json:"seen"`  // last heartbeat
}

// presenceLoop keeps this member's presence key fresh until Close.
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
	data, err := json.Marshal(Presence{Member: c.me, Since: c.start.UTC(), Seen: time.Now().UTC()})
	if err != nil {
		return fmt.Errorf("encoding presence: %w", err)
	}
	msg := &nats.Msg{Subject: presencePrefix + c.me, Data: data, Header: nats.Header{}}
	_, err = c.publish(ctx, msg, jetstream.WithMsgTTL(3*c.cfg.PresenceEvery))
	return err
}

func (c *Client) clearPresence(ctx context.Context) {
	msg := nats.NewMsg(presencePrefix + c.me)
	msg.Header.Set("KV-Operation", "PURGE")
	msg.Header.Set(jetstream.MsgRollup, jetstream.MsgRollupSubject)
	_, _ = c.send(ctx, msg, nil, jetstream.WithMsgTTL(time.Minute))
}

// Online lists the members whose app is running now (this one included),
// sorted by name.
func (c *Client) Online(ctx context.Context) ([]Presence, error) {
	cons, err := c.js.CreateConsumer(ctx, PresenceStream, jetstream.ConsumerConfig{
		DeliverPolicy:     jetstream.DeliverLastPerSubjectPolicy,
		FilterSubject:     presencePrefix + ">",
		AckPolicy:         jetstream.AckNonePolicy,
		InactiveThreshold: 5 * time.Second,
		MemoryStorage:     true,
		Replicas:          1,
	})
	if err != nil {
		return nil, fmt.Errorf("reading presence: %w", err)
	}
	pending := cons.CachedInfo().NumPending
	var out []Presence
	for pending > 0 {
		batch, err := cons.Fetch(int(min(pending, 256)), jetstream.FetchContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("reading presence: %w", err)
		}
		n := uint64(0)
		for m := range batch.Messages() {
			n++
			if p, ok := decodePresence(m); ok {
				out = append(out, p)
			}
		}
		if err := batch.Error(); err != nil {
			return nil, fmt.Errorf("reading presence: %w", err)
		}
		pending -= min(n, pending)
		if n == 0 {
			break
		}
	}
	slices.SortFunc(out, func(a, b Presence) int { return strings.Compare(a.Member, b.Member) })
	return out, nil
}

func decodePresence(m jetstream.Msg) (Presence, bool) {
	member, ok := strings.CutPrefix(m.Subject(), presencePrefix)
	if !ok || len(m.Headers()) > 0 && (m.Headers().Get("KV-Operation") != "" ||
		m.Headers().Get(jetstream.MarkerReasonHeader) != "") {
		return Presence{}, false
	}
	var p Presence
	if err := json.Unmarshal(m.Data(), &p); err != nil {
		return Presence{}, false
	}
	p.Member = member // the key is server-enforced; the payload is not
	return p, true
}
