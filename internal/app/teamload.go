package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/report"
)

// TeamLoadWeeks is how many weeks the team's load covers.
const TeamLoadWeeks = 4

// ErrLoadNotShared says [team] share_load is off.
var ErrLoadNotShared = errors.New("my load is not shared (set [team] share_load = true)")

// PublishMyLoad publishes my counts (pages, loud, at night; no titles) for
// each recorded week of the last TeamLoadWeeks to the team hub. It does
// nothing but say so unless [team] share_load is on. For the app's hourly
// tick and `standby report --team`.
func (s *Service) PublishMyLoad(ctx context.Context, now time.Time) error {
	if !s.Config().Team.ShareLoad {
		return ErrLoadNotShared
	}
	r, err := s.Report(ctx, now, TeamLoadWeeks)
	if err != nil {
		return err
	}
	for _, w := range r.Weeks {
		if w.Coverage == report.NotCovered {
			continue
		}
		l := bus.Load{Week: w.Start.Format(time.DateOnly), Pages: w.Pages, Loud: w.Loud, Night: w.LoudNight}
		if err := s.team.PublishLoad(ctx, l); err != nil {
			return fmt.Errorf("sharing my load: %w", err)
		}
	}
	return nil
}

// TeamLoad reads the counts the team shares and says who carried how many
// pages and night interruptions over the last TeamLoadWeeks, flagging
// whoever carried more than twice the team median.
func (s *Service) TeamLoad(ctx context.Context, now time.Time) (report.TeamLoad, error) {
	loads, err := s.team.Loads(ctx)
	if err != nil {
		return report.TeamLoad{}, fmt.Errorf("reading the team's load: %w", err)
	}
	mw := make([]report.MemberWeek, 0, len(loads))
	for _, l := range loads {
		mw = append(mw, report.MemberWeek{Member: l.Member, Week: l.Week, Pages: l.Pages, Loud: l.Loud, Night: l.Night})
	}
	return report.Team(mw, report.LoadWeeks(now, s.Location(), TeamLoadWeeks)), nil
}
