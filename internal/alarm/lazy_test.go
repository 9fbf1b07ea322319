package alarm

import (
	"bytes"
	"context"
	"testing"
)

// pcmSink keeps what it was asked to play.
type pcmSink struct{ got []byte }

func (s *pcmSink) Play(_ context.Context, pcm []byte) error {
	s.got = pcm
	return nil
}

// Without Options.Sound the Player plays Sound(), synthesised when it is
// first needed rather than held from New on.
func TestPlayerWithoutSoundPlaysTheAlarm(t *testing.T) {
	sink := &pcmSink{}
	p := New(sink, Options{})
	defer p.Close()
	if p.sound != nil {
		t.Fatal("New kept a sound of its own")
	}
	if err := p.Test(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(sink.got) == 0 || !bytes.Equal(sink.got, Sound()) {
		t.Fatalf("played %d bytes, want the alarm's %d", len(sink.got), len(Sound()))
	}
}
