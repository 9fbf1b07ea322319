package engine

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/standby-oncall/standby/internal/source"
)

// Backoff shape after a failed List. Only backoff/v5's interval arithmetic
// (NextBackOff/Reset) is used: the waiting itself is the worker's own
// time.Timer, so that refresh requests, catch-up and ctx cancellation share
// one select and testing/synctest controls every wait.
const (
	backoffMultiplier = 2
	backoffJitter     = 0.2
	backoffMax        = 5 * time.Minute
)

// worker is the polling state of one source. src, interval, minPoll and
// refresh are fixed; bo is touched only by the source's loop goroutine; the
// status fields are guarded by Engine.mu.
type worker struct {
	src      source.Source
	name     string
	interval time.Duration
	minPoll  time.Duration
	refresh  chan struct{}
	bo       *backoff.ExponentialBackOff

	lastOK    time.Time
	lastTry   time.Time
	next      time.Time
	notBefore time.Time // wall clock; MinPoll and Retry-After
	lastErr   error
	gen       uint64
}

func newWorker(s source.Source, poll time.Duration) *worker {
	minPoll := s.Caps().MinPoll
	interval := max(poll, minPoll)
	return &worker{
		src:      s,
		name:     s.Name(),
		interval: interval,
		minPoll:  minPoll,
		refresh:  make(chan struct{}, 1),
		bo: &backoff.ExponentialBackOff{
			InitialInterval:     max(interval/2, minPoll),
			RandomizationFactor: backoffJitter,
			Multiplier:          backoffMultiplier,
			MaxInterval:         max(backoffMax, interval),
		},
	}
}

// kick asks the loop for a poll; requests coalesce.
func (w *worker) kick() {
	select {
	case w.refresh <- struct{}{}:
	default:
	}
}

// loop polls one source until ctx is done. The first poll is immediate.
func (e *Engine) loop(ctx context.Context, w *worker) {
	poll := time.NewTimer(0)
	defer poll.Stop()
	stale := time.NewTimer(time.Hour)
	stale.Stop()
	defer stale.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stale.C:
			e.publish(time.Now())
			continue
		case <-w.refresh:
			if wait := e.waitBeforeRefresh(w, time.Now()); wait > 0 {
				poll.Reset(wait)
				continue
			}
		case <-poll.C:
		}
		now := time.Now()
		next, staleAt := e.pollOnce(ctx, w, now)
		if ctx.Err() != nil {
			return
		}
		poll.Reset(next.Sub(now))
		stale.Stop()
		if staleAt.After(now) {
			stale.Reset(staleAt.Sub(now))
		}
	}
}

// waitBeforeRefresh returns how long a requested poll must wait for MinPoll
// and Retry-After; it records the planned time for the snapshot.
func (e *Engine) waitBeforeRefresh(w *worker, now time.Time) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	wait := w.notBefore.Sub(now.Round(0))
	if wait > 0 && w.next.After(now.Add(wait)) {
		w.next = now.Add(wait)
	}
	return wait
}

// pollOnce lists one source and reconciles; now is the time of this unit of
// work. It returns when to poll next and when the source turns stale.
func (e *Engine) pollOnce(ctx context.Context, w *worker, now time.Time) (next, staleAt time.Time) {
	e.mu.Lock()
	w.lastTry = now
	e.mu.Unlock()

	lctx, cancel := context.WithTimeout(ctx, e.timeout)
	pages, err := w.src.List(lctx)
	cancel()
	if ctx.Err() != nil {
		return now, now
	}
	if err != nil {
		next, staleAt = e.pollFailed(w, err, now)
		e.log.Warn("listing pages failed", "source", w.name, "err", err, "next", next)
		e.publish(now)
		return next, staleAt
	}
	next, staleAt = e.pollSucceeded(w, now)
	e.reconcile(ctx, w, pages, now)
	e.drainQueue(ctx, w, now)
	e.publish(now)
	return next, staleAt
}

func (e *Engine) pollSucceeded(w *worker, now time.Time) (next, staleAt time.Time) {
	w.bo.Reset()
	e.mu.Lock()
	defer e.mu.Unlock()
	w.lastOK, w.lastErr = now, nil
	w.notBefore = now.Round(0).Add(w.minPoll)
	w.next = now.Add(w.interval)
	return w.next, now.Add(2 * w.interval)
}

func (e *Engine) pollFailed(w *worker, err error, now time.Time) (next, staleAt time.Time) {
	delay := w.bo.NextBackOff()
	var retryAfter time.Duration
	var se *source.Error
	if errors.As(err, &se) && se.Kind == source.KindRateLimited && se.RetryAfter > 0 {
		retryAfter = se.RetryAfter
		delay = retryAfter
	}
	delay = max(delay, w.minPoll)
	e.mu.Lock()
	defer e.mu.Unlock()
	w.lastErr = err
	// A refresh or catch-up may cut the backoff short, never MinPoll or
	// the server's Retry-After.
	w.notBefore = now.Round(0).Add(max(retryAfter, w.minPoll))
	w.next = now.Add(delay)
	return w.next, e.staleRef(w).Add(2 * w.interval)
}

// staleRef is the time staleness counts from: the last success, or the
// engine start for a source that never succeeded. Call with e.mu held.
func (e *Engine) staleRef(w *worker) time.Time {
	if w.lastOK.IsZero() {
		return e.started
	}
	return w.lastOK
}
