package bus

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// consumerInactive is how long the server keeps a watch consumer nobody pulls
// from; the hub's stream ConsumerLimits cap every consumer at this.
const consumerInactive = 30 * time.Second

// watchStartFor bounds how long a watch keeps trying to make its first
// consumer (JetStream may be electing a leader) before it reports why not.
const watchStartFor = 5 * time.Second

// follower reads one stream in order with a chain of pull consumers, each
// in one of the member's watch slots. It remembers the last stream
// sequence it handed on and, when kicked (reconnect), when heartbeats stop
// (the consumer or its node died) or when a consumer sequence gap shows a
// lost message, it deletes the consumer and makes a new one from the next
// sequence.
type follower struct {
	c       *Client
	stream  string
	filter  string
	startAt uint64 // first sequence wanted; 0 = last message per subject
	handle  func(jetstream.Msg)
	// synced is called once, when the first consumer has caught up;
	// caughtUp each time a consumer has caught up; lostSight when the
	// connection drops or the consumer is being replaced. All optional.
	synced, caughtUp, lostSight func()

	kickCh chan struct{}
	first  jetstream.ConsumeContext // made by start

	// mu guards the cursor. Messages are handled on the consumer's own
	// callback goroutine (one hop less than relaying them: it matters with
	// hundreds of watchers on two cores); gen tells a replaced consumer's
	// leftovers apart.
	mu     sync.Mutex
	last   uint64 // last stream sequence handled
	dseq   uint64 // last consumer sequence seen on the current consumer
	gen    int
	done   bool   // synced was called
	caught bool   // the current consumer has caught up
	cur    string // the current consumer's name (a watch slot)
}

func (f *follower) kick() {
	select {
	case f.kickCh <- struct{}{}:
	default:
	}
}

func (f *follower) lost() {
	if f.lostSight != nil {
		f.lostSight()
	}
}

// start makes the first consumer, retrying transient failures for up to
// watchStartFor; a watch that cannot start is an error for the caller.
func (f *follower) start(ctx context.Context) error {
	f.kickCh = make(chan struct{}, 1)
	deadline := time.Now().Add(watchStartFor)
	wait := 50 * time.Millisecond
	for {
		cc, err := f.tryConsume(ctx)
		if err == nil {
			f.first = cc
			return nil
		}
		if permanent(err) || time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("starting watch on %s: %w", f.stream, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("starting watch on %s: %w", f.stream, err)
		case <-f.c.stop:
			return ErrClosed
		case <-time.After(wait):
		}
		wait = min(wait*2, 500*time.Millisecond)
	}
}

// permanent reports errors that retrying does not cure.
func permanent(err error) bool {
	var api *jetstream.APIError
	return errors.Is(err, ErrWatchSlots) || errors.Is(err, ErrClosed) ||
		errors.As(err, &api) && api.ErrorCode == jetstream.JSErrCodeMaximumConsumersLimit
}

// run follows until ctx ends or the client closes; start must have
// succeeded.
func (f *follower) run(ctx context.Context) {
	f.c.addWatcher(f)
	defer f.c.removeWatcher(f)
	defer f.dropConsumer()
	cc := f.first
	for {
		select {
		case <-ctx.Done():
		case <-f.c.stop:
		case <-f.kickCh:
			cc.Stop()
			f.lost()
			f.dropConsumer()
			var err error
			if cc, err = f.consume(ctx); err != nil {
				return
			}
			continue
		}
		cc.Stop()
		f.mu.Lock()
		f.gen++ // anything still in flight is dropped
		f.mu.Unlock()
		return
	}
}

// dropConsumer deletes the current consumer so its slot is free at once
// (best effort: the server removes it after consumerInactive anyway).
func (f *follower) dropConsumer() {
	f.mu.Lock()
	name := f.cur
	f.cur = ""
	f.mu.Unlock()
	if name == "" || !f.c.nc.IsConnected() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_ = f.c.js.DeleteConsumer(ctx, f.stream, name)
}

// deliver runs on the consumer's callback goroutine.
func (f *follower) deliver(gen int, m jetstream.Msg) {
	f.mu.Lock()
	ok := gen != f.gen || f.accept(m)
	f.mu.Unlock()
	if !ok {
		f.kick()
	}
}

// accept hands m on if it is the next in order; false means a gap.
func (f *follower) accept(m jetstream.Msg) bool {
	md, err := m.Metadata()
	if err != nil || md.Sequence.Consumer == 0 {
		return true
	}
	if md.Sequence.Consumer != f.dseq+1 {
		return false // a message was lost in flight: resume from f.last+1
	}
	f.dseq = md.Sequence.Consumer
	if md.Sequence.Stream <= f.last {
		return true
	}
	f.last = md.Sequence.Stream
	f.handle(m)
	if md.NumPending == 0 {
		f.caughtUpNow()
	}
	return true
}

// caughtUpNow runs (under mu) when the current consumer has nothing pending.
func (f *follower) caughtUpNow() {
	if f.caught {
		return
	}
	f.caught = true
	if f.caughtUp != nil {
		f.caughtUp()
	}
	if !f.done && f.synced != nil {
		f.synced()
	}
	f.done = true
}

// consume makes a new consumer from the next sequence, retrying quickly
// (JetStream may still be recovering after a hub restart) until it works or
// the follower ends.
func (f *follower) consume(ctx context.Context) (jetstream.ConsumeContext, error) {
	wait := 50 * time.Millisecond
	for {
		cc, err := f.tryConsume(ctx)
		if err == nil {
			return cc, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-f.c.stop:
			return nil, ErrClosed
		case <-f.kickCh:
		case <-time.After(wait):
		}
		wait = min(wait*2, 500*time.Millisecond)
	}
}

func (f *follower) config() jetstream.ConsumerConfig {
	cfg := jetstream.ConsumerConfig{
		// A unique description keeps two apps of one member from sharing a
		// consumer: the server treats an identical create as the same one.
		Description:       "standby watch " + nuid.Next(),
		FilterSubject:     f.filter,
		AckPolicy:         jetstream.AckNonePolicy,
		InactiveThreshold: consumerInactive,
		Replicas:          1,
		MemoryStorage:     true,
	}
	switch {
	case f.last > 0:
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, f.last+1
	case f.startAt > 0:
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, f.startAt
	default:
		cfg.DeliverPolicy = jetstream.DeliverLastPerSubjectPolicy
	}
	return cfg
}

func (f *follower) tryConsume(ctx context.Context) (jetstream.ConsumeContext, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.dseq, f.caught = 0, false
	cons, err := f.createInSlot(ctx, f.config())
	if err != nil {
		return nil, err
	}
	if info := cons.CachedInfo(); info != nil && info.NumPending == 0 {
		f.caughtUpNow()
	}
	gen := f.gen
	return cons.Consume(func(m jetstream.Msg) { f.deliver(gen, m) },
		jetstream.PullHeartbeat(f.c.cfg.Heartbeat),
		jetstream.PullExpiry(max(10*time.Second, 4*f.c.cfg.Heartbeat)),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			if needsNewConsumer(err) {
				f.kick()
			}
		}))
}

// createInSlot creates cfg in the first free watch slot of the member,
// starting at a random one so that several apps rarely collide.
func (f *follower) createInSlot(ctx context.Context, cfg jetstream.ConsumerConfig) (jetstream.Consumer, error) {
	first := rand.IntN(WatchSlots)
	for i := range WatchSlots {
		cfg.Name = WatchSlot(f.c.member, (first+i)%WatchSlots)
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		cons, err := f.c.js.CreateConsumer(cctx, f.stream, cfg)
		cancel()
		if errors.Is(err, jetstream.ErrConsumerExists) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("creating consumer on %s: %w", f.stream, err)
		}
		f.cur = cfg.Name
		return cons, nil
	}
	return nil, fmt.Errorf("%w on %s: all %d are taken by other apps of %s (a crashed app's slots free up within %v)",
		ErrWatchSlots, f.stream, WatchSlots, f.c.member, consumerInactive)
}

func needsNewConsumer(err error) bool {
	return errors.Is(err, jetstream.ErrNoHeartbeat) ||
		errors.Is(err, jetstream.ErrConsumerDeleted) ||
		errors.Is(err, jetstream.ErrConsumerNotFound)
}
