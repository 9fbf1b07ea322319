package app

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/schedule"
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
	// Linked are the other copies of the same incident (the hub's copy of
	// a polled alert), linked by an explicit key and shown as this one.
	Linked []page.ID
	// Incident is the team's incident on the page (commander, living
	// document, helpers), nil when there is none.
	Incident *Incident
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
	// AlarmRinging is true while the alarm rings for a page (the tray and
	// the window offer "Silence alarm").
	AlarmRinging bool
	// NextShift is the start of my next shift (zero when none is known).
	NextShift time.Time
	// Team is the team bus connection.
	Team TeamStatus
}

// Snapshot computes the state at now.
func (s *Service) Snapshot(ctx context.Context, now time.Time) Snapshot {
	st := s.engine().Snapshot()
	snap := Snapshot{At: now, Me: s.Me(), Demo: s.Demo(), Sources: st.Sources}
	kinds := s.pages.Load().kinds
	if err := s.alert.NotifyErr(); err != nil {
		snap.NotifyErr = err.Error()
	}
	snap.AlarmRinging = s.alert.Ringing()
	snap.Banners = s.currentBanners(snap, kinds, now)
	snap.Quiet = s.Quiet(ctx, now)
	snap.Team = s.team.Status(ctx, false)
	if next, ok := schedule.NextShift(s.shiftsAround(now), now); ok {
		snap.NextShift = next.Start
	}
	rules := s.rules(ctx)
	mine := s.team.Mine(now)
	incidents := s.Incidents()
	snap.Pages = make([]PageView, 0, len(st.Pages))
	for _, ps := range st.Pages {
		v := PageView{PageState: ps, Kind: cmp.Or(kinds[ps.ID.Source], ps.Kind)}
		if c, ok := mine[ps.ID]; ok {
			v.MyClaim = &c
		}
		if inc, ok := incidents[ps.ID]; ok {
			v.Incident = &inc
		}
		snap.Pages = append(snap.Pages, v)
	}
	snap.Pages = mergeLinked(snap.Pages)
	for i := range snap.Pages {
		snap.Pages[i].Now = s.decideWith(snap.Pages[i].Page, snap.Pages[i].HeldSince, now, snap.Quiet.OnCall, rules)
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
