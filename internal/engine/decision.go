package engine

import (
	"context"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// Level is how loudly a new page is brought to the user's attention.
type Level int

const (
	// Loud: native notification with sound.
	Loud Level = iota
	// Quiet: shown silently (badge, list), no sound or pop-up.
	Quiet
	// Deferred: held until Decision.Until (end of quiet hours), then shown
	// in a digest by whoever handles Notify.
	Deferred
	// Suppressed: not brought to attention at all (still listed).
	Suppressed
)

// String returns the lower-case level name.
func (l Level) String() string {
	switch l {
	case Quiet:
		return "quiet"
	case Deferred:
		return "deferred"
	case Suppressed:
		return "suppressed"
	default:
		return "loud"
	}
}

// Decision is the policy's verdict on one new page. The composition root
// adapts the richer quiet-hours decision into this.
type Decision struct {
	Level Level
	// Until is the end of the deferral for Deferred; zero otherwise.
	Until time.Time
	// Reason says why, in words ("Loud: you are on call for Payments until Mon 09:00").
	Reason string
}

// DecideFunc is the policy: a pure function of the page (with every known
// claim merged in) and the time of the reconcile pass.
type DecideFunc func(p page.Page, now time.Time) Decision

// NotifyFunc is the side effect for a page seen for the first time ever
// (per Store). It runs on an engine goroutine and must return promptly.
type NotifyFunc func(ctx context.Context, p page.Page, d Decision)

func loudByDefault(page.Page, time.Time) Decision {
	return Decision{Level: Loud, Reason: "Loud: no quiet-hours policy configured"}
}
