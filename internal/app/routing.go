package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
)

// Team-aware routing (issue #13): the engine asks routerForEngine for the
// policy of each pass and decides every page of the pass with it, with when
// this app first saw the page; the team service publishes my presence
// (presenceFields) and tells the engine to decide its held pages again
// whenever what routing sees of the team changes.

// startupViewWait bounds how long the engine waits at start for the team's
// presence, so that pages held before a restart are not rung just because
// the team is not in view yet. Without a visible team nothing is held.
const startupViewWait = 2 * time.Second

// routerForEngine is the engine's RouterFunc: the policy with the team,
// for one pass at now. The schedule and the quiet settings are looked up
// here, once for the pass (a first poll of 500 pages expanded every
// calendar and read the settings 500 times, issue #12), and never kept
// beyond it: the CLI may change a setting between two polls.
func (s *Service) routerForEngine(ctx context.Context, now time.Time) engine.Router {
	in := &routeInputs{onCall: s.onCall(now), rules: s.rules(ctx)}
	inQuiet, _, _ := in.rules.QuietAt(now, s.Location())
	return func(p page.Page, firstSeen time.Time) engine.Decision {
		d := s.decideIn(p, firstSeen, now, in) // the first page routed looks up the team view
		return engine.Decision{Level: engine.Level(d.Level), Until: d.Until, Reason: d.Reason,
			Responders: d.Responders, Escalated: d.Escalated, QuietHours: inQuiet}
	}
}

// presenceFields is what my presence record tells teammates at now: on
// call by my synced schedule, and whether a new high urgency page would
// ring me now by my quiet hours and ad-hoc quiet.
func (s *Service) presenceFields(now time.Time) bus.PresenceFields {
	oc := s.onCall(now)
	probe := page.Page{Status: page.StatusTriggered, Urgency: page.UrgencyHigh}
	d := s.decideWith(probe, time.Time{}, now, oc, s.rules(context.Background()))
	return bus.PresenceFields{OnCall: oc.OnCall, OnCallUntil: oc.Until, Schedule: oc.Schedule, Ringable: d.Level == quiet.Loud}
}

// presenceChanged asks the team service to publish my presence again if
// it changed (quiet hours, schedule, settings).
func (s *Service) presenceChanged() {
	if s.team != nil {
		s.team.PresenceChanged()
	}
}

// teamRoutingChanged follows a change in what routing sees of the team
// (presence, hub connection): held pages are decided again at once.
func (s *Service) teamRoutingChanged() { s.engine().Redecide() }

// ErrNotHeld is returned (wrapped) by RingNow for a page that is not held.
var ErrNotHeld = engine.ErrNotHeld

// RingNow ends the hold of a held page and rings it now — the "Ring me
// now" button of a held row and `standby ring ID`. It fails with ErrNotHeld
// when the page is not held (it rang already, or someone claimed it).
func (s *Service) RingNow(ctx context.Context, id page.ID) error {
	if err := s.engine().RingNow(ctx, id); err != nil {
		if errors.Is(err, engine.ErrNotHeld) {
			return fmt.Errorf("%s is not held (it rang already, or someone is looking): %w", id, err)
		}
		return err
	}
	s.broadcast()
	return nil
}

// ringPrefix starts the instance command that asks the running app to
// ring a held page now (`standby ring ID`).
const ringPrefix = "ring "

// RingCommand is the instance-socket command for "Ring me now" on id, as
// `standby ring ID` sends it to the running app.
func RingCommand(id page.ID) string { return ringPrefix + id.String() }

// ParseRingCommand reports whether cmd is a RingCommand, and for which
// page; the running app answers it with RingNow.
func ParseRingCommand(cmd string) (page.ID, bool) {
	rest, ok := strings.CutPrefix(cmd, ringPrefix)
	if !ok {
		return page.ID{}, false
	}
	id, err := page.ParseID(strings.TrimSpace(rest))
	return id, err == nil
}
