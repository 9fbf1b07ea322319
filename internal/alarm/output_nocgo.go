//go:build !cgo && !windows && !darwin

package alarm

import (
	"context"
	"fmt"
)

// Output stands in for the audio output in builds without cgo (oto needs
// it for ALSA on Linux and the BSDs): every Play fails with ErrNoDevice.
type Output struct{}

// DefaultOutput returns the process's Output.
func DefaultOutput() *Output { return &Output{} }

// Play fails: this build cannot reach an audio device.
func (*Output) Play(context.Context, []byte) error {
	return fmt.Errorf("%w: this build of Standby has no audio output (built without cgo)", ErrNoDevice)
}
