package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/page"
)

// IncidentCmd groups the incident commander commands.
type IncidentCmd struct {
	Declare  IncidentDeclareCmd  `cmd:"" help:"Declare an incident on a page: you become the commander (kept on the team hub)."`
	Handover IncidentHandoverCmd `cmd:"" help:"Hand the incident you command over to a teammate."`
	Join     IncidentJoinCmd     `cmd:"" help:"Join an incident as a helper."`
}

// IncidentDeclareCmd declares an incident.
type IncidentDeclareCmd struct {
	ID   string `arg:"" help:"Page id as SOURCE/ID (see standby pages)."`
	Doc  string `help:"Living-document URL; default: made from [incident] doc_template."`
	JSON bool   `help:"Print JSON."`
}

// Run declares the incident.
func (c IncidentDeclareCmd) Run(g *Globals, env *Env) error {
	return withIncident(g, env, c.ID, c.JSON, func(ctx context.Context, svc *app.Service, id page.ID) (app.Incident, error) {
		return svc.DeclareIncident(ctx, id, c.Doc, env.Now())
	})
}

// IncidentHandoverCmd hands an incident over.
type IncidentHandoverCmd struct {
	ID     string `arg:"" help:"Page id as SOURCE/ID."`
	Member string `arg:"" help:"The teammate who takes command (their member name)."`
	JSON   bool   `help:"Print JSON."`
}

// Run hands the incident over.
func (c IncidentHandoverCmd) Run(g *Globals, env *Env) error {
	return withIncident(g, env, c.ID, c.JSON, func(ctx context.Context, svc *app.Service, id page.ID) (app.Incident, error) {
		return svc.HandoverIncident(ctx, id, c.Member, env.Now())
	})
}

// IncidentJoinCmd joins an incident.
type IncidentJoinCmd struct {
	ID   string `arg:"" help:"Page id as SOURCE/ID."`
	JSON bool   `help:"Print JSON."`
}

// Run joins the incident.
func (c IncidentJoinCmd) Run(g *Globals, env *Env) error {
	return withIncident(g, env, c.ID, c.JSON, func(ctx context.Context, svc *app.Service, id page.ID) (app.Incident, error) {
		return svc.JoinIncident(ctx, id)
	})
}

// withIncident parses the page id, connects to the team hub (incidents
// live there) and prints the incident do returns.
func withIncident(g *Globals, env *Env, rawID string, asJSON bool, do func(context.Context, *app.Service, page.ID) (app.Incident, error)) error {
	id, err := page.ParseID(rawID)
	if err != nil {
		return err
	}
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		stop := svc.StartEngine(ctx) // the page's title, and notes upstream
		defer stop()
		tctx, cancel := context.WithCancel(ctx)
		defer cancel()
		if err := svc.ConnectTeam(tctx); err != nil {
			return fmt.Errorf("incidents are kept on the team hub, which is not reachable: %w", err)
		}
		svc.WaitPolled(ctx, pollWait)
		inc, err := do(ctx, svc, id)
		if err != nil {
			return err
		}
		if asJSON {
			return json.NewEncoder(env.Stdout).Encode(inc)
		}
		fmt.Fprintf(env.Stdout, "%s: %s\n", id, inc.Line)
		if inc.Doc != "" {
			fmt.Fprintf(env.Stdout, "Doc: %s\n", inc.Doc)
		}
		return nil
	})
}
