package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/store"
)

// Settings keys in the store for ad-hoc quiet state.
const (
	keyQuietUntil   = "quiet.until"
	keyResumedUntil = "quiet.resumed_until"
)

// rules returns the configured rules with the ad-hoc state merged in.
func (s *Service) rules(ctx context.Context) quiet.Rules {
	r := s.Config().Quiet
	r.QuietUntil = s.timeSetting(ctx, keyQuietUntil)
	r.ResumedUntil = s.timeSetting(ctx, keyResumedUntil)
	return r
}

func (s *Service) timeSetting(ctx context.Context, key string) time.Time {
	v, err := s.db.Setting(ctx, key)
	if err != nil || v == "" {
		return time.Time{}
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

func (s *Service) setTimeSetting(ctx context.Context, key string, t time.Time) error {
	v := ""
	if !t.IsZero() {
		v = strconv.FormatInt(t.UnixMilli(), 10)
	}
	return s.db.SetSetting(ctx, key, v)
}

// Decide is the policy's decision for p at now, with the reason in words.
func (s *Service) Decide(ctx context.Context, p page.Page, now time.Time) quiet.Decision {
	return s.decideWith(p, now, s.onCall(now), s.rules(ctx))
}

// decideWith decides with the schedule and rules already looked up, so a
// snapshot of many pages reads them once.
func (s *Service) decideWith(p page.Page, now time.Time, oc quiet.OnCall, rules quiet.Rules) quiet.Decision {
	s.mu.Lock()
	kind := s.kinds[p.ID.Source]
	switch kind {
	case "jsm_ops":
		kind = quiet.KindOpsgenie // same P1–P5 scale
	case "demo":
		// The demo source sets each page's urgency itself; the policy has
		// no table for "demo" and would count every severity as high.
		kind = ""
	}
	for id, c := range s.local {
		if id == p.ID && c.Live(now) {
			p.Claims = append(p.Claims, c)
		}
	}
	me, loc := s.me(), s.location()
	s.mu.Unlock()
	return quiet.Decide(quiet.Input{
		Page: p, Kind: kind, Me: me, OnCall: oc, Rules: rules, Location: loc,
	}, now)
}

func (s *Service) decideForEngine(p page.Page, now time.Time) engine.Decision {
	d := s.Decide(context.Background(), p, now)
	return engine.Decision{Level: engine.Level(d.Level), Until: d.Until, Reason: d.Reason}
}

// notifyPage is the engine's side effect for a page seen for the first time.
func (s *Service) notifyPage(ctx context.Context, p page.Page, d engine.Decision) {
	now := time.Now()
	if err := s.db.RecordSeen(ctx, p, now, d.Reason); err != nil {
		s.log.Warn("history not recorded", "page", p.ID.String(), "err", err)
	}
	switch d.Level {
	case engine.Loud, engine.Quiet:
		if d.Level == engine.Quiet {
			return // listed, badge only
		}
		s.queueLoud(p, d.Reason)
	case engine.Deferred:
		err := s.db.Defer(ctx, store.Deferred{Page: p.ID, Title: p.Title, Until: d.Until, Reason: d.Reason})
		if err != nil {
			s.log.Error("deferred page not stored", "page", p.ID.String(), "err", err)
		}
	}
}

func pageTitle(p page.Page) string {
	if p.Severity != "" {
		return fmt.Sprintf("[%s] %s", p.Severity, p.Title)
	}
	return p.Title
}

func pageBody(p page.Page, reason string) string {
	parts := []string{}
	if p.Service != "" {
		parts = append(parts, p.Service)
	}
	parts = append(parts, "via "+p.ID.Source)
	return strings.Join(parts, " · ") + "\n" + reason
}

// loudBatch is how long loud notifications are gathered before they are
// shown: a poll that brings many new pages (first start, catch-up after
// sleep) then gives one bubble instead of a flood, and the engine never
// waits on the desktop's notification service.
const loudBatch = 250 * time.Millisecond

// maxSeparate is how many loud pages of one batch get a bubble each.
const maxSeparate = 3

type loudItem struct {
	p      page.Page
	reason string
}

// queueLoud gathers a loud notification for the next batch.
func (s *Service) queueLoud(p page.Page, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loud = append(s.loud, loudItem{p, reason})
	if !s.loudTimer {
		s.loudTimer = true
		time.AfterFunc(loudBatch, s.flushLoud)
	}
}

// flushLoud shows the gathered loud pages: each on its own when there are
// few, otherwise one summary naming the first ones.
func (s *Service) flushLoud() {
	s.mu.Lock()
	items := s.loud
	s.loud, s.loudTimer = nil, false
	s.mu.Unlock()
	if len(items) <= maxSeparate {
		for _, it := range items {
			s.send(pageTitle(it.p), pageBody(it.p, it.reason), true)
		}
		return
	}
	lines := make([]string, 0, maxSeparate+1)
	for _, it := range items[:maxSeparate] {
		lines = append(lines, "• "+pageTitle(it.p))
	}
	lines = append(lines, fmt.Sprintf("and %d more — open Standby", len(items)-maxSeparate))
	s.send(fmt.Sprintf("%d new pages", len(items)), strings.Join(lines, "\n"), true)
}

// send delivers a notification and remembers whether delivery works, so
// the window and tray can say when pages are not reaching the desktop.
func (s *Service) send(title, body string, loud bool) {
	if s.opts.Notify == nil {
		return
	}
	err := s.opts.Notify(title, body, loud)
	s.mu.Lock()
	changed := (err == nil) != (s.notifyErr == nil)
	s.notifyErr = err
	s.mu.Unlock()
	if err != nil {
		s.log.Error("notification not delivered", "err", err)
	}
	if changed {
		s.broadcast()
	}
}

// deliverDigest sends one digest for the deferred pages now due, and marks
// them delivered in the same step so a restart never repeats it.
func (s *Service) deliverDigest(ctx context.Context, now time.Time) {
	if q, _, _ := s.rules(ctx).QuietAt(now, s.Location()); q {
		return
	}
	due, err := s.db.DueDeferred(ctx, now)
	if err != nil || len(due) == 0 {
		return
	}
	open := map[page.ID]page.Page{}
	for _, ps := range s.engine().Snapshot().Pages {
		open[ps.ID] = ps.Page
	}
	items := make([]quiet.DigestItem, 0, len(due))
	ids := make([]page.ID, 0, len(due))
	for _, d := range due {
		p, ok := open[d.Page]
		if !ok {
			p = page.Page{ID: d.Page, Title: d.Title, Status: page.StatusResolved}
		}
		items = append(items, quiet.DigestItem{Page: p, Until: d.Until})
		ids = append(ids, d.Page)
	}
	if err := s.db.MarkDelivered(ctx, ids, now); err != nil {
		s.log.Error("digest not marked delivered", "err", err)
		return
	}
	title, body := quiet.Digest(items, now)
	s.send(title, body, false)
}
