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
	// Held: listed silently while a teammate on call is rung first
	// (Decision.Responders); the engine rings it at Decision.Until unless
	// a claim, ack or resolve ends the hold before.
	Held
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
	case Held:
		return "held"
	default:
		return "loud"
	}
}

// Decision is the policy's verdict on one new page. The composition root
// adapts the richer quiet-hours decision into this.
type Decision struct {
	Level Level
	// Until is the end of the deferral for Deferred and the hold's
	// deadline for Held; zero otherwise.
	Until time.Time
	// Reason says why, in words ("Loud: you are on call for Payments until Mon 09:00").
	Reason string
	// Responders name the teammates on call rung first, for Held (and
	// kept on the ring that ends the hold).
	Responders []string
	// Escalated is true on the second Notify of a page: a hold that ended
	// in a ring (its deadline passed with nobody looking, its responders
	// went away, or the user asked "Ring me now").
	Escalated bool
	// QuietHours says the user was in quiet hours when the policy decided,
	// by the settings it read for the pass; the page history records it.
	QuietHours bool
}

// DecideFunc is the policy: a pure function of the page (with every known
// claim merged in) and the time of the reconcile pass.
type DecideFunc func(p page.Page, now time.Time) Decision

// RouteFunc is the team-aware policy: DecideFunc plus when this app first
// saw the page, which is where a hold starts. A zero firstSeen means the
// page was handled in an earlier run and must not be held. It may return
// Held only with Until after now.
type RouteFunc func(p page.Page, firstSeen, now time.Time) Decision

// Router is the policy for one pass at a fixed now: RouteFunc with the
// routing inputs (schedule, quiet-hours settings, team view) looked up once
// for the pass instead of once per page. The engine uses a Router on one
// goroutine only.
type Router func(p page.Page, firstSeen time.Time) Decision

// RouterFunc looks up the routing inputs at now and returns the Router of
// one pass. The engine calls it once per pass that has pages to decide (a
// reconcile with new pages, a pass over the held pages, a pushed page) and
// never keeps a Router beyond its pass, so a setting changed meanwhile (by
// the CLI in another process, say) counts from the next pass on.
type RouterFunc func(ctx context.Context, now time.Time) Router

// NotifyFunc is the side effect for a page seen for the first time ever
// (per Store), and once more when a hold ends in a ring (Level Loud,
// Escalated) or in a deferral (Level Deferred, when quiet hours began
// during the hold). A hold ended by a claim, ack or resolve notifies
// nothing. It runs on an engine goroutine and must return promptly.
type NotifyFunc func(ctx context.Context, p page.Page, d Decision)

func loudByDefault(page.Page, time.Time) Decision {
	return Decision{Level: Loud, Reason: "Loud: no quiet-hours policy configured"}
}
