package alarm

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Check is the doctor's sound check: it plays the alarm once on the
// default output and says so in one line, or returns a one-line error
// starting "no audio device: ".
func Check(ctx context.Context) (string, error) {
	if err := DefaultOutput().Play(ctx, Sound()); err != nil {
		return "", errors.New(short(oneLine(err)))
	}
	return fmt.Sprintf("played the alarm (%.1f s) on the default audio output", Duration().Seconds()), nil
}

// maxCheckLine is about what fits a terminal line after the check's name.
const maxCheckLine = 160

// short cuts a long list of failures (ALSA names every device it tried)
// after the first items that fit.
func short(s string) string {
	if len(s) <= maxCheckLine {
		return s
	}
	parts := strings.Split(s, ", ")
	out := parts[0]
	n := 1
	for ; n < len(parts) && len(out)+2+len(parts[n]) <= maxCheckLine; n++ {
		out += ", " + parts[n]
	}
	if n < len(parts) {
		out += fmt.Sprintf(" (and %d more)", len(parts)-n)
	}
	return out
}
