package sourcetest

import (
	"context"
	"testing"
	"time"
)

// Eventually calls cond every tick until it returns true and fails the test
// when it has not by timeout. It is for real external servers that converge
// on their own (Alertmanager gossip, dispatcher aggregation); code under our
// control is tested with explicit signals or testing/synctest instead.
func Eventually(t testing.TB, timeout, tick time.Duration, cond func() bool, what string) {
	t.Helper()
	if !poll(t.Context(), timeout, tick, cond) {
		t.Fatalf("gave up after %v waiting for %s", timeout, what)
	}
}

// poll is Eventually without the test: it reports whether cond held in time.
func poll(ctx context.Context, timeout, tick time.Duration, cond func() bool) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	for {
		if cond() {
			return true
		}
		select {
		case <-ctx.Done():
			return cond()
		case <-ticker.C:
		}
	}
}
