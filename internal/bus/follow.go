package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// consumerInactive is how long the server keeps a watch consumer nobody pulls
// from; the hub's stream ConsumerLimits cap every consumer at this.
const consumerInactive = 30 * time.Second

// follower reads one stream in order with a chain of ephemeral pull
// consumers. It remembers the last stream sequence it handed on and, when
// kicked (reconnect), when heartbeats stop (the consumer or its node died)
// or when a consumer sequence gap shows a lost message, it drops the
// consumer and makes a new one from the next sequence.
type follower struct {
	c       *Client
	stream  string
	filter  string
	startAt uint64 // first sequence wanted; 0 = last message per subject
	handle  func(jetstream.Msg)
	synced  func() // called once, when the first consumer has caught up

	kickCh chan struct{}

	// mu guards the cursor. Messages are handled on the consumer's own
	// callback goroutine (one hop less than relaying them: it matters with
	// hundreds of watchers on two cores); gen tells a replaced consumer's
	// leftovers apart.
	mu   sync.Mutex
	last uint64 // last stream sequence handled
	dseq uint64 // last consumer sequence seen on the current consumer
	gen  int
	done bool
}

func (f *follower) kick() {
	select {
	case f.kickCh <- struct{}{}:
	default:
	}
}

// run follows until ctx ends or the client closes.
func (f *follower) run(ctx context.Context) {
	f.kickCh = make(chan struct{}, 1)
	f.c.addWatcher(f)
	defer f.c.removeWatcher(f)
	for {
		cc, err := f.consume(ctx)
		if err != nil {
			return
		}
		select {
		case <-ctx.Done():
		case <-f.c.stop:
		case <-f.kickCh:
			cc.Stop()
			continue
		}
		cc.Stop()
		f.mu.Lock()
		f.gen++ // anything still in flight is dropped
		f.mu.Unlock()
		return
	}
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
		f.markSynced()
	}
	return true
}

func (f *follower) markSynced() {
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

func (f *follower) tryConsume(ctx context.Context) (jetstream.ConsumeContext, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.dseq = 0
	cfg := jetstream.ConsumerConfig{
		Name:              nuid.Next() + "_" + fmt.Sprint(f.gen),
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
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	cons, err := f.c.js.CreateConsumer(cctx, f.stream, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating consumer on %s: %w", f.stream, err)
	}
	if info := cons.CachedInfo(); info != nil && info.NumPending == 0 {
		f.markSynced()
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

func needsNewConsumer(err error) bool {
	return errors.Is(err, jetstream.ErrNoHeartbeat) ||
		errors.Is(err, jetstream.ErrConsumerDeleted) ||
		errors.Is(err, jetstream.ErrConsumerNotFound)
}
