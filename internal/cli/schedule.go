package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/schedule/ical"
)

// FeedCmd groups the calendar feed commands.
type FeedCmd struct {
	Add     FeedAddCmd     `cmd:"" help:"Add or replace a calendar feed (https://, webcal:// or a file)."`
	List    FeedListCmd    `cmd:"" help:"List feeds and their sync state."`
	Refresh FeedRefreshCmd `cmd:"" help:"Fetch feeds now."`
}

// FeedAddCmd adds a feed.
type FeedAddCmd struct {
	Name string `arg:"" help:"A short name."`
	URL  string `arg:"" help:"https://, webcal:// or a file path. URLs are stored in the OS keyring (they carry tokens)."`
	Me   string `default:"all" help:"Which events are mine: all, email:ADDRESS or name:TEXT."`
}

// Run adds the feed and syncs it once.
func (c FeedAddCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		if err := svc.AddFeed(ctx, c.Name, c.URL, c.Me); err != nil {
			return err
		}
		if err := svc.SyncFeeds(ctx, true, c.Name); err != nil {
			return err
		}
		for _, f := range svc.Schedule(env.Now(), env.Now(), env.Now()).Feeds {
			if f.Name == c.Name {
				if f.Err != "" {
					return fmt.Errorf("feed %s added, but it could not be synced: %s", c.Name, f.Err)
				}
				fmt.Fprintf(env.Stdout, "Feed %s added: %d occurrences in the next 90 days.\n", c.Name, f.Events)
			}
		}
		return nil
	})
}

// FeedListCmd lists feeds.
type FeedListCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run lists the feeds from the cache.
func (c FeedListCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		_ = svc.SyncFeeds(ctx, false, "")
		feeds := svc.Schedule(env.Now(), env.Now(), env.Now()).Feeds
		if c.JSON {
			return json.NewEncoder(env.Stdout).Encode(feeds)
		}
		if len(feeds) == 0 {
			fmt.Fprintln(env.Stdout, "No calendar feeds. Add one with `standby feed add NAME URL --me email:you@example.com`.")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tURL\tSTATE\tOCCURRENCES")
		for _, f := range feeds {
			st := "ok"
			if f.Stale {
				st = "stale: " + f.Err
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", f.Name, f.URL, st, f.Events)
		}
		return tw.Flush()
	})
}

// FeedRefreshCmd fetches feeds now.
type FeedRefreshCmd struct {
	Name string `arg:"" optional:"" help:"Only this feed."`
}

// Run fetches and reports each feed.
func (c FeedRefreshCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		if err := svc.SyncFeeds(ctx, true, c.Name); err != nil {
			return err
		}
		var errs []error
		for _, f := range svc.Schedule(env.Now(), env.Now(), env.Now()).Feeds {
			if c.Name != "" && f.Name != c.Name {
				continue
			}
			if f.Stale {
				errs = append(errs, fmt.Errorf("%s: %s (keeping the last good copy)", f.Name, f.Err))
				continue
			}
			fmt.Fprintf(env.Stdout, "%s: ok, %d occurrences\n", f.Name, f.Events)
		}
		return errors.Join(errs...)
	})
}

// ShiftsCmd lists my shifts.
type ShiftsCmd struct {
	From string `help:"Start (RFC 3339 or YYYY-MM-DD); default now."`
	To   string `help:"End (RFC 3339 or YYYY-MM-DD); default 90 days after From."`
	JSON bool   `help:"Print JSON." xor:"format"`
	ICS  bool   `name:"ics" help:"Print one iCalendar file of my shifts (import it as \"my on-call\")." xor:"format"`
}

// Run prints the merged shifts.
func (c ShiftsCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		_ = svc.SyncFeeds(ctx, false, "")
		loc := svc.Location()
		from, err := parseWhen(c.From, env.Now(), loc)
		if err != nil {
			return fmt.Errorf("--from: %w", err)
		}
		to, err := parseWhen(c.To, from.AddDate(0, 0, 90), loc)
		if err != nil {
			return fmt.Errorf("--to: %w", err)
		}
		if c.ICS {
			if err := svc.WriteShiftsICS(env.Stdout, env.Now(), from, to); err != nil {
				return err
			}
			return staleFeeds(svc.Schedule(env.Now(), env.Now(), env.Now()))
		}
		v := svc.Schedule(env.Now(), from, to)
		if c.JSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(v.Shifts); err != nil {
				return err
			}
			return staleFeeds(v)
		}
		if len(v.Shifts) == 0 {
			fmt.Fprintln(env.Stdout, "No shifts in that range.")
		}
		for _, sp := range v.Shifts {
			fmt.Fprintf(env.Stdout, "%s → %s  %s\n", sp.Start.In(loc).Format("Mon 02 Jan 15:04"), sp.End.In(loc).Format("Mon 02 Jan 15:04"), sp.ScheduleNames())
		}
		return staleFeeds(v)
	})
}

func staleFeeds(v app.ScheduleView) error {
	var errs []error
	for _, f := range v.Feeds {
		if f.Stale && f.Err != "" {
			errs = append(errs, fmt.Errorf("feed %s is stale: %s", f.Name, f.Err))
		}
	}
	return errors.Join(errs...)
}

func parseWhen(s string, def time.Time, loc *time.Location) (time.Time, error) {
	if s == "" {
		return def, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q: want RFC 3339 or YYYY-MM-DD", s)
}

// OncallCmd answers "am I on call".
type OncallCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run prints the on-call state.
func (c OncallCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		_ = svc.SyncFeeds(ctx, false, "")
		now := env.Now()
		v := svc.Schedule(now, now, now)
		if c.JSON {
			out := struct {
				OnCall    bool       `json:"on_call"`
				Schedule  string     `json:"schedule,omitempty"`
				Until     *time.Time `json:"until,omitempty"`
				NextStart *time.Time `json:"next_start,omitempty"`
				NextEnd   *time.Time `json:"next_end,omitempty"`
				Who       any        `json:"who_is_on_call"`
			}{OnCall: v.OnCall.OnCall, Schedule: v.OnCall.Schedule, Who: v.Who}
			if v.OnCall.OnCall {
				out.Until = &v.OnCall.Until
			}
			if v.Next != nil {
				out.NextStart, out.NextEnd = &v.Next.Start, &v.Next.End
			}
			if err := json.NewEncoder(env.Stdout).Encode(out); err != nil {
				return err
			}
			return staleFeeds(v)
		}
		loc := svc.Location()
		if v.OnCall.OnCall {
			fmt.Fprintf(env.Stdout, "On call for %s until %s.\n", v.OnCall.Schedule, v.OnCall.Until.In(loc).Format("Mon 02 Jan 15:04"))
		} else {
			fmt.Fprintln(env.Stdout, "Not on call.")
		}
		if v.Next != nil {
			fmt.Fprintf(env.Stdout, "Next shift: %s → %s (%s).\n", v.Next.Start.In(loc).Format("Mon 02 Jan 15:04"), v.Next.End.In(loc).Format("Mon 02 Jan 15:04"), v.Next.ScheduleNames())
		}
		for _, w := range v.Who {
			fmt.Fprintf(env.Stdout, "%s: %s\n", w.Schedule, strings.Join(w.Who, ", "))
		}
		return staleFeeds(v)
	})
}

// IcsCmd groups calendar tools.
type IcsCmd struct {
	Expand IcsExpandCmd `cmd:"" help:"Print every occurrence in [FROM, TO) as JSON lines (the reference format of tools/ics-oracle)."`
}

// IcsExpandCmd prints the raw expansion of a calendar file.
type IcsExpandCmd struct {
	File string    `arg:"" type:"existingfile" help:"The .ics file."`
	From time.Time `arg:"" help:"Window start, RFC 3339 (e.g. 2024-01-01T00:00:00Z)."`
	To   time.Time `arg:"" help:"Window end, RFC 3339."`
	Max  int       `default:"100000" help:"Print at most N occurrences (in sorted order)."`
}

// Run expands the file. Cancelled instances are printed, as the reference
// does; the schedule itself never counts them as shifts.
func (c IcsExpandCmd) Run(env *Env) error {
	// A big expansion makes few, large, short-lived allocations: collect
	// rarely, but never grow past a bound.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(100 << 20))
	data, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	cal, warns, err := ical.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	occs, more, err := cal.ExpandWarnings(c.From, c.To, ical.Options{Max: c.Max})
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	for _, w := range append(warns, more...) {
		fmt.Fprintf(env.Stderr, "standby: warning: %s\n", w)
	}
	return ical.WriteJSONL(env.Stdout, occs, c.Max)
}
