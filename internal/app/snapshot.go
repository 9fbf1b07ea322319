package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/source/opsgenie"
)

// PageView is one open page with the current policy decision.
type PageView struct {
	engine.PageState
	// Kind is the source kind (alertmanager, pagerduty, demo…).
	Kind string
	// Now is the policy's decision at the snapshot time, with its reason.
	Now quiet.Decision
	// MyClaim is my own live claim, if any.
	MyClaim *page.Claim
}

// Snapshot is everything the window, tray and CLI show, at one instant.
type Snapshot struct {
	At      time.Time
	Me      string
	Demo    bool
	Pages   []PageView
	Sources []engine.SourceStatus
	Quiet   QuietStatus
	Banners []Banner
	// NotifyErr is the last notification failure, "" when delivery works.
	NotifyErr string
	// NextShift is the start of my next shift (zero when none is known).
	NextShift time.Time
	// Team is the team bus connection.
	Team TeamStatus
}

// Snapshot computes the state at now.
func (s *Service) Snapshot(ctx context.Context, now time.Time) Snapshot {
	st := s.engine().Snapshot()
	s.mu.Lock()
	snap := Snapshot{At: now, Me: s.me(), Demo: s.demo, Sources: st.Sources}
	snap.Banners = append(snap.Banners, s.banners...)
	if s.notifyErr != nil {
		snap.NotifyErr = s.notifyErr.Error()
	}
	kinds := s.kinds
	local := make(map[page.ID]page.Claim, len(s.local))
	for id, c := range s.local {
		if c.Live(now) {
			local[id] = c
		}
	}
	s.mu.Unlock()
	if snap.Demo {
		snap.Banners = append([]Banner{{Level: "info", Text: "Demo data: these pages and this calendar are made up. Add a real source in the Sources tab, or run `standby source add`."}}, snap.Banners...)
	}
	for _, kind := range kinds {
		if kind == "opsgenie" {
			snap.Banners = append(snap.Banners, Banner{Level: "warning", Text: opsgenie.Notice(now)})
			break
		}
	}
	if snap.NotifyErr != "" {
		snap.Banners = append(snap.Banners, Banner{Level: "error", Text: fmt.Sprintf("Desktop notifications are failing, so pages only show here and in the tray (%s). Is a notification daemon running? `standby doctor` checks.", firstCause(snap.NotifyErr))})
	}
	snap.Quiet = s.Quiet(ctx, now)
	snap.Team = s.teamStatus(ctx, false)
	if next, ok := schedule.NextShift(s.shiftsAround(now), now); ok {
		snap.NextShift = next.Start
	}
	rules := s.rules(ctx)
	for _, ps := range st.Pages {
		v := PageView{PageState: ps, Kind: kinds[ps.ID.Source], Now: s.decideWith(ps.Page, now, snap.Quiet.OnCall, rules)}
		if c, ok := local[ps.ID]; ok {
			v.MyClaim = &c
		}
		snap.Pages = append(snap.Pages, v)
	}
	return snap
}

// Page returns the open page with id.
func (s *Service) Page(ctx context.Context, id page.ID, now time.Time) (PageView, bool) {
	for _, p := range s.Snapshot(ctx, now).Pages {
		if p.ID == id {
			return p, true
		}
	}
	return PageView{}, false
}

// StartEngine starts polling without the app's timers (for CLI commands)
// and returns a stop func that waits for the engine to finish.
func (s *Service) StartEngine(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	states, unsubscribe := s.engine().Subscribe()
	go func() {
		defer close(done)
		_ = s.engine().Run(ctx)
	}()
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		for range states {
			s.broadcast()
		}
	}()
	return func() {
		cancel()
		<-done
		unsubscribe()
		<-forwarded
	}
}

// WaitPolled waits until every source has been polled once, or wait has
// passed, so a CLI command run in a fresh process sees current pages.
func (s *Service) WaitPolled(ctx context.Context, wait time.Duration) {
	states, stop := s.engine().Subscribe()
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	if allPolled(s.engine().Snapshot()) {
		return
	}
	for {
		select {
		case st := <-states:
			if allPolled(st) {
				return
			}
		case <-ctx.Done():
			return
		}
	}
}

func allPolled(st engine.State) bool {
	for _, src := range st.Sources {
		if src.Health == engine.HealthPending {
			return false
		}
	}
	return true
}

// firstCause shortens a chain of delivery errors ("a: b; c: d") to its
// first cause, for a banner; the log keeps the whole text.
func firstCause(msg string) string {
	msg = strings.TrimPrefix(msg, "desktop notification not delivered: ")
	if i := strings.Index(msg, ";"); i > 0 {
		msg = msg[:i]
	}
	if r := []rune(msg); len(r) > 140 {
		msg = string(r[:139]) + "…"
	}
	return msg
}

// Decision is one page as first decided: when it was seen and why it did
// or did not ring, for the Quiet hours tab's log.
type Decision struct {
	Seen   time.Time
	Title  string
	Reason string
}

// RecentDecisions returns the decisions made since since, newest first.
func (s *Service) RecentDecisions(ctx context.Context, since time.Time, limit int) ([]Decision, error) {
	h, err := s.db.History(ctx, since, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Decision, 0, len(h))
	for _, e := range h {
		out = append(out, Decision{Seen: e.Seen, Title: e.Title, Reason: e.Decision})
	}
	return out, nil
}
