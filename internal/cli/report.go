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
}

// Run computes the report from the local history.
func (c ReportCmd) Run(g *Globals, env *Env) error {
	if c.Weeks < 1 || c.Weeks > 52 {
		return fmt.Errorf("--weeks %d: want 1 to 52", c.Weeks)
	}
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		_ = svc.SyncFeeds(ctx, false, "") // the cached calendars, for the per-shift rows
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
