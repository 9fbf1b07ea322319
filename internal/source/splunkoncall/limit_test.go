package splunkoncall_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
	"github.com/standby-oncall/standby/internal/source/splunkoncall"
	"github.com/standby-oncall/standby/internal/source/splunkoncall/vofake"
)

// newBubbleSource returns a source with the real 6-a-minute budget on an
// in-memory fake; call it inside the bubble so the limiter uses its clock.
func newBubbleSource(t *testing.T) (*splunkoncall.Source, *vofake.Server) {
	vo := vofake.NewHandler(testID, testKey)
	vo.AddUser(alice.Name)
	src, err := splunkoncall.New(splunkoncall.Config{Name: "vo", APIID: testID, APIKey: testKey},
		fakehttp.InMemory(vo.Handler()))
	if err != nil {
		t.Fatal(err)
	}
	return src, vo
}

// maxInWindow is the most requests the fake saw in any 60-second window.
func maxInWindow(reqs []vofake.Request) int {
	most := 0
	for i, first := range reqs {
		n := 0
		for _, r := range reqs[i:] {
			if r.At.Sub(first.At) < time.Minute {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// TestBudgetUnderPressure: an engine polling every second and a user
// acking six incidents never get more than 6 calls a minute to the API;
// the extra Lists are refused at once with the wait, the acks all land.
func TestBudgetUnderPressure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, vo := newBubbleSource(t)
		var ids []string
		for range 6 {
			ids = append(ids, vo.Trigger(vofake.Incident{Entity: "db"}))
		}
		ctx, stop := context.WithCancel(t.Context())
		var limited int
		var polls sync.WaitGroup
		polls.Go(func() {
			for ctx.Err() == nil {
				_, err := src.List(ctx)
				if source.KindOf(err) == source.KindRateLimited {
					limited++
					if e := asSourceError(err); e.RetryAfter <= 0 || e.RetryAfter > 2*time.Minute {
						t.Errorf("client-side limit RetryAfter = %v, want (0, 2m] (acks queued ahead)", e.RetryAfter)
					}
				} else if err != nil {
					t.Errorf("List: %v", err)
				}
				time.Sleep(time.Second)
			}
		})
		var acks sync.WaitGroup
		for i, id := range ids {
			acks.Go(func() {
				time.Sleep(time.Duration(i) * 7 * time.Second)
				if err := src.Ack(t.Context(), id, alice); err != nil {
					t.Errorf("Ack %s: %v", id, err)
				}
			})
		}
		acks.Wait()
		time.Sleep(3 * time.Minute)
		stop()
		polls.Wait()
		reqs := vo.Requests()
		if n := maxInWindow(reqs); n > 6 {
			t.Errorf("%d calls in one minute, the API allows 6", n)
		}
		if limited == 0 {
			t.Error("no List was held back by the client-side limit")
		}
		for _, id := range ids {
			if inc, _ := vo.Incident(id); inc.Phase != "ACKED" {
				t.Errorf("incident %s is %s after Ack", id, inc.Phase)
			}
		}
	})
}

// TestPollAtMinPollLeavesRoomForAcks: at Caps.MinPoll no List is held
// back, and an ack after a poll goes out at once.
func TestPollAtMinPollLeavesRoomForAcks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, vo := newBubbleSource(t)
		id := vo.Trigger(vofake.Incident{Entity: "api 5xx"})
		for i := range 10 {
			if _, err := src.List(t.Context()); err != nil {
				t.Fatalf("poll %d: %v", i, err)
			}
			if i == 4 {
				start := time.Now()
				if err := src.Ack(t.Context(), id, alice); err != nil {
					t.Fatal(err)
				}
				if d := time.Since(start); d != 0 {
					t.Errorf("Ack after a poll waited %v", d)
				}
			}
			time.Sleep(src.Caps().MinPoll)
		}
		if n := maxInWindow(vo.Requests()); n > 6 {
			t.Errorf("%d calls in one minute", n)
		}
	})
}

// TestAckWaitsOnlyAsLongAsAllowed: with the budget spent, an Ack waits for
// the next slot; one whose context ends sooner fails at once, rate-limited.
func TestAckWaitsOnlyAsLongAsAllowed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, vo := newBubbleSource(t)
		id := vo.Trigger(vofake.Incident{Entity: "queue"})
		for range 2 { // the burst
			if _, err := src.List(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		short, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		err := src.Ack(short, id, alice)
		if source.KindOf(err) != source.KindRateLimited || time.Since(start) != 0 {
			t.Fatalf("Ack with 5 s left = %v after %v, want rate-limited at once", err, time.Since(start))
		}
		if e := asSourceError(err); e.RetryAfter != 15*time.Second {
			t.Errorf("RetryAfter = %v, want 15s", e.RetryAfter)
		}
		start = time.Now()
		if err := src.Ack(t.Context(), id, alice); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 15*time.Second {
			t.Errorf("Ack waited %v, want 15s (the next slot)", d)
		}
	})
}

func asSourceError(err error) *source.Error {
	var e *source.Error
	if !asError(err, &e) {
		return &source.Error{}
	}
	return e
}
