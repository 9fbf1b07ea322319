package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/alecthomas/kong"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// pollWait bounds how long a one-shot command waits for the first poll.
const pollWait = 15 * time.Second

// withEngine opens the service, polls every source once and runs f.
func withEngine(g *Globals, env *Env, f func(ctx context.Context, svc *app.Service) error) error {
	ctx := context.Background()
	svc, err := g.open(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	stop := svc.StartEngine(ctx)
	defer stop()
	tctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := svc.ConnectTeam(tctx); err != nil {
		fmt.Fprintf(env.Stderr, "standby: team bus: %v (claims stay local)\n", err)
	}
	svc.WaitPolled(ctx, pollWait)
	return f(ctx, svc)
}

// PagesCmd lists open pages.
type PagesCmd struct {
	JSON bool `help:"Print JSON (one array) instead of a table."`
}

// PageJSON is the stable JSON shape of `standby pages --json`.
type PageJSON struct {
	ID       string       `json:"id"`
	Source   string       `json:"source"`
	Kind     string       `json:"kind"`
	Title    string       `json:"title"`
	Service  string       `json:"service,omitempty"`
	Severity string       `json:"severity,omitempty"`
	Urgency  string       `json:"urgency"`
	Status   string       `json:"status"`
	AckedBy  string       `json:"acked_by,omitempty"`
	OpenedAt time.Time    `json:"opened_at"`
	URL      string       `json:"url,omitempty"`
	Claims   []page.Claim `json:"claims"`
	Decision string       `json:"decision"`
	Reason   string       `json:"reason"`
	// Until is when a held page rings unless someone looks (and when a
	// deferred one is delivered); absent otherwise.
	Until time.Time `json:"until,omitzero"`
	// Responders are the teammates on call rung first for a held page (and
	// kept once its hold ended in a ring).
	Responders []string `json:"responders,omitempty"`
	// Escalated is true once a hold ended in a ring (nobody looked in time,
	// the responders went away, or "Ring me now").
	Escalated bool     `json:"escalated,omitempty"`
	Queued    []string `json:"queued,omitempty"`
	LastError string   `json:"last_error,omitempty"`
}

// SourceJSON is a source's health in `standby pages --json`; Health is
// "not started" for a configured source that could not start.
type SourceJSON struct {
	Name        string    `json:"name"`
	Health      string    `json:"health"`
	Error       string    `json:"error,omitempty"`
	LastSuccess time.Time `json:"last_success,omitzero"`
}

// Run prints the pages.
func (c PagesCmd) Run(g *Globals, env *Env) error {
	return withEngine(g, env, func(ctx context.Context, svc *app.Service) error {
		snap := svc.Snapshot(ctx, env.Now())
		down := notStarted(ctx, svc, snap)
		if c.JSON {
			if err := writePagesJSON(env.Stdout, snap, down); err != nil {
				return err
			}
		} else {
			writePagesTable(env.Stdout, snap)
		}
		return errors.Join(notStartedErr(down), sourceProblems(snap.Sources))
	})
}

// notStarted lists the configured sources that are not running (for
// example, their token could not be read from the keyring), with the reason
// from trying to build them again. A page list without them would look
// complete when it is not.
func notStarted(ctx context.Context, svc *app.Service, snap app.Snapshot) []SourceJSON {
	if snap.Demo {
		return nil
	}
	running := map[string]bool{}
	for _, st := range snap.Sources {
		running[st.Name] = true
	}
	var out []SourceJSON
	for _, sc := range svc.Config().Sources {
		if running[sc.Name] {
			continue
		}
		why := "not started"
		if res := svc.TestSource(ctx, sc.Name); !res.OK {
			why = res.Message
		}
		out = append(out, SourceJSON{Name: sc.Name, Health: "not started", Error: why})
	}
	return out
}

func notStartedErr(down []SourceJSON) error {
	var errs []error
	for _, d := range down {
		errs = append(errs, fmt.Errorf("source %s could not start: %s", d.Name, d.Error))
	}
	return errors.Join(errs...)
}

func toJSON(v app.PageView) PageJSON {
	out := PageJSON{
		ID: v.ID.String(), Source: v.ID.Source, Kind: v.Kind, Title: v.Title, Service: v.Service,
		Severity: v.Severity, Urgency: v.Urgency.String(), Status: v.Status.String(), AckedBy: v.AckedBy,
		OpenedAt: v.OpenedAt, URL: v.URL, Claims: v.Claims, Decision: v.Now.Level.String(), Reason: v.Now.Reason,
	}
	out.Until = v.Now.Until
	out.Responders = v.Now.Responders
	if len(out.Responders) == 0 {
		out.Responders = v.Decision.Responders
	}
	out.Escalated = v.Now.Escalated || v.Decision.Escalated
	if out.Claims == nil {
		out.Claims = []page.Claim{}
	}
	for _, q := range v.Queued {
		out.Queued = append(out.Queued, string(q))
	}
	if v.LastError != nil {
		out.LastError = v.LastError.String()
	}
	return out
}

func writePagesJSON(w io.Writer, snap app.Snapshot, down []SourceJSON) error {
	out := struct {
		Pages   []PageJSON   `json:"pages"`
		Sources []SourceJSON `json:"sources"`
		Demo    bool         `json:"demo,omitempty"`
	}{Pages: []PageJSON{}, Demo: snap.Demo}
	for _, v := range snap.Pages {
		out.Pages = append(out.Pages, toJSON(v))
	}
	for _, s := range snap.Sources {
		out.Sources = append(out.Sources, SourceJSON{Name: s.Name, Health: s.Health.String(), Error: s.Err, LastSuccess: s.LastSuccess})
	}
	out.Sources = append(out.Sources, down...)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writePagesTable(w io.Writer, snap app.Snapshot) {
	if snap.Demo {
		fmt.Fprintln(w, "(demo data — add a real source with `standby source add`)")
	}
	if len(snap.Pages) == 0 {
		fmt.Fprintln(w, "No open pages.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tAGE\tSTATE\tTITLE\tDECISION")
	for _, v := range snap.Pages {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, orDash(v.Severity), viewmodel.Age(viewmodel.ClockAge(v.OpenedAt, snap.At)),
			viewmodel.State(v, snap.Me, snap.At), v.Title, v.Now.Reason)
	}
	tw.Flush()
}

func sourceProblems(srcs []engine.SourceStatus) error {
	var errs []error
	for _, s := range srcs {
		if s.Err != "" {
			errs = append(errs, fmt.Errorf("source %s: %s", s.Name, s.Err))
		}
	}
	return errors.Join(errs...)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// ActCmd is ack / unack / resolve / look on one page.
type ActCmd struct {
	ID string `arg:"" help:"Page id as SOURCE/ID (see standby pages)."`
}

// Run performs the action named by the command.
func (c ActCmd) Run(g *Globals, env *Env, kctx *kong.Context) error {
	id, err := page.ParseID(c.ID)
	if err != nil {
		return err
	}
	verb := strings.Fields(kctx.Command())[0]
	return withEngine(g, env, func(ctx context.Context, svc *app.Service) error {
		var err error
		switch verb {
		case "ack":
			err = svc.Ack(ctx, id)
		case "unack":
			err = svc.Unack(ctx, id)
		case "resolve":
			err = svc.Resolve(ctx, id)
		case "look":
			var cl page.Claim
			cl, err = svc.Look(ctx, id, env.Now())
			if err == nil {
				fmt.Fprintf(env.Stdout, "You are looking at %s until %s.\n", id, cl.Expires.In(svc.Location()).Format("15:04"))
				return nil
			}
		default:
			return fmt.Errorf("unknown action %q", verb)
		}
		if errors.Is(err, engine.ErrQueued) {
			fmt.Fprintf(env.Stdout, "%s: source unreachable; the %s is queued and will be sent when it is back.\n", id, verb)
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %s done.\n", id, verb)
		return nil
	})
}
