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

// Claim asks the hub to store (or renew) this member's claim on id and
// returns the claim as stored, once the hub has it. ttl <= 0 means
// DefaultClaimTTL for "looking" (the hub caps it at MaxClaimTTL); "acked"
// claims do not expire in the model (the hub keeps them AckRetention).
// A write the server forbids fails at once with ErrNotPermitted; one the
// hub refuses fails with ErrQuota or ErrRefused and the reason.
func (c *Client) Claim(ctx context.Context, id page.ID, kind page.ClaimKind, ttl time.Duration) (page.Claim, error) {
	if id.IsZero() {
		return page.Claim{}, errors.New("claim: empty page id")
	}
	if err := CheckPageID(id); err != nil {
		return page.Claim{}, fmt.Errorf("claim: %w", err)
	}
	rep, err := c.request(ctx, claimRequestPrefix+c.me,
		writeRequest{Op: "set", Page: id, Kind: kind, TTLms: ttl.Milliseconds()}, c.stop)
	if err != nil {
		return page.Claim{}, fmt.Errorf("claiming %s: %w", id, err)
	}
	return page.Claim{Page: id, By: c.me, Kind: kind, At: rep.At, Expires: rep.Expires, Origin: page.OriginLocal}, nil
}

// Release ends this member's claim on id (after ack, resolve or by hand).
func (c *Client) Release(ctx context.Context, id page.ID) error {
	if err := CheckPageID(id); err != nil {
		return fmt.Errorf("releasing claim: %w", err)
	}
	if _, err := c.request(ctx, claimRequestPrefix+c.me, writeRequest{Op: "release", Page: id}, c.stop); err != nil {
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
	case <-c.stop:
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
// reconnects, hub restarts and node loss with no change missed. A watch
// that cannot start (hub unreachable, ErrWatchSlots, the server's consumer
// limit) returns the error. The channel closes when ctx ends or the client
// closes.
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
	case h.Get(kvOperation) != "":
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
