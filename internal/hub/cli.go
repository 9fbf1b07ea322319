package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
)

// CLI is the standby-hub command line (parsed by kong in cmd/standby-hub).
type CLI struct {
	Data string `help:"Data dir: team file and JetStream store." default:"standby-hub-data" env:"STANDBY_HUB_DATA" type:"path"`

	Serve         ServeCmd         `cmd:"" default:"withargs" help:"Run the hub (default)."`
	AddMember     AddMemberCmd     `cmd:"" help:"Add a member and print their one-line token."`
	RemoveMember  RemoveMemberCmd  `cmd:"" help:"Revoke a member; a running hub disconnects them."`
	Members       MembersCmd       `cmd:"" help:"List members."`
	Usage         UsageCmd         `cmd:"" help:"Show the streams' fill and what each member holds (asks the running hub)."`
	PurgeMember   PurgeMemberCmd   `cmd:"" help:"Remove a member's claims, presence and consumers now (asks the running hub)."`
	AddWebhook    AddWebhookCmd    `cmd:"" help:"Add a webhook and print its URLs and bearer token."`
	RemoveWebhook RemoveWebhookCmd `cmd:"" help:"Revoke a webhook token."`
}

// Env is what commands write to; main passes the process's own.
type Env struct {
	Stdout, Stderr io.Writer
}

// ServeCmd runs the hub until SIGINT/SIGTERM.
type ServeCmd struct {
	Listen        string        `help:"NATS client address." default:"127.0.0.1:4222"`
	HTTP          string        `help:"Webhook address (\"off\" to disable)." default:"127.0.0.1:8787"`
	TLSCert       string        `help:"TLS certificate (PEM) for clients." type:"existingfile"`
	TLSKey        string        `help:"TLS key (PEM)." type:"existingfile"`
	ServerName    string        `help:"Server name (unique per cluster node)." default:"standby-hub"`
	ClusterListen string        `help:"Cluster route address, to run as one node of a NATS cluster."`
	Routes        []string      `help:"Routes to the other cluster nodes (nats://host:port)."`
	Replicas      int           `help:"JetStream replicas (3 in a 3-node cluster)." default:"1"`
	ClaimQuota    int           `help:"Claim keys one member may hold." default:"1000"`
	ResolvedTTL   time.Duration `help:"How long a resolved page stays on the bus." default:"10m"`
}

// Run serves until a signal; SIGHUP reloads the team file at once.
func (c *ServeCmd) Run(cli *CLI, env Env) error {
	log := slog.New(slog.NewTextHandler(env.Stderr, nil))
	h, err := New(Config{Listen: c.Listen, DataDir: cli.Data, TLSCert: c.TLSCert, TLSKey: c.TLSKey,
		HTTPListen: c.HTTP, ServerName: c.ServerName, ClusterListen: c.ClusterListen,
		Routes: c.Routes, Replicas: c.Replicas, ClaimQuota: c.ClaimQuota, ResolvedTTL: c.ResolvedTTL, Logger: log})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := h.Start(ctx); err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	var failed error
	for failed == nil && ctx.Err() == nil {
		select {
		case <-hup:
			if err := h.Reload(); err != nil {
				log.Error("reload", "err", err)
			}
		case failed = <-h.Failed():
		case <-ctx.Done():
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Shutdown(sctx); err != nil {
		return err
	}
	if failed != nil {
		return fmt.Errorf("hub stopped: %w", failed)
	}
	return nil
}

// AddMemberCmd adds a member.
type AddMemberCmd struct {
	Name string   `arg:"" help:"Member name (a-z 0-9 _ -)."`
	URL  []string `help:"Hub URL(s) members connect to (put in the token)." default:"nats://127.0.0.1:4222"`
}

// Run prints the token: the only copy of the member's secret.
func (c *AddMemberCmd) Run(cli *CLI, env Env) error {
	st, err := OpenStore(cli.Data)
	if err != nil {
		return err
	}
	tok, err := st.AddMember(c.Name, c.URL)
	if err != nil {
		return fmt.Errorf("adding member: %w", err)
	}
	fmt.Fprintln(env.Stderr, "Give this line to", c.Name, "(it is shown once; paste it into Standby → Team, or `standby team join URL --token-stdin`):")
	fmt.Fprintln(env.Stdout, tok.Encode())
	return nil
}

// RemoveMemberCmd revokes a member.
type RemoveMemberCmd struct {
	Name string `arg:""`
}

// Run removes the member; a running hub reloads within a second.
func (c *RemoveMemberCmd) Run(cli *CLI, env Env) error {
	st, err := OpenStore(cli.Data)
	if err != nil {
		return err
	}
	if err := st.RemoveMember(c.Name); err != nil {
		return fmt.Errorf("removing member: %w", err)
	}
	fmt.Fprintf(env.Stdout, "removed %s; a running hub disconnects them and purges their claims within a second\n", c.Name)
	return nil
}

// MembersCmd lists members.
type MembersCmd struct{}

// Run prints one member a line.
func (c *MembersCmd) Run(cli *CLI, env Env) error {
	st, err := OpenStore(cli.Data)
	if err != nil {
		return err
	}
	ms, err := st.Members()
	if err != nil {
		return err
	}
	for _, m := range ms {
		fmt.Fprintf(env.Stdout, "%s\t%s\tadded %s\n", m.Name, m.NKey, m.Added.Format(time.RFC3339))
	}
	return nil
}

// AddWebhookCmd adds a webhook.
type AddWebhookCmd struct {
	Name string `arg:"" help:"Webhook name; becomes the source of its pages."`
	HTTP string `help:"Public webhook address." default:"127.0.0.1:8787"`
}

// Run prints the URLs and the bearer token (shown once).
func (c *AddWebhookCmd) Run(cli *CLI, env Env) error {
	st, err := OpenStore(cli.Data)
	if err != nil {
		return err
	}
	tok, err := st.AddWebhook(c.Name)
	if err != nil {
		return fmt.Errorf("adding webhook: %w", err)
	}
	base := "http://" + c.HTTP
	if _, _, err := net.SplitHostPort(c.HTTP); err != nil {
		base = c.HTTP
	}
	fmt.Fprintf(env.Stdout, "alertmanager: %s/webhook/alertmanager\ngeneric:      %s/webhook/generic\nAuthorization: Bearer %s\n", base, base, tok)
	return nil
}

// RemoveWebhookCmd revokes a webhook.
type RemoveWebhookCmd struct {
	Name string `arg:""`
}

// Run removes the webhook token.
func (c *RemoveWebhookCmd) Run(cli *CLI, env Env) error {
	st, err := OpenStore(cli.Data)
	if err != nil {
		return err
	}
	if err := st.RemoveWebhook(c.Name); err != nil {
		return fmt.Errorf("removing webhook: %w", err)
	}
	fmt.Fprintf(env.Stdout, "removed webhook %s\n", c.Name)
	return nil
}

// UsageCmd prints the bus usage.
type UsageCmd struct {
	JSON bool `help:"Print JSON."`
}

// Run asks the running hub for its usage and prints it.
func (c *UsageCmd) Run(cli *CLI, env Env) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var u bus.Usage
	if err := adminCall(ctx, cli.Data, http.MethodGet, "/usage", &u); err != nil {
		return fmt.Errorf("reading usage: %w", err)
	}
	if c.JSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(u)
	}
	st, err := OpenStore(cli.Data)
	if err != nil {
		return err
	}
	members, err := st.Members()
	if err != nil {
		return err
	}
	printUsage(env.Stdout, u, members)
	return nil
}

func printUsage(w io.Writer, u bus.Usage, members []Member) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STREAM\tMESSAGES\tBYTES\tLIMIT")
	for _, s := range u.Streams {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", s.Name, s.Msgs, s.Bytes, s.MaxBytes)
	}
	fmt.Fprintf(tw, "\nMEMBER\tCLAIM KEYS (QUOTA %d)\tPRESENCE\tCONSUMERS (OF %d)\n", u.ClaimQuota, 3*bus.WatchSlots)
	seen := map[string]bool{}
	for _, m := range u.Members {
		seen[m.Member] = true
		name := m.Member
		if !slices.ContainsFunc(members, func(x Member) bool { return x.Name == m.Member }) {
			name += " (not a member)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%v\t%d\n", name, m.ClaimKeys, m.Presence, m.Consumers)
	}
	for _, m := range members {
		if !seen[m.Name] {
			fmt.Fprintf(tw, "%s\t0\tfalse\t0\n", m.Name)
		}
	}
	_ = tw.Flush()
}

// PurgeMemberCmd purges a member's data.
type PurgeMemberCmd struct {
	Name string `arg:""`
}

// Run asks the running hub to purge the member's data.
func (c *PurgeMemberCmd) Run(cli *CLI, env Env) error {
	if err := bus.ValidMember(c.Name); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var res bus.PurgeResult
	if err := adminCall(ctx, cli.Data, http.MethodPost, purgePath(c.Name), &res); err != nil {
		return fmt.Errorf("purging %s: %w", c.Name, err)
	}
	fmt.Fprintf(env.Stdout, "purged %s: %d claims released, presence cleared: %v, %d consumers deleted\n",
		c.Name, res.Claims, res.Presence, res.Consumers)
	return nil
}
