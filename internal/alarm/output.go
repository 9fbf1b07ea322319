//go:build cgo || windows || darwin

package alarm

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
)

// openTimeout bounds the opening of the audio device.
const openTimeout = 10 * time.Second

// Output plays on the system's default audio output through oto (ALSA on
// Linux, which PulseAudio's and PipeWire's ALSA plugins route to the
// desktop's default sink; WASAPI on Windows; Core Audio on macOS). oto
// opens one device per process and keeps it; Output suspends it while
// nothing plays.
type Output struct {
	once sync.Once
	ctx  *oto.Context
	err  error

	mu     sync.Mutex
	active int
}

var defaultOutput = &Output{}

// DefaultOutput returns the process's one Output: oto allows a single
// audio context per process, so every Player shares it.
func DefaultOutput() *Output { return defaultOutput }

func (o *Output) open() error {
	o.once.Do(func() {
		c, ready, err := oto.NewContext(&oto.NewContextOptions{SampleRate: SampleRate, ChannelCount: Channels, Format: oto.FormatSignedInt16LE})
		if err != nil {
			o.err = err
			return
		}
		select {
		case <-ready:
		case <-time.After(openTimeout):
			o.err = fmt.Errorf("the audio device did not open within %s", openTimeout)
			return
		}
		if err := c.Err(); err != nil {
			o.err = err
			return
		}
		o.ctx = c
		o.err = c.Suspend()
	})
	if o.err != nil {
		return fmt.Errorf("%w: %s", ErrNoDevice, oneLine(o.err))
	}
	return nil
}

// Play plays pcm (Sound's format) to the end, or until ctx ends.
func (o *Output) Play(ctx context.Context, pcm []byte) error {
	if err := o.open(); err != nil {
		return err
	}
	if err := o.acquire(); err != nil {
		return fmt.Errorf("%w: %s", ErrNoDevice, oneLine(err))
	}
	defer o.release()
	pl := o.ctx.NewPlayer(bytes.NewReader(pcm)) // no Close: oto v3.4+ frees it with the player
	pl.Play()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for pl.IsPlaying() {
		select {
		case <-ctx.Done():
			pl.Pause()
			return ctx.Err()
		case <-tick.C:
		}
		if err := o.ctx.Err(); err != nil {
			return fmt.Errorf("%w: %s", ErrNoDevice, oneLine(err))
		}
	}
	if err := pl.Err(); err != nil {
		return fmt.Errorf("playing: %w", err)
	}
	return nil
}

// acquire resumes the device for the first concurrent play.
func (o *Output) acquire() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.active == 0 {
		if err := o.ctx.Resume(); err != nil {
			return err
		}
	}
	o.active++
	return nil
}

// release suspends the device after the last concurrent play; the
// alarm's silent tail covers what is still in the device's buffer.
func (o *Output) release() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.active--
	if o.active == 0 {
		_ = o.ctx.Suspend()
	}
}
