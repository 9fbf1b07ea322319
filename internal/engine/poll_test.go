package engine

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func TestCadence(t *testing.T) {
	tests := []struct {
		name    string
		poll    time.Duration
		minPoll time.Duration
		want    time.Duration
	}{
		{"default", 0, 0, DefaultPoll},
		{"configured", 10 * time.Second, 0, 10 * time.Second},
		{"MinPoll wins over configured", 10 * time.Second, 20 * time.Second, 20 * time.Second},
		{"MinPoll wins over default", 0, time.Minute, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := newFake("am", tt.minPoll)
				p := params(&recorder{}, nil, src)
				p.Poll = tt.poll
				e := New(p)
				start := time.Now()
				stop := run(t, e)
				sleep(5*tt.want + tt.want/2)
				stop()

				lists := src.listTimes()
				if len(lists) != 6 || !lists[0].Equal(start) {
					t.Fatalf("lists at %v, want 6 starting at %v", lists, start)
				}
				for i, g := range gaps(lists) {
					if g != tt.want {
						t.Errorf("gap %d = %v, want %v", i, g, tt.want)
					}
				}
			})
		})
	}
}

func TestRefreshNowHonoursMinPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("pd", 20*time.Second)
		e := New(params(&recorder{}, nil, src))
		stop := run(t, e)
		defer stop()

		sleep(5 * time.Second)
		if err := e.RefreshNow("pd"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if n := len(src.listTimes()); n != 1 {
			t.Fatalf("refresh 5 s after a poll with MinPoll 20 s listed at once (%d lists)", n)
		}
		if got := e.Snapshot().Sources[0].NextPoll; !got.Equal(src.listTimes()[0].Add(20 * time.Second)) {
			t.Errorf("NextPoll = %v, want first poll + 20 s", got)
		}
		sleep(15 * time.Second)
		if n := len(src.listTimes()); n != 2 {
			t.Fatalf("refresh did not poll as soon as MinPoll allowed (%d lists)", n)
		}
		if err := e.RefreshNow("nope"); err == nil {
			t.Error("RefreshNow of an unknown source: no error")
		}
	})
}

// within reports whether d is in [want-20%, want+20%] (the backoff jitter).
func within(d, want time.Duration) bool {
	return d >= want*8/10 && d <= want*12/10+time.Nanosecond
}

func TestBackoffGrowsAndResets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		src.setListErr(errDown)
		e := New(params(&recorder{}, nil, src))
		stop := run(t, e)
		defer stop()

		// Initial 15 s (half the interval), doubling, capped at 5 min.
		want := []time.Duration{15, 30, 60, 120, 240, 300, 300}
		var total time.Duration
		for _, w := range want {
			total += w * time.Second * 12 / 10
		}
		sleep(total)
		g := gaps(src.listTimes())
		if len(g) < len(want) {
			t.Fatalf("only %d retries in %v: %v", len(g), total, g)
		}
		for i, w := range want {
			if !within(g[i], w*time.Second) {
				t.Errorf("retry %d after %v, want %v ± 20%%", i+1, g[i], w*time.Second)
			}
		}

		// Recovery: the next poll succeeds, then the cadence is back to 30 s
		// and a new failure starts the backoff from the beginning.
		src.setListErr(nil)
		sleep(300 * time.Second * 12 / 10)
		n := len(src.listTimes())
		sleep(60 * time.Second)
		lists := src.listTimes()
		if len(lists) != n+2 || lists[n].Sub(lists[n-1]) != 30*time.Second {
			t.Fatalf("after recovery: %v", gaps(lists[n-1:]))
		}
		src.setListErr(errDown)
		sleep(30*time.Second + 20*time.Second)
		g = gaps(src.listTimes()[n+1:])
		if len(g) < 2 || g[0] != 30*time.Second || !within(g[1], 15*time.Second) {
			t.Errorf("backoff did not reset after a success: gaps %v", g)
		}
	})
}

func TestRetryAfterHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("og", 0)
		src.setListErr(errLimited(7 * time.Minute))
		e := New(params(&recorder{}, nil, src))
		stop := run(t, e)
		defer stop()

		sleep(time.Minute)
		if err := e.RefreshNow("og"); err != nil { // must not hammer a 429
			t.Fatal(err)
		}
		sleep(6*time.Minute - time.Nanosecond)
		if n := len(src.listTimes()); n != 1 {
			t.Fatalf("polled %d times within Retry-After", n)
		}
		src.setListErr(nil)
		sleep(time.Nanosecond)
		lists := src.listTimes()
		if len(lists) != 2 || lists[1].Sub(lists[0]) != 7*time.Minute {
			t.Fatalf("second poll after %v, want exactly 7m", gaps(lists))
		}
	})
}

func TestStaleWithinTwoIntervals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		e := New(params(&recorder{}, nil, src))
		states, cancel := e.Subscribe()
		defer cancel()
		stop := run(t, e)
		defer stop()

		id := src.add("a", page.UrgencyHigh)
		sleep(30 * time.Second) // success at 0 and 30 s
		lastOK := time.Now()
		src.setListErr(errDown)
		sleep(30 * time.Second) // failure at 60 s
		st := e.Snapshot()
		s := sourceStatus(t, st, "am")
		if s.Health != HealthFailing || s.Err != errDown.Error() || !s.LastSuccess.Equal(lastOK) {
			t.Errorf("after one failure: %+v", s)
		}
		if _, ok := pageState(st, id); !ok {
			t.Error("failed List dropped a known page")
		}

		// Stale exactly two intervals after the last success, announced to
		// subscribers even though no poll happens at that instant.
		sleep(30*time.Second - time.Nanosecond)
		if h := sourceStatus(t, e.Snapshot(), "am").Health; h != HealthFailing {
			t.Errorf("just before 2 intervals: %v", h)
		}
		drain(states)
		sleep(time.Nanosecond)
		got := drain(states)
		if h := sourceStatus(t, got, "am").Health; h != HealthStale {
			t.Errorf("at 2 intervals the subscriber got %v, want stale", h)
		}
		if _, ok := pageState(got, id); !ok {
			t.Error("stale source lost its pages")
		}
	})
}

func TestStaleWhenNeverReached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		src.setListErr(errDown)
		e := New(params(&recorder{}, nil, src))
		stop := run(t, e)
		defer stop()
		sleep(time.Minute)
		s := sourceStatus(t, e.Snapshot(), "am")
		if s.Health != HealthStale || !s.LastSuccess.IsZero() || s.LastAttempt.IsZero() {
			t.Errorf("never-reached source after 2 intervals: %+v", s)
		}
	})
}

// drain returns the latest state waiting on ch (zero State if none).
func drain(ch <-chan State) State {
	var st State
	for {
		select {
		case st = <-ch:
		default:
			return st
		}
	}
}

func TestNotifyLatency(t *testing.T) {
	// A page is notified no later than one poll interval + 1 s after it
	// appears upstream, wherever it falls between polls.
	for _, offset := range []time.Duration{0, time.Nanosecond, time.Second, 15 * time.Second, 29*time.Second + 999*time.Millisecond} {
		t.Run(offset.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src := newFake("am", 0)
				rec := &recorder{}
				e := New(params(rec, nil, src))
				stop := run(t, e)
				defer stop()

				sleep(offset)
				appeared := time.Now()
				src.add("x", page.UrgencyHigh)
				sleep(DefaultPoll + time.Second)
				n := rec.notified()
				if len(n) != 1 {
					t.Fatalf("notified %d times", len(n))
				}
				if lat := n[0].At.Sub(appeared); lat > DefaultPoll+time.Second {
					t.Errorf("notified %v after the page appeared", lat)
				}
			})
		})
	}
}

func TestPollBySource(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fast, slow := newFake("fast", 0), newFake("slow", 0)
		p := params(&recorder{}, nil, fast, slow)
		p.PollBySource = map[string]time.Duration{"fast": 10 * time.Second, "slow": 2 * time.Minute}
		e := New(p)
		stop := run(t, e)
		defer stop()
		sleep(4 * time.Minute)
		if f, s := len(fast.listTimes()), len(slow.listTimes()); f != 25 || s != 3 {
			t.Errorf("in 4 min: fast polled %d times (want 25), slow %d (want 3)", f, s)
		}
	})
}
