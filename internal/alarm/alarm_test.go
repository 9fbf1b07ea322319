package alarm

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fakeSink plays for its length of virtual time and records each play.
type fakeSink struct {
	length time.Duration
	err    error

	mu    sync.Mutex
	start time.Time
	plays []play
}

type play struct {
	at  time.Duration // since the test began
	cut bool          // ended by its context
}

func newFakeSink() *fakeSink {
	return &fakeSink{length: 2 * time.Second, start: time.Now()}
}

func (f *fakeSink) Play(ctx context.Context, pcm []byte) error {
	f.mu.Lock()
	i := len(f.plays)
	f.plays = append(f.plays, play{at: time.Since(f.start)})
	f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	select {
	case <-time.After(f.length):
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		f.plays[i].cut = true
		f.mu.Unlock()
		return ctx.Err()
	}
}

func (f *fakeSink) times() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ts []time.Duration
	for _, p := range f.plays {
		ts = append(ts, p.at)
	}
	return ts
}

// advance lets virtual time pass and every goroutine settle.
func advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

func secs(s ...int) []time.Duration {
	var ds []time.Duration
	for _, n := range s {
		ds = append(ds, time.Duration(n)*time.Second)
	}
	return ds
}

func TestRingRepeatsUntilStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := newFakeSink()
		p := New(sink, Options{Sound: []byte{0, 0, 0, 0}})
		defer p.Close()
		p.Ring(t.Context(), "am/1", 30*time.Second)
		advance(95 * time.Second)
		if got, want := sink.times(), secs(0, 30, 60, 90); !slices.Equal(got, want) {
			t.Fatalf("plays at %v, want %v", got, want)
		}
		p.Stop("am/1")
		advance(5 * time.Minute)
		if got := len(sink.times()); got != 4 {
			t.Fatalf("%d plays after Stop, want 4", got)
		}
		if len(p.Ringing()) != 0 {
			t.Fatalf("still ringing: %v", p.Ringing())
		}
	})
}

func TestStopCutsTheSoundUnderWay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := newFakeSink()
		p := New(sink, Options{Sound: []byte{0, 0, 0, 0}})
		defer p.Close()
		p.Ring(t.Context(), "am/1", 30*time.Second)
		advance(time.Second)
		p.Stop("am/1")
		synctest.Wait()
		if !sink.plays[0].cut {
			t.Fatal("the sound played on after the page was claimed")
		}
	})
}

func TestContextEndsTheRing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := newFakeSink()
		p := New(sink, Options{Sound: []byte{0, 0, 0, 0}})
		defer p.Close()
		ctx, cancel := context.WithCancel(t.Context())
		p.Ring(ctx, "am/1", 30*time.Second)
		advance(40 * time.Second)
		cancel()
		advance(5 * time.Minute)
		if got, want := sink.times(), secs(0, 30); !slices.Equal(got, want) {
			t.Fatalf("plays at %v, want %v", got, want)
		}
	})
}

// TestPagesRingAsOneAlarm: a second page sounds at once, and from then on
// one alarm every period serves both.
func TestPagesRingAsOneAlarm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := newFakeSink()
		p := New(sink, Options{Sound: []byte{0, 0, 0, 0}})
		defer p.Close()
		p.Ring(t.Context(), "a", 30*time.Second)
		advance(10 * time.Second)
		p.Ring(t.Context(), "b", 30*time.Second)
		p.Ring(t.Context(), "a", 30*time.Second) // again: no extra sound
		advance(65 * time.Second)                // to 75 s
		if got, want := sink.times(), secs(0, 10, 40, 70); !slices.Equal(got, want) {
			t.Fatalf("plays at %v, want %v", got, want)
		}
		p.Stop("a")
		advance(30 * time.Second) // b still rings at 100
		p.Stop("b")
		advance(5 * time.Minute)
		if got, want := sink.times(), secs(0, 10, 40, 70, 100); !slices.Equal(got, want) {
			t.Fatalf("plays at %v, want %v", got, want)
		}
	})
}

func TestRingOnceAndOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := newFakeSink()
		p := New(sink, Options{Sound: []byte{0, 0, 0, 0}})
		defer p.Close()
		p.Ring(t.Context(), "a", 0)
		advance(time.Second)
		if len(p.Ringing()) != 0 {
			t.Fatalf("a ring-once page still rings: %v", p.Ringing())
		}
		advance(time.Minute)
		p.Once()
		advance(5 * time.Minute)
		if got, want := sink.times(), secs(0, 61); !slices.Equal(got, want) {
			t.Fatalf("plays at %v, want %v", got, want)
		}
		for _, pl := range sink.plays {
			if pl.cut {
				t.Fatal("a single play was cut")
			}
		}
	})
}

func TestStopAllSilencesAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := newFakeSink()
		p := New(sink, Options{Sound: []byte{0, 0, 0, 0}})
		defer p.Close()
		p.Ring(t.Context(), "a", 30*time.Second)
		p.Ring(t.Context(), "b", 0)
		p.Once()
		advance(time.Second)
		p.StopAll()
		advance(5 * time.Minute)
		if len(sink.plays) != 1 || !sink.plays[0].cut {
			t.Fatalf("plays %+v, want one, cut by StopAll", sink.plays)
		}
	})
}

func TestPlayErrorsAreReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := newFakeSink()
		sink.err = errors.New("oto: ALSA error at snd_pcm_open")
		var reported []error
		p := New(sink, Options{Sound: []byte{0, 0, 0, 0}, OnError: func(err error) { reported = append(reported, err) }})
		defer p.Close()
		p.Ring(t.Context(), "a", 30*time.Second)
		advance(45 * time.Second)
		if len(reported) != 2 || !errors.Is(reported[0], sink.err) {
			t.Fatalf("reported %v, want the sink's error on each try", reported)
		}
		if !errors.Is(p.LastError(), sink.err) {
			t.Fatalf("LastError = %v", p.LastError())
		}
		if err := p.Test(t.Context()); !errors.Is(err, sink.err) {
			t.Fatalf("Test = %v", err)
		}
		sink.err = nil
		if err := p.Test(t.Context()); err != nil || p.LastError() != nil {
			t.Fatalf("Test = %v, LastError = %v after a good play", err, p.LastError())
		}
	})
}

func TestCloseEndsEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := newFakeSink()
		p := New(sink, Options{Sound: []byte{0, 0, 0, 0}})
		p.Ring(t.Context(), "a", 30*time.Second)
		advance(time.Second)
		p.Close() // returns only after the goroutine ended; synctest fails on leaks
		if !sink.plays[0].cut {
			t.Fatal("Close left the sound playing")
		}
		p.Ring(t.Context(), "b", 30*time.Second)
		p.Once()
		advance(time.Minute)
		if len(sink.plays) != 1 {
			t.Fatalf("%d plays after Close", len(sink.plays))
		}
	})
}
