package alarm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Fallback plays through a primary sink and, when a play fails, plays the
// same sound through a secondary sink at once. After the primary has
// failed it keeps to the secondary: Output caches its one oto context, and that context's
// failure, for the life of the process, so trying it again would only
// delay every later alarm. Safe for concurrent use.
type Fallback struct {
	primary, secondary Sink

	mu         sync.Mutex
	primaryErr error // why Primary failed; nil while it works
}

// NewFallback returns a Sink that plays through primary, and through
// secondary once primary failed.
func NewFallback(primary, secondary Sink) *Fallback {
	return &Fallback{primary: primary, secondary: secondary}
}

// DefaultSink is what the app plays the alarm through: the process's
// Output, and a player program (Process) once Output fails.
func DefaultSink() *Fallback { return NewFallback(DefaultOutput(), Process{}) }

// Play plays pcm to the end, or until ctx ends (then it returns
// ctx.Err()). When both sinks fail, the error (wrapping ErrNoDevice)
// names both causes in one line.
func (f *Fallback) Play(ctx context.Context, pcm []byte) error {
	f.mu.Lock()
	primaryErr := f.primaryErr
	f.mu.Unlock()
	if primaryErr == nil {
		err := f.primary.Play(ctx, pcm)
		if err == nil || ctx.Err() != nil {
			return err
		}
		f.mu.Lock()
		f.primaryErr = err
		f.mu.Unlock()
		primaryErr = err
	}
	err := f.secondary.Play(ctx, pcm)
	if err == nil || ctx.Err() != nil {
		return err
	}
	return fmt.Errorf("%w: %s%s%s", ErrNoDevice, cause(primaryErr), fallbackSep, cause(err))
}

// fallbackSep separates the two causes when both sinks failed.
const fallbackSep = "; and then "

// PrimaryErr says why Fallback stopped using its primary sink; nil while
// it still does.
func (f *Fallback) PrimaryErr() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.primaryErr
}

// cause is an error's first line without a leading "no audio device: ".
func cause(err error) string {
	s := oneLine(err)
	if errors.Is(err, ErrNoDevice) {
		s = strings.TrimPrefix(s, ErrNoDevice.Error()+": ")
	}
	return s
}
