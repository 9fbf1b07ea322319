package alarm

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Check is the doctor's sound check: it plays the alarm once through
// DefaultSink, as the app does, and says so in one line (naming why oto
// failed when a player program played it), or returns a one-line error
// starting "no audio device: ".
func Check(ctx context.Context) (string, error) {
	sink := DefaultSink()
	if err := sink.Play(ctx, Sound()); err != nil {
		return "", errors.New(short(oneLine(err)))
	}
	msg := fmt.Sprintf("played the alarm (%.1f s) on the default audio output", Duration().Seconds())
	if err := sink.PrimaryErr(); err != nil {
		msg += " through a player program (" + cause(err) + ")"
	}
	return short(msg), nil
}

// maxCheckLine is about what fits a terminal line after the check's name.
const maxCheckLine = 160

// short cuts a long list of failures (ALSA names every device it tried)
// after the first items that fit. When both of Fallback's sinks failed,
// each cause gets half the line.
func short(s string) string {
	if len(s) <= maxCheckLine {
		return s
	}
	if first, second, ok := strings.Cut(s, fallbackSep); ok {
		return shortTo(first, maxCheckLine/2) + fallbackSep + shortTo(second, maxCheckLine/2)
	}
	return shortTo(s, maxCheckLine)
}

// shortTo cuts a list separated by ", " after the first items that fit
// in limit bytes.
func shortTo(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	parts := strings.Split(s, ", ")
	out := parts[0]
	n := 1
	for ; n < len(parts) && len(out)+2+len(parts[n]) <= limit; n++ {
		out += ", " + parts[n]
	}
	if n < len(parts) {
		out += fmt.Sprintf(" (and %d more)", len(parts)-n)
	}
	return out
}
