package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/standby-oncall/standby/internal/app"
)

// HandoffCmd prepares the handoff of my shift.
type HandoffCmd struct {
	Shift    string `default:"last" enum:"last,current" help:"Which shift: the last that ended, or the current one."`
	Markdown bool   `help:"Print the handoff as Markdown (the default prints the same)." xor:"format"`
	JSON     bool   `help:"Print JSON." xor:"format"`
	Publish  bool   `help:"Also publish it to the team hub for the next on-call person." xor:"received"`
	Received bool   `help:"Show my teammates' last handoffs from the team hub instead." xor:"received"`
}

// Run prints (and publishes) the handoff.
func (c HandoffCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		_ = svc.SyncFeeds(ctx, false, "")
		stop := svc.StartEngine(ctx) // which pages are still open
		defer stop()
		tctx, cancel := context.WithCancel(ctx)
		defer cancel()
		teamErr := svc.ConnectTeam(tctx)
		svc.WaitPolled(ctx, pollWait)
		if c.Received {
			return c.received(ctx, env, svc, teamErr)
		}
		h, err := svc.Handoff(ctx, env.Now(), c.Shift == "current")
		if err != nil {
			return err
		}
		if c.JSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(h); err != nil {
				return err
			}
		} else {
			fmt.Fprint(env.Stdout, h.Markdown(svc.Location()))
		}
		if !c.Publish {
			return nil
		}
		if teamErr != nil {
			return fmt.Errorf("not published: the team hub is not reachable: %w", teamErr)
		}
		if err := svc.PublishHandoff(ctx, h); err != nil {
			return fmt.Errorf("not published: %w", err)
		}
		fmt.Fprintln(env.Stderr, "standby: published to the team:", h.Headline())
		return nil
	})
}

func (c HandoffCmd) received(ctx context.Context, env *Env, svc *app.Service, teamErr error) error {
	if teamErr != nil {
		return fmt.Errorf("handoffs are kept on the team hub, which is not reachable: %w", teamErr)
	}
	hs, err := svc.TeamHandoffs(ctx)
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(env.Stdout).Encode(hs)
	}
	if len(hs) == 0 {
		fmt.Fprintln(env.Stdout, "No handoffs from teammates on the hub.")
	}
	for _, h := range hs {
		fmt.Fprintf(env.Stdout, "%s (%s)\n\n%s\n", h.Headline(), h.At.In(svc.Location()).Format("Mon 02 Jan 15:04"), h.Text)
	}
	return nil
}
