package hub

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/standby-oncall/standby/internal/bus"
)

// teamAccount is the one account of the hub: one hub, one team. Accounts
// isolate subjects and streams, so another team (another account or hub)
// can neither read nor write this team's buckets.
const teamAccount = "TEAM"

// ports are the concrete ports to render (0 = take Config's, possibly random).
type ports struct{ client, cluster int }

// serverOptions renders the nats-server configuration for the current team
// and parses it with the server's own parser. Rendering text (instead of
// building Options by hand) keeps account JetStream limits and per-user
// permissions on the path nats-server supports for hot reload.
func (h *Hub) serverOptions(t team, p ports) (*server.Options, error) {
	text, err := h.renderConfig(t, p)
	if err != nil {
		return nil, err
	}
	opts := &server.Options{}
	if err := opts.ProcessConfigString(text); err != nil {
		return nil, fmt.Errorf("building server options: %w", err)
	}
	opts.NoSigs = true
	opts.NoLog = h.cfg.Logger == nil
	return opts, nil
}

func (h *Hub) renderConfig(t team, p ports) (string, error) {
	c := h.cfg
	host, port, err := splitHostPort(c.Listen, p.client)
	if err != nil {
		return "", fmt.Errorf("listen address: %w", err)
	}
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	w("server_name: %s", q(c.ServerName))
	w("host: %s\nport: %d", q(host), port)
	w("max_payload: %d", maxBodyBytes)
	w("jetstream {")
	if !c.InMemory {
		w("  store_dir: %s", q(c.DataDir)) // the server adds /jetstream
	}
	w("  max_memory_store: %d\n  max_file_store: %d\n}", 256<<20, 8<<30)
	if c.TLSCert != "" {
		w("tls {\n  cert_file: %s\n  key_file: %s\n}", q(c.TLSCert), q(c.TLSKey))
	}
	if c.ClusterListen != "" {
		if err := renderCluster(w, c, p.cluster); err != nil {
			return "", err
		}
	}
	maxConsumers := c.MaxConsumers
	if maxConsumers <= 0 {
		maxConsumers = maxConsumersFor(len(t.Members))
	}
	w("accounts {\n  %s {", teamAccount)
	// max_bytes_required: every stream must have its own MaxBytes, which the
	// server reserves, so no stream can take another's room.
	w("    jetstream { max_consumers: %d, max_streams: 8, max_mem: %d, max_file: %d, max_bytes_required: true }",
		maxConsumers, 128<<20, 4<<30)
	w("    users: [")
	w("      { nkey: %s }", q(h.hubPub))
	for _, m := range t.Members {
		renderMember(w, m)
	}
	w("    ]\n  }\n}")
	return b.String(), nil
}

// maxConsumersFor is the account's consumer limit for n members: each may
// fill its watch slots on the three streams; the hub keeps 64 for itself.
func maxConsumersFor(n int) int { return n*3*bus.WatchSlots + 64 }

func renderCluster(w func(string, ...any), c Config, port int) error {
	host, p, err := splitHostPort(c.ClusterListen, port)
	if err != nil {
		return fmt.Errorf("cluster address: %w", err)
	}
	w("cluster {\n  name: %s\n  host: %s\n  port: %d", q(c.ClusterName), q(host), p)
	routes := make([]string, len(c.Routes))
	for i, r := range c.Routes {
		routes[i] = q(r)
	}
	w("  routes: [%s]\n}", strings.Join(routes, ", "))
	return nil
}

func renderMember(w func(string, ...any), m Member) {
	if bus.ValidMember(m.Name) != nil {
		return // never render a name that could widen a subject pattern
	}
	p := bus.MemberPermissions(m.Name)
	w("      { nkey: %s, permissions: {", q(m.NKey))
	w("          publish: { allow: [%s] }", quoteAll(p.Publish))
	w("          subscribe: { allow: [%s] } } }", quoteAll(p.Subscribe))
}

// splitHostPort parses host:port; override > 0 replaces the port, and port
// 0 means "any free port" (-1 for nats-server).
func splitHostPort(addr string, override int) (string, int, error) {
	host, ps, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("parsing %q: %w", addr, err)
	}
	port, err := strconv.Atoi(ps)
	if err != nil {
		return "", 0, fmt.Errorf("parsing port of %q: %w", addr, err)
	}
	if override > 0 {
		port = override
	}
	if port == 0 {
		port = -1
	}
	return host, port, nil
}

// q quotes a string for the nats-server config format, where an unquoted
// $ would start a variable reference.
func q(s string) string { return strconv.Quote(s) }

func quoteAll(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = q(s)
	}
	return strings.Join(out, ", ")
}
