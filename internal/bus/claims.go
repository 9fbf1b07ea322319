package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/standby-oncall/standby/internal/page"
)

// DefaultClaimTTL is how long an "I'm looking" claim lives unless renewed.
const DefaultClaimTTL = 30 * time.Minute

// AckRetention is how long the server keeps an "acked" claim (which never
// expires in the domain model) and a release marker, so storage stays bounded.
const AckRetention = 24 * time.Hour

// ClaimOp says what happened to a claim.
type ClaimOp int

const (
	// ClaimSet: a claim was made or renewed.
	ClaimSet ClaimOp = iota
	// ClaimReleased: the member released the claim.
	ClaimReleased
	// ClaimExpired: the server dropped the claim when its TTL ran out.
	ClaimExpired
	// ClaimsSynced: every claim that existed when the watch started has been
	// delivered. Sent once per WatchClaims; Claim is empty.
	ClaimsSynced
)

// String names the op.
func (o ClaimOp) String() string {
	return [...]string{"set", "released", "expired", "synced"}[o]
}

// ClaimEvent is one change seen on the team's claims.
type ClaimEvent struct {
	Op ClaimOp
	// Claim is the claim; for released/expired events only Page and By are
	// set. By always comes from the server-enforced key, never the payload.
	Claim page.Claim
	// Revision is the claim's stream sequence (monotonic per team).
	Revision uint64
}

// claimWire is the stored value of a claim.
type claimWire struct {
	Page    page.ID        `json:"page"`
	Kind    page.ClaimKind `json:"kind"`
	At      time.Time      `json:"at"`
	Expires time.Time      `json:"expires,omitzero"`
}

// Claim publishes (or renews) this member's claim on id and returns once the
// hub has stored it. ttl <= 0 means DefaultClaimTTL for "looking"; "acked"
// claims do not expire in the model (the server keeps them AckRetention).
// A write the hub forbids fails at once with ErrNotPermitted.
func (c *Client) Claim(ctx context.Context, id page.ID, kind page.ClaimKind, ttl time.Duration) (page.Claim, error) {
	if id.IsZero() {
		return page.Claim{}, errors.New("claim: empty page id")
	}
	now := time.Now().UTC()
	cl := page.Claim{Page: id, By: c.me, Kind: kind, At: now, Origin: page.OriginLocal}
	keep := AckRetention
	if kind != page.ClaimAcked {
		if ttl <= 0 {
			ttl = DefaultClaimTTL
		}
		ttl = max(ttl.Round(time.Second), time.Second)
		cl.Expires, keep = now.Add(ttl), ttl
	}
	data, err := json.Marshal(claimWire{Page: id, Kind: kind, At: cl.At, Expires: cl.Expires})
	if err != nil {
		return page.Claim{}, fmt.Errorf("encoding claim: %w", err)
	}
	msg := &nats.Msg{Subject: claimsPrefix + claimKey(id, c.me), Data: data, Header: nats.Header{}}
	if _, err := c.publish(ctx, msg, jetstream.WithMsgTTL(keep)); err != nil {
		return page.Claim{}, fmt.Errorf("claiming %s: %w", id, err)
	}
	return cl, nil
}

// Release ends this member's claim on id (after ack, resolve or by hand).
func (c *Client) Release(ctx context.Context, id page.ID) error {
	msg := nats.NewMsg(claimsPrefix + claimKey(id, c.me))
	msg.Header.Set("KV-Operation", "PURGE")
	msg.Header.Set(jetstream.MsgRollup, jetstream.MsgRollupSubject)
	if _, err := c.publish(ctx, msg, jetstream.WithMsgTTL(AckRetention)); err != nil {
		return fmt.Errorf("releasing claim on %s: %w", id, err)
	}
	return nil
}

// publish stores msg in JetStream and waits for the PubAck, failing at once
// when the server reports a permission violation for its subject.
func (c *Client) publish(ctx context.Context, msg *nats.Msg, opts ...jetstream.PublishOpt) (*jetstream.PubAck, error) {
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	return c.send(ctx, msg, c.stop, opts...)
}

// send is publish without the closed check; a nil stop never fires.
func (c *Client) send(ctx context.Context, msg *nats.Msg, stop <-chan struct{}, opts ...jetstream.PublishOpt) (*jetstream.PubAck, error) {
	denied := make(chan error, 1)
	c.mu.Lock()
	c.pending[msg.Subject] = append(c.pending[msg.Subject], denied)
	c.mu.Unlock()
	defer c.unwait(msg.Subject, denied)
	fut, err := c.js.PublishMsgAsync(msg, opts...)
	if err != nil {
		return nil, c.publishError(err)
	}
	select {
	case ack := <-fut.Ok():
		return ack, nil
	case err := <-fut.Err():
		return nil, c.publishError(err)
	case err := <-denied:
		return nil, err
	case <-ctx.Done():
		return nil, c.publishError(ctx.Err())
	case <-stop:
		return nil, ErrClosed
	}
}

func (c *Client) unwait(subject string, ch chan error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ws := c.pending[subject]
	for i, w := range ws {
		if w == ch {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(c.pending, subject)
	} else {
		c.pending[subject] = ws
	}
}

func (c *Client) publishError(err error) error {
	if !c.nc.IsConnected() {
		return fmt.Errorf("%w at %s (reconnecting): %w", ErrUnreachable, c.nc.Servers(), err)
	}
	return err
}

// WatchClaims streams every claim of the team: first the live ones, then a
// ClaimsSynced event, then every change as it happens. The watch survives
// reconnects, hub restarts and node loss with no change missed. The channel
// closes when ctx ends or the client closes.
func (c *Client) WatchClaims(ctx context.Context) (<-chan ClaimEvent, error) {
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	out := make(chan ClaimEvent, 256)
	send := func(ev ClaimEvent) {
		select {
		case out <- ev:
		case <-ctx.Done():
		case <-c.stop:
		}
	}
	f := &follower{
		c: c, stream: ClaimsStream, filter: claimsPrefix + "page.>",
		handle: func(m jetstream.Msg) {
			if ev, ok := decodeClaim(m); ok {
				send(ev)
			}
		},
		synced: func() { send(ClaimEvent{Op: ClaimsSynced}) },
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer close(out)
		f.run(ctx)
	}()
	return out, nil
}

func (c *Client) checkOpen() error {
	select {
	case <-c.stop:
		return ErrClosed
	default:
		return nil
	}
}

// decodeClaim turns a claims message into an event. The member comes from
// the subject, which the server enforces, and the payload must name the
// same page as the key; anything else is dropped.
func decodeClaim(m jetstream.Msg) (ClaimEvent, bool) {
	id, member, ok := parseClaimSubject(m.Subject())
	if !ok {
		return ClaimEvent{}, false
	}
	md, err := m.Metadata()
	if err != nil {
		return ClaimEvent{}, false
	}
	ev := ClaimEvent{Revision: md.Sequence.Stream,
		Claim: page.Claim{Page: id, By: member, Origin: page.OriginBus}}
	h := m.Headers()
	switch {
	case h.Get("KV-Operation") != "":
		ev.Op = ClaimReleased
		return ev, true
	case h.Get(jetstream.MarkerReasonHeader) != "":
		ev.Op = ClaimExpired
		return ev, true
	}
	var w claimWire
	if err := json.Unmarshal(m.Data(), &w); err != nil || w.Page != id {
		return ClaimEvent{}, false
	}
	ev.Op = ClaimSet
	ev.Claim.Kind, ev.Claim.At, ev.Claim.Expires = w.Kind, w.At, w.Expires
	return ev, true
}
