package app

import (
	"context"
	"strconv"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
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
// It never holds: a page seen now for the first time is routed by the
// engine (routerForEngine), which knows when the hold started.
func (s *Service) Decide(ctx context.Context, p page.Page, now time.Time) quiet.Decision {
	return s.decideWith(p, time.Time{}, now, s.onCall(now), s.rules(ctx))
}

// decideWith decides with the schedule and rules already looked up, so a
// snapshot of many pages reads them once. My own live claim counts. A
// non-zero firstSeen is when the page's hold started: with a team
// configured, the page is routed with the team as this app sees it now
// (routing.go).
func (s *Service) decideWith(p page.Page, firstSeen, now time.Time, oc quiet.OnCall, rules quiet.Rules) quiet.Decision {
	return s.decideIn(p, firstSeen, now, &routeInputs{onCall: oc, rules: rules})
}

// routeInputs are what the policy reads besides the page, looked up once
// for a pass of many decisions at one now; the team view only when a page
// is routed.
type routeInputs struct {
	onCall quiet.OnCall
	rules  quiet.Rules
	team   *quiet.Team
}

// teamAt returns the team as routing sees it at now, looked up once.
func (in *routeInputs) teamAt(s *Service, now time.Time) quiet.Team {
	if in.team == nil {
		t := s.team.Routing(now)
		in.team = &t
	}
	return *in.team
}

// decideIn is decideWith with the inputs of a pass at now.
func (s *Service) decideIn(p page.Page, firstSeen, now time.Time, ri *routeInputs) quiet.Decision {
	if c, ok := s.team.MyClaim(p.ID, now); ok && !hasClaim(p, c) {
		p.Claims = append(p.Claims, c)
	}
	v := s.view()
	hold := quiet.Hold{High: v.cfg.Team.HoldHigh.D, Low: v.cfg.Team.HoldLow.D}
	teamed := len(v.cfg.Team.URLs) > 0
	in := quiet.Input{Page: p, Me: v.me, OnCall: ri.onCall, Rules: ri.rules, Location: v.loc}
	if !firstSeen.IsZero() && teamed { // working alone: no team to route to, nothing to say about it
		in.FirstSeen, in.Hold, in.Team = firstSeen, hold, ri.teamAt(s, now)
	}
	return quiet.Decide(in, now)
}

func hasClaim(p page.Page, c page.Claim) bool {
	for _, o := range p.Claims {
		if o.By == c.By && o.Kind == c.Kind {
			return true
		}
	}
	return false
}

// deliverDigest sends one digest for the deferred pages now due, unless
// quiet hours still run.
func (s *Service) deliverDigest(ctx context.Context, now time.Time) {
	if q, _, _ := s.rules(ctx).QuietAt(now, s.Location()); q {
		return
	}
	open := map[page.ID]page.Page{}
	for _, ps := range s.engine().Snapshot().Pages {
		open[ps.ID] = ps.Page
	}
	s.alert.Digest(ctx, now, func(id page.ID) (page.Page, bool) {
		p, ok := open[id]
		return p, ok
	})
}
