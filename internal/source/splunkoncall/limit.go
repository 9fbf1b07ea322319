package splunkoncall

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/time/rate"

	"github.com/standby-oncall/standby/internal/source"
)

// Budget of the incident endpoints: 6 calls in any minute. A token bucket
// with burst b refilled every i allows at most b + 60s/i calls in any
// 60-second window (closed or not), so burst 2 refilled every 15 s is
// exactly 6, and two calls (an ack after a poll) never wait.
const (
	callsPerMinute = 6
	limitBurst     = 2
	limitEvery     = time.Minute / (callsPerMinute - limitBurst)
)

// NewLimiter returns the client-side budget for one organisation: at most
// 6 calls in any 60-second window.
func NewLimiter() *rate.Limiter {
	return rate.NewLimiter(rate.Every(limitEvery), limitBurst)
}

// tryTake takes a call from the budget or, when none is left, returns a
// KindRateLimited error saying when the next one is: List never queues,
// so an ack the user is waiting for gets the next slot and the engine
// backs off as it does for a 429.
func (s *Source) tryTake() error {
	r := s.lim.Reserve()
	if !r.OK() {
		return limited(0)
	}
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return limited(d)
	}
	return nil
}

// take waits for a call from the budget, as long as ctx allows.
func (s *Source) take(ctx context.Context) error {
	r := s.lim.Reserve()
	if !r.OK() {
		return limited(0)
	}
	d := r.Delay()
	if d == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		r.Cancel()
		return limited(d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return limited(d)
	}
}

// limited is the error for a call held back by the client-side budget.
func limited(d time.Duration) error {
	d = d.Round(time.Second)
	return &source.Error{Kind: source.KindRateLimited, RetryAfter: d,
		Msg: fmt.Sprintf("holding back: Splunk On-Call allows %d incident calls a minute, next in %v", callsPerMinute, d)}
}
