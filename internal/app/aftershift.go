package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/app/team"
	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/notify"
)

// The app's after-the-shift timers: the minute tick that hands my shift
// off when it ends, the hourly tick that shares my load, and the handoffs
// that arrive from teammates.
const (
	// keyHandoffChecked is the last instant the minute tick looked for an
	// ended shift (ms), so a restart neither repeats a handoff nor misses
	// a shift that ended while the app was down (up to handoffCatchUp).
	keyHandoffChecked = "handoff.checked"
	// keyHandoffShown prefixes, per member, the hub time (ms) of the last
	// handoff from that member shown in a bubble: once, across restarts.
	keyHandoffShown = "handoff.shown."
	// handoffCatchUp is how far back a restart looks for a shift that
	// ended while the app was down; a received handoff of a shift that
	// ended longer ago than this gets no bubble.
	handoffCatchUp = 12 * time.Hour
	// takeOverWindow is how soon after a teammate's shift ends my own must
	// start for me to be the next on call (or I am on call when it comes).
	takeOverWindow = time.Hour
	// shareLoadFirst is when my load is first shared after start (the hub
	// is joined by then), and shareLoadEvery how often afterwards.
	shareLoadFirst = time.Minute
	shareLoadEvery = time.Hour

	handoffKey = "standby/handoff"
)

// runAfterShift owns the after-the-shift timers until ctx ends; it is one
// goroutine of Run's group.
func (s *Service) runAfterShift(ctx context.Context) error {
	last := s.handoffChecked(ctx, time.Now())
	minute := time.NewTicker(time.Minute)
	defer minute.Stop()
	share := time.NewTimer(shareLoadFirst)
	defer share.Stop()
	arrived := s.team.HandoffArrived()
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-minute.C:
			last = s.handOffEndedShift(ctx, last, now)
			// Again each minute: at start the calendars may not be loaded
			// yet when the stored handoffs arrive, and my shift may start
			// after theirs arrived.
			s.showArrivedHandoffs(ctx, now)
		case now := <-share.C:
			s.shareLoad(ctx, now)
			share.Reset(shareLoadEvery)
		case <-arrived:
			s.showArrivedHandoffs(ctx, time.Now())
		}
	}
}

// handoffChecked is where the minute tick starts after a restart: the
// last instant checked, if it is recent, else now.
func (s *Service) handoffChecked(ctx context.Context, now time.Time) time.Time {
	t := s.timeSetting(ctx, keyHandoffChecked)
	if t.IsZero() || t.After(now) || now.Sub(t) > handoffCatchUp {
		return now
	}
	return t
}

// handOffEndedShift prepares and publishes the handoff of a shift of mine
// that ended in (last, now] and shows its headline in a normal bubble. The
// instant checked is written down before the bubble, so a restart does not
// repeat it. It returns the new last.
func (s *Service) handOffEndedShift(ctx context.Context, last, now time.Time) time.Time {
	h, ok := s.ShiftEndedHandoff(ctx, last, now)
	if err := s.setTimeSetting(ctx, keyHandoffChecked, now); err != nil {
		s.log.Warn("handoff check not recorded", "err", err)
	}
	if ok {
		_ = s.alert.Send(notify.Quiet(handoffKey, "Standby: "+h.Headline(),
			fmt.Sprintf("Your %s shift ended. The handoff is in Standby → Schedule → Handoff, ready to copy.", h.Shift.Name)))
	}
	return now
}

// shareLoad publishes my weekly counts when [team] share_load is on.
func (s *Service) shareLoad(ctx context.Context, now time.Time) {
	if !s.team.Configured() {
		return
	}
	err := s.PublishMyLoad(ctx, now)
	switch {
	case errors.Is(err, ErrLoadNotShared):
	case errors.Is(err, team.ErrNotConnected):
		s.log.Info("load not shared: not connected to the team hub")
	case err != nil:
		s.log.Warn("load not shared", "err", err)
	}
}

// showArrivedHandoffs shows "Handoff from alice: 7 pages, 1 still open"
// for each teammate's handoff not shown before, when I take over from
// them: on call now, or from within takeOverWindow of their shift's end.
func (s *Service) showArrivedHandoffs(ctx context.Context, now time.Time) {
	me := s.Me()
	for _, h := range s.team.ReceivedHandoffs() {
		key := keyHandoffShown + h.From // kept in ms: compared in ms
		if h.From == me || h.At.UnixMilli() <= s.timeSetting(ctx, key).UnixMilli() || now.Sub(h.ShiftEnd) > handoffCatchUp || !s.takesOver(h, now) {
			continue
		}
		if err := s.setTimeSetting(ctx, key, h.At); err != nil {
			s.log.Warn("handoff not recorded as shown", "from", h.From, "err", err)
		}
		_ = s.alert.Send(notify.Quiet(handoffKey+"/"+h.From, "Standby: "+h.Headline(),
			"The handoff is in Standby → Schedule → Handoff."))
	}
}

// takesOver reports whether I am the next on call after h's shift, by my
// synced calendars.
func (s *Service) takesOver(h bus.Handoff, now time.Time) bool {
	if s.onCall(now).OnCall {
		return true
	}
	return len(s.shiftsOver(h.ShiftEnd.Add(-time.Minute), h.ShiftEnd.Add(takeOverWindow))) > 0
}
