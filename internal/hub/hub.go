// Package hub is standby-hub: an embedded NATS server with JetStream that
// carries one team's bus, plus the webhook intake that turns Alertmanager
// (and generic JSON) alerts into pages on the bus.
//
// Members authenticate with nkeys listed in the data dir's team file; each
// gets the least privilege of bus.MemberPermissions, so the server, not the
// client, enforces who may write which claim: members write only through
// the hub's bus.Service, which checks sizes and quotas. Each stream has its
// own reserved size, so claims can never starve page intake. Removing a
// member and reloading drops their connections and purges their data.
package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"github.com/standby-oncall/standby/internal/bus"
)

// Config configures a hub.
type Config struct {
	// Listen is the client address (default 127.0.0.1:4222; port 0 = random).
	Listen string
	// DataDir holds the team file and the JetStream store.
	DataDir string
	// TLSCert and TLSKey enable TLS for clients (tls:// URLs).
	TLSCert, TLSKey string
	// HTTPListen is the webhook address (default 127.0.0.1:8787; "off" disables).
	HTTPListen string
	// ServerName names this server (default "standby-hub"; unique per node
	// in a cluster).
	ServerName string
	// ClusterName, ClusterListen and Routes make this hub one node of a
	// NATS cluster (all three nodes then use Replicas 3).
	ClusterName   string
	ClusterListen string
	Routes        []string
	// Replicas is the JetStream replication of the team's assets (default 1).
	Replicas int
	// MaxConsumers caps the team account's JetStream consumers (default:
	// room for every member's bus.WatchSlots on each of the three streams,
	// plus the hub's own). A member can never take a teammate's slots.
	MaxConsumers int
	// ClaimQuota is how many claim keys one member may hold (default
	// bus.DefaultClaimQuota).
	ClaimQuota int
	// ResolvedTTL is how long a resolved page stays on the pages stream
	// (default bus.DefaultResolvedTTL).
	ResolvedTTL time.Duration
	// ClaimsMaxBytes, PresenceMaxBytes and PagesMaxBytes cap each stream
	// (defaults in bus.ProvisionConfig).
	ClaimsMaxBytes, PresenceMaxBytes, PagesMaxBytes int64
	// InMemory keeps JetStream in memory (tests and benches only).
	InMemory bool
	// Logger receives server and webhook logs; nil discards them.
	Logger *slog.Logger
	// PollEvery is how often the team file is checked for CLI edits
	// (default 1 s).
	PollEvery time.Duration
}

func (c Config) withDefaults() Config {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:4222"
	}
	if c.HTTPListen == "" {
		c.HTTPListen = "127.0.0.1:8787"
	}
	if c.ServerName == "" {
		c.ServerName = "standby-hub"
	}
	if c.ClusterName == "" {
		c.ClusterName = "standby"
	}
	c.Replicas = max(c.Replicas, 1)
	if c.ResolvedTTL <= 0 {
		c.ResolvedTTL = bus.DefaultResolvedTTL
	}
	if c.PollEvery <= 0 {
		c.PollEvery = time.Second
	}
	return c
}

// Hub is a running (or startable) team hub.
type Hub struct {
	cfg    Config
	store  *Store
	hubPub string
	hubKP  nkeys.KeyPair

	srv *server.Server
	svc *bus.Service // members' writes; replaced with the connection
	// connMu guards nc, js and svc, which superviseConn replaces when the
	// server closes the hub's own connection.
	connMu sync.RWMutex
	nc     *nats.Conn
	js     jetstream.JetStream
	lost   chan struct{} // the hub's connection closed for good
	failed chan error    // the hub cannot go on (connection not restored)

	http  *http.Server
	admin *http.Server
	hln   net.Listener
	ready chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup

	mu       sync.Mutex
	hooks    map[string]string // sha256(token) -> webhook name
	stamp    string
	shutOnce sync.Once
}

// New checks cfg and prepares a hub; Start runs it.
func New(cfg Config) (*Hub, error) {
	cfg = cfg.withDefaults()
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return nil, errors.New("hub: --tls-cert and --tls-key go together")
	}
	store, err := OpenStore(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	// The hub's own connection uses a key made fresh at every start and
	// never written anywhere.
	kp, err := nkeys.CreateUser()
	if err != nil {
		return nil, fmt.Errorf("creating hub key: %w", err)
	}
	pub, err := kp.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("creating hub key: %w", err)
	}
	return &Hub{cfg: cfg, store: store, hubKP: kp, hubPub: pub,
		ready: make(chan struct{}), stop: make(chan struct{}), hooks: map[string]string{},
		lost: make(chan struct{}, 1), failed: make(chan error, 1)}, nil
}

// Store is the hub's member and webhook list.
func (h *Hub) Store() *Store { return h.store }

// Ready is closed once the hub accepts members and webhooks.
func (h *Hub) Ready() <-chan struct{} { return h.ready }

// Start starts the server, provisions the team's buckets and stream, and
// starts the webhook listener. It returns once the hub is ready.
func (h *Hub) Start(ctx context.Context) error {
	t, err := h.store.load()
	if err != nil {
		return err
	}
	h.stamp = h.store.stamp()
	if err := h.startServer(t); err != nil {
		return err
	}
	nc, js, err := h.connect(ctx)
	if err != nil {
		h.srv.Shutdown()
		return err
	}
	if err := h.setConn(nc, js); err != nil {
		nc.Close()
		h.srv.Shutdown()
		return err
	}
	h.setHooks(t.Webhooks)
	if err := h.startHTTP(); err != nil {
		nc.Close()
		h.srv.Shutdown()
		return err
	}
	if err := h.startAdmin(); err != nil {
		nc.Close()
		h.srv.Shutdown()
		return err
	}
	pctx, pcancel := context.WithTimeout(ctx, 10*time.Second)
	h.purgeRemoved(pctx, t)
	pcancel()
	h.wg.Add(2)
	go h.watchTeamFile()
	go h.superviseConn()
	close(h.ready)
	h.logger().Info("hub ready", "nats", h.ClientURL(), "webhooks", h.WebhookURL(""), "members", len(t.Members))
	return nil
}

func (h *Hub) startServer(t team) error {
	opts, err := h.serverOptions(t, ports{})
	if err != nil {
		return err
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return fmt.Errorf("creating NATS server: %w", err)
	}
	if h.cfg.Logger != nil {
		srv.SetLoggerV2(slogAdapter{h.cfg.Logger}, false, false, false)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return fmt.Errorf("NATS server on %s did not start within 10 s", h.cfg.Listen)
	}
	h.srv = srv
	return nil
}

// connect opens the hub's in-process connection and provisions the team's
// assets, retrying while a cluster elects its JetStream leader.
func (h *Hub) connect(ctx context.Context) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect("", nats.InProcessServer(h.srv), nats.Name("standby-hub"),
		nats.Nkey(h.hubPub, h.hubKP.Sign), nats.MaxReconnects(-1),
		nats.ClosedHandler(func(*nats.Conn) { h.connClosed() }))
	if err != nil {
		return nil, nil, fmt.Errorf("hub connection: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("hub JetStream: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pc := bus.ProvisionConfig{Replicas: h.cfg.Replicas, MemoryStorage: h.cfg.InMemory,
		ResolvedTTL: h.cfg.ResolvedTTL, ClaimsMaxBytes: h.cfg.ClaimsMaxBytes,
		PresenceMaxBytes: h.cfg.PresenceMaxBytes, PagesMaxBytes: h.cfg.PagesMaxBytes}
	for {
		pctx, pcancel := context.WithTimeout(ctx, 5*time.Second)
		err = bus.Provision(pctx, js, pc)
		pcancel()
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			nc.Close()
			return nil, nil, fmt.Errorf("provisioning JetStream: %w", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nc, js, nil
}

// ClientURL is the nats:// URL of this hub's client listener.
func (h *Hub) ClientURL() string {
	if h.cfg.TLSCert != "" {
		return "tls://" + h.srv.Addr().String()
	}
	return "nats://" + h.srv.Addr().String()
}

// ClusterURL is the route URL of this node, when clustered.
func (h *Hub) ClusterURL() string {
	if a := h.srv.ClusterAddr(); a != nil {
		return "nats://" + a.String()
	}
	return ""
}

// JetStream is the hub's own (all-powerful) JetStream handle, for
// administration, tests and benches. Never hand it to a member.
func (h *Hub) JetStream() jetstream.JetStream {
	_, js := h.conn()
	return js
}

// Server exposes the embedded server (tests, monitoring).
func (h *Hub) Server() *server.Server { return h.srv }

// Reload re-reads the team file, applies members and webhooks to the
// running server, disconnects removed members and purges their data.
func (h *Hub) Reload() error {
	t, err := h.reload()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h.purgeRemoved(ctx, t)
	return nil
}

func (h *Hub) reload() (team, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t, err := h.store.load()
	if err != nil {
		return t, err
	}
	h.stamp = h.store.stamp()
	p := ports{client: h.srv.Addr().(*net.TCPAddr).Port}
	if a := h.srv.ClusterAddr(); a != nil {
		p.cluster = a.Port
	}
	opts, err := h.serverOptions(t, p)
	if err != nil {
		return t, err
	}
	if err := h.srv.ReloadOptions(opts); err != nil {
		return t, fmt.Errorf("reloading server: %w", err)
	}
	h.hooks = hookMap(t.Webhooks)
	h.logger().Info("team reloaded", "members", len(t.Members), "webhooks", len(t.Webhooks))
	return t, nil
}

func (h *Hub) setHooks(ws []Webhook) {
	h.mu.Lock()
	h.hooks = hookMap(ws)
	h.mu.Unlock()
}

func hookMap(ws []Webhook) map[string]string {
	m := make(map[string]string, len(ws))
	for _, w := range ws {
		m[w.TokenSHA256] = w.Name
	}
	return m
}

// watchTeamFile reloads when the CLI edits the team file.
func (h *Hub) watchTeamFile() {
	defer h.wg.Done()
	t := time.NewTicker(h.cfg.PollEvery)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		h.mu.Lock()
		changed := h.store.stamp() != h.stamp
		h.mu.Unlock()
		if changed {
			if err := h.Reload(); err != nil {
				h.logger().Error("reloading team file", "err", err)
			}
		}
	}
}

// Shutdown stops the webhook listener, then the server.
func (h *Hub) Shutdown(ctx context.Context) error {
	var err error
	h.shutOnce.Do(func() {
		close(h.stop)
		if h.http != nil {
			err = h.http.Shutdown(ctx)
		}
		if h.admin != nil {
			_ = h.admin.Shutdown(ctx)
		}
		h.wg.Wait()
		h.connMu.Lock()
		if h.svc != nil {
			h.svc.Stop()
		}
		h.connMu.Unlock()
		if nc, _ := h.conn(); nc != nil {
			nc.Close()
		}
		if h.srv != nil {
			h.srv.Shutdown()
			h.srv.WaitForShutdown()
		}
		h.hubKP.Wipe()
	})
	if err != nil {
		return fmt.Errorf("stopping webhook listener: %w", err)
	}
	return nil
}

func (h *Hub) logger() *slog.Logger {
	if h.cfg.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.cfg.Logger
}

// slogAdapter feeds nats-server logs into slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Noticef(f string, v ...any) { a.l.Info(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Warnf(f string, v ...any)   { a.l.Warn(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Fatalf(f string, v ...any)  { a.l.Error(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Errorf(f string, v ...any)  { a.l.Error(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Debugf(f string, v ...any)  { a.l.Debug(fmt.Sprintf(f, v...)) }
func (a slogAdapter) Tracef(f string, v ...any)  { a.l.Debug(fmt.Sprintf(f, v...)) }
