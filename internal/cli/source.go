package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/alecthomas/kong"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/source/registry"
)

// SourceCmd groups the source commands.
type SourceCmd struct {
	Add    SourceAddCmd    `cmd:"" help:"Add or replace a paging source (the token goes to the OS keyring)."`
	List   SourceListCmd   `cmd:"" help:"List configured sources."`
	Test   SourceTestCmd   `cmd:"" help:"Connect to a source and list its pages once."`
	Remove SourceRemoveCmd `cmd:"" help:"Remove a source and its token."`
}

// SourceAddCmd adds a source.
type SourceAddCmd struct {
	Kind       string   `arg:"" enum:"${source_kinds}" help:"${source_kind_help}."`
	Name       string   `required:"" help:"A short name (letters, digits, . _ -)."`
	URL        string   `help:"Base URL (Alertmanager: http://host:9093; PagerDuty: defaults to https://api.pagerduty.com)."`
	TokenStdin bool     `help:"Read the API token (GoAlert: the password) from standard input; never pass it as an argument."`
	Username   string   `help:"GoAlert login, Splunk On-Call user name, or your Atlassian e-mail (jsm_ops)."`
	APIID      string   `name:"api-id" help:"Splunk On-Call API id."`
	CloudID    string   `name:"cloud-id" help:"Atlassian cloud id (jsm_ops)."`
	GrafanaURL string   `name:"grafana-url" help:"Grafana stack URL (Grafana Cloud IRM)."`
	Receiver   string   `help:"Alertmanager: only alerts for receivers matching this regexp."`
	Matcher    []string `help:"Alertmanager: matcher like team=\"payments\" (repeatable)."`
	UserID     []string `name:"user-id" help:"PagerDuty: user id to list incidents for (repeatable)."`
	TeamID     []string `name:"team-id" help:"PagerDuty: team id (repeatable)."`
	NoTest     bool     `help:"Do not test the connection after adding."`
}

// Run adds the source.
func (c SourceAddCmd) Run(g *Globals, env *Env) error {
	token, err := readToken(c.TokenStdin, env.Stdin)
	if err != nil {
		return err
	}
	url := c.URL // empty: the kind's default from the registry, applied when it is built
	sc := config.Source{Name: c.Name, Kind: c.Kind, URL: url, Receiver: c.Receiver, Matchers: c.Matcher, UserIDs: c.UserID,
		TeamIDs: c.TeamID, Username: c.Username, APIID: c.APIID, CloudID: c.CloudID, GrafanaURL: c.GrafanaURL}
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		if err := svc.AddSource(ctx, sc, token); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Source %s added to %s.\n", c.Name, svc.ConfigPath())
		sayLoginNotice(svc, env)
		if c.NoTest {
			return nil
		}
		res := svc.TestSource(ctx, c.Name)
		fmt.Fprintf(env.Stdout, "Test: %s\n", res.Message)
		if !res.OK {
			return fmt.Errorf("source %s added but not working: %s", c.Name, res.Message)
		}
		return nil
	})
}

func readToken(fromStdin bool, r io.Reader) (string, error) {
	if !fromStdin {
		return "", nil
	}
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", fmt.Errorf("reading the token from standard input: %w", err)
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", fmt.Errorf("--token-stdin: standard input was empty")
	}
	return t, nil
}

// SourceListCmd lists sources.
type SourceListCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run lists the sources.
func (c SourceListCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		cfg := svc.Config()
		if c.JSON {
			type row struct {
				Name     string `json:"name"`
				Kind     string `json:"kind"`
				URL      string `json:"url"`
				HasToken bool   `json:"has_token"`
			}
			rows := []row{}
			for _, s := range cfg.Sources {
				rows = append(rows, row{s.Name, s.Kind, config.Redact(s.URL), s.HasToken})
			}
			return json.NewEncoder(env.Stdout).Encode(rows)
		}
		if len(cfg.Sources) == 0 {
			fmt.Fprintln(env.Stdout, "No sources configured; Standby runs on demo data. Add one with `standby source add alertmanager --name prod --url http://host:9093`.")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tKIND\tURL\tTOKEN")
		for _, s := range cfg.Sources {
			tok := "-"
			if s.HasToken {
				tok = "in keyring"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Kind, config.Redact(s.URL), tok)
		}
		return tw.Flush()
	})
}

// SourceTestCmd tests a source.
type SourceTestCmd struct {
	Name string `arg:"" help:"Source name."`
}

// Run tests the source.
func (c SourceTestCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		res := svc.TestSource(ctx, c.Name)
		fmt.Fprintf(env.Stdout, "%s: %s (%s)\n", c.Name, res.Message, res.Took.Round(1e6))
		if !res.OK {
			return fmt.Errorf("%s: %s", c.Name, res.Message)
		}
		return nil
	})
}

// SourceRemoveCmd removes a source.
type SourceRemoveCmd struct {
	Name string `arg:"" help:"Source name."`
}

// Run removes the source.
func (c SourceRemoveCmd) Run(g *Globals, env *Env) error {
	return withService(g, env, func(ctx context.Context, svc *app.Service) error {
		if err := svc.RemoveSource(ctx, c.Name); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Source %s removed.\n", c.Name)
		return nil
	})
}

// Vars are the variables the command tree's tags use (`source add`'s
// kinds, from the registry); anything that builds the tree with kong.New
// (the man page generator) must pass them.
func Vars() kong.Vars { return sourceKindVars() }

// sourceKindVars gives `source add` its kinds from the registry: adding a
// paging system to the registry adds it here, with no list to keep.
func sourceKindVars() kong.Vars {
	kinds := registry.Kinds()
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return kong.Vars{
		"source_kinds":     strings.Join(names, ","),
		"source_kind_help": "The paging system: " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1],
	}
}
