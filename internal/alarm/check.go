package alarm

import (
	"context"
	"fmt"
)

// Check is the doctor's sound check: it plays the alarm once on the
// default output and says so in one line, or returns a one-line error
// starting "no audio device: ".
func Check(ctx context.Context) (string, error) {
	if err := DefaultOutput().Play(ctx, Sound()); err != nil {
		return "", fmt.Errorf("%s", oneLine(err))
	}
	return fmt.Sprintf("played the alarm (%.1f s) on the default audio output", Duration().Seconds()), nil
}
