package app

import (
	"context"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/quiet"
)

// QuietStatus is the quiet-hours state for the window, tray and CLI.
type QuietStatus struct {
	Quiet  bool         `json:"quiet"`
	Until  time.Time    `json:"until,omitzero"`
	Reason string       `json:"reason"`
	OnCall quiet.OnCall `json:"on_call"`
	// Summary is one line: "Quiet until 07:00 — on call: high urgency will still ring".
	Summary string `json:"summary"`
}

// Quiet returns the quiet-hours state at now.
func (s *Service) Quiet(ctx context.Context, now time.Time) QuietStatus {
	loc := s.Location()
	q, until, reason := s.rules(ctx).QuietAt(now, loc)
	oc := s.onCall(now)
	st := QuietStatus{Quiet: q, Until: until, Reason: reason, OnCall: oc}
	switch {
	case q && oc.OnCall:
		st.Summary = fmt.Sprintf("Quiet until %s — on call: high urgency will still ring", quiet.FormatWhen(until, now, loc))
	case q:
		st.Summary = fmt.Sprintf("Quiet until %s — not on call: pages wait for the digest", quiet.FormatWhen(until, now, loc))
	case oc.OnCall:
		st.Summary = "Not quiet — on call: every new page rings"
	default:
		st.Summary = "Not quiet — every new page rings"
	}
	return st
}

// QuietFor makes the app quiet for d from now.
func (s *Service) QuietFor(ctx context.Context, d time.Duration, now time.Time) error {
	if d <= 0 {
		return fmt.Errorf("quiet for %s: the duration must be positive", d)
	}
	return s.QuietUntil(ctx, now.Add(d), now)
}

// QuietUntil makes the app quiet until t.
func (s *Service) QuietUntil(ctx context.Context, t, now time.Time) error {
	if !t.After(now) {
		return fmt.Errorf("quiet until %s: that is not in the future", t.Format(time.RFC3339))
	}
	if err := s.setTimeSetting(ctx, keyQuietUntil, t); err != nil {
		return err
	}
	if err := s.setTimeSetting(ctx, keyResumedUntil, time.Time{}); err != nil {
		return err
	}
	s.broadcast()
	s.presenceChanged()
	return nil
}

// QuietOff ends ad-hoc quiet and resumes now from a weekly window until it
// would naturally have ended.
func (s *Service) QuietOff(ctx context.Context, now time.Time) error {
	r := s.rules(ctx).Resume(now, s.Location())
	if err := s.setTimeSetting(ctx, keyQuietUntil, r.QuietUntil); err != nil {
		return err
	}
	if err := s.setTimeSetting(ctx, keyResumedUntil, r.ResumedUntil); err != nil {
		return err
	}
	s.broadcast()
	s.presenceChanged()
	return nil
}

// NextMorning returns the next 08:00 in the user's zone after now, for
// "Quiet until tomorrow 08:00".
func NextMorning(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	t := time.Date(l.Year(), l.Month(), l.Day(), 8, 0, 0, 0, loc)
	if !t.After(l) {
		t = time.Date(l.Year(), l.Month(), l.Day()+1, 8, 0, 0, 0, loc)
	}
	return t
}
