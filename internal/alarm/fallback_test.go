package alarm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// countingSink records what it played and fails with err (when set).
type countingSink struct {
	mu    sync.Mutex
	plays [][]byte
	err   error
}

func (s *countingSink) Play(ctx context.Context, pcm []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plays = append(s.plays, pcm)
	return s.err
}

func (s *countingSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.plays)
}

func TestFallbackUsesPrimaryWhileItWorks(t *testing.T) {
	primary, secondary := &countingSink{}, &countingSink{}
	f := NewFallback(primary, secondary)
	for range 2 {
		if err := f.Play(t.Context(), []byte{1, 2}); err != nil {
			t.Fatal(err)
		}
	}
	if primary.count() != 2 || secondary.count() != 0 || f.PrimaryErr() != nil {
		t.Fatalf("primary played %d, secondary %d, PrimaryErr %v; want 2, 0, nil", primary.count(), secondary.count(), f.PrimaryErr())
	}
}

func TestFallbackPlaysThroughSecondaryAfterAFailure(t *testing.T) {
	broken := fmt.Errorf("%w: ALSA: snd_pcm_writei: Input/output error", ErrNoDevice)
	primary, secondary := &countingSink{err: broken}, &countingSink{}
	f := NewFallback(primary, secondary)
	pcm := []byte{1, 2, 3, 4}
	if err := f.Play(t.Context(), pcm); err != nil {
		t.Fatalf("Play with a broken primary: %v", err)
	}
	if secondary.count() != 1 || string(secondary.plays[0]) != string(pcm) {
		t.Fatalf("secondary played %v, want the same sound once", secondary.plays)
	}
	if !errors.Is(f.PrimaryErr(), broken) {
		t.Fatalf("PrimaryErr: %v", f.PrimaryErr())
	}
	// Later plays go to the secondary at once.
	if err := f.Play(t.Context(), pcm); err != nil {
		t.Fatal(err)
	}
	if primary.count() != 1 || secondary.count() != 2 {
		t.Fatalf("after the failure: primary played %d, secondary %d; want 1, 2", primary.count(), secondary.count())
	}
}

// cancelSink returns ctx's error like a sink whose play was stopped.
type cancelSink struct{ countingSink }

func (s *cancelSink) Play(ctx context.Context, pcm []byte) error {
	s.countingSink.Play(ctx, pcm)
	return ctx.Err()
}

func TestFallbackDoesNotFallBackOnCancel(t *testing.T) {
	primary, secondary := &cancelSink{}, &countingSink{}
	f := NewFallback(primary, secondary)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := f.Play(ctx, []byte{1}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Play after cancel: %v", err)
	}
	if secondary.count() != 0 || f.PrimaryErr() != nil {
		t.Fatalf("a cancelled play fell back: secondary played %d, PrimaryErr %v", secondary.count(), f.PrimaryErr())
	}
}

func TestFallbackBothFail(t *testing.T) {
	primary := &countingSink{err: fmt.Errorf("%w: pulse: Connection refused\nmore detail", ErrNoDevice)}
	secondary := &countingSink{err: fmt.Errorf("%w: paplay: exit status 1", ErrNoDevice)}
	f := NewFallback(primary, secondary)
	for i := range 2 { // the second play names the primary's earlier failure too
		err := f.Play(t.Context(), []byte{1})
		if !errors.Is(err, ErrNoDevice) {
			t.Fatalf("play %d: %v, want ErrNoDevice", i, err)
		}
		want := "no audio device: pulse: Connection refused; and then paplay: exit status 1"
		if err.Error() != want || strings.Contains(err.Error(), "\n") {
			t.Fatalf("play %d:\n%q\nwant:\n%q", i, err, want)
		}
	}
}
