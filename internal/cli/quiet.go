package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/app"
)

// QuietCmd groups the quiet-hours commands.
type QuietCmd struct {
	Status QuietStatusCmd `cmd:"" default:"1" help:"Show whether it is quiet, until when and why."`
	For    QuietForCmd    `cmd:"" help:"Be quiet for a duration (2h, 90m)."`
	Until  QuietUntilCmd  `cmd:"" help:"Be quiet until a local time (07:00) or an RFC 3339 time."`
	Off    QuietOffCmd    `cmd:"" help:"Resume now: end ad-hoc quiet and the current quiet window."`
}

func withService(g *Globals, env *Env, f func(ctx context.Context, svc *app.Service) error) error {
	ctx := context.Background()
	svc, err := g.open(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	return f(ctx, svc)
}

// QuietStatusCmd prints the quiet state.
type QuietStatusCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run prints the state.
func (c QuietStatusCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		st := svc.Quiet(ctx, env.Now())
		if c.JSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(st)
		}
		fmt.Fprintln(env.Stdout, st.Summary)
		if st.Reason != "" {
			fmt.Fprintln(env.Stdout, st.Reason)
		}
		return nil
	})
}

// QuietForCmd starts ad-hoc quiet for a duration.
type QuietForCmd struct {
	Duration time.Duration `arg:"" help:"How long, e.g. 2h or 90m."`
}

// Run sets the quiet period.
func (c QuietForCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		now := env.Now()
		if err := svc.QuietFor(ctx, c.Duration, now); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, svc.Quiet(ctx, now).Summary)
		return nil
	})
}

// QuietUntilCmd starts ad-hoc quiet until a time.
type QuietUntilCmd struct {
	Time string `arg:"" help:"HH:MM in your zone (the next such time) or RFC 3339."`
}

// Run sets the quiet period.
func (c QuietUntilCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		now := env.Now()
		t, err := parseUntil(c.Time, now, svc.Location())
		if err != nil {
			return err
		}
		if err := svc.QuietUntil(ctx, t, now); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, svc.Quiet(ctx, now).Summary)
		return nil
	})
}

// parseUntil reads "07:00" as the next 07:00 in loc, or an RFC 3339 time.
func parseUntil(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	hm, err := time.Parse("15:04", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want HH:MM (e.g. 07:00) or an RFC 3339 time", s)
	}
	l := now.In(loc)
	t := time.Date(l.Year(), l.Month(), l.Day(), hm.Hour(), hm.Minute(), 0, 0, loc)
	if !t.After(l) {
		t = time.Date(l.Year(), l.Month(), l.Day()+1, hm.Hour(), hm.Minute(), 0, 0, loc)
	}
	return t, nil
}

// QuietOffCmd resumes now.
type QuietOffCmd struct{}

// Run resumes.
func (QuietOffCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		now := env.Now()
		if err := svc.QuietOff(ctx, now); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, svc.Quiet(ctx, now).Summary)
		return nil
	})
}
