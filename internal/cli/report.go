package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/standby-oncall/standby/internal/app"
)

// ReportCmd prints my interruption report.
type ReportCmd struct {
	Weeks int  `default:"4" help:"How many weeks, the current one included (1-52)."`
	JSON  bool `help:"Print JSON."`
	Team  bool `help:"The team's load over the last 4 weeks from the hub (members who share it), flagging more than twice the median."`
}

// Run computes the report from the local history.
func (c ReportCmd) Run(g *Globals, env *Env) error {
	if c.Weeks < 1 || c.Weeks > 52 {
		return fmt.Errorf("--weeks %d: want 1 to 52", c.Weeks)
	}
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		_ = svc.SyncFeeds(ctx, false, "") // the cached calendars, for the per-shift rows
		if c.Team {
			return c.team(ctx, env, svc)
		}
		r, err := svc.Report(ctx, env.Now(), c.Weeks)
		if err != nil {
			return err
		}
		if c.JSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		}
		return r.WriteText(env.Stdout)
	})
}

// team shares my load when I opted in, then prints the team's.
func (c ReportCmd) team(ctx context.Context, env *Env, svc *app.Service) error {
	tctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := svc.ConnectTeam(tctx); err != nil {
		return fmt.Errorf("the team's load is kept on the team hub, which is not reachable: %w", err)
	}
	if err := svc.PublishMyLoad(ctx, env.Now()); err != nil {
		fmt.Fprintln(env.Stderr, "standby:", err)
	}
	tl, err := svc.TeamLoad(ctx, env.Now())
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(tl)
	}
	return tl.WriteText(env.Stdout)
}
