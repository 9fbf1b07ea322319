package engine

import (
	"context"
	"time"
)

// Wall-clock jump detection. Timers run on the monotonic clock, which stops
// while a laptop sleeps (and a stopped process sees no ticks at all), so
// after a resume every poll timer would still wait its remaining time. The
// watchdog ticks every jumpCheck and compares the wall-clock time elapsed
// (time.Now().Round(0), which strips the monotonic reading) with what the
// ticker promises; a gap beyond jumpSlack either way means sleep, a stopped
// process or a clock step, and every source is polled at once (catch-up).
const (
	jumpCheck = 10 * time.Second
	jumpSlack = 30 * time.Second
)

func (e *Engine) watchClock(ctx context.Context) {
	t := time.NewTicker(jumpCheck)
	defer t.Stop()
	prev := e.wallNow().Round(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := e.wallNow().Round(0)
		if gap := now.Sub(prev); jumped(gap) {
			e.log.Info("wall clock jumped; catching up", "gap", gap.String())
			e.catchUp()
		}
		prev = now
	}
}

// jumped reports whether gap, the wall time between two ticks jumpCheck
// apart, shows a jump.
func jumped(gap time.Duration) bool {
	return gap > jumpCheck+jumpSlack || gap < jumpCheck-jumpSlack
}
