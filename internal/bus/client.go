// Package bus is Standby's team bus client: it carries "I'm looking" and
// "acked" claims, pages pushed by the hub and presence between teammates'
// apps over NATS JetStream.
//
// Claims live in the KV bucket standby-claims under page.<pageKey>.<member>
// and presence records in standby-presence under <member>. Members never
// publish to a stream: an app sends its claims and heartbeats as requests
// to standby.claim.<member> and standby.presence.<member> (the server lets
// a member use only its own name), and the hub's Service checks and stores
// them with per-message TTLs, so they expire on the server too. Pages
// arrive on the stream standby-pages; resolved ones expire.
//
// Watches are resumable: each one follows its stream with a pull consumer
// in one of the member's watch slots and the last stream sequence it
// delivered. After a reconnect (hub restart), a missed heartbeat (the
// cluster node holding the consumer died) or a gap, it makes a new consumer
// from the next sequence, so nothing is missed and nothing is delivered
// twice.
package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Errors the UI shows in words; test them with errors.Is.
var (
	// ErrTokenRefused: the hub rejected the credential.
	ErrTokenRefused = errors.New("hub refused the token (revoked or wrong)")
	// ErrUnreachable: no hub URL answered.
	ErrUnreachable = errors.New("cannot reach hub")
	// ErrNotPermitted: the hub refused a write (for example a claim under
	// another member's name).
	ErrNotPermitted = errors.New("hub refused the write: not permitted for this member")
	// ErrClosed: the client was closed.
	ErrClosed = errors.New("team bus connection closed")
	// ErrQuota: the hub refused a write because the member holds as much
	// as it may (see DefaultClaimQuota).
	ErrQuota = errors.New("hub refused the write: member quota reached")
	// ErrRefused: the hub refused a malformed write (the error says why).
	ErrRefused = errors.New("hub refused the write")
	// ErrWatchSlots: every watch slot of this member on a stream is taken
	// (see WatchSlots), so a watch cannot start.
	ErrWatchSlots = errors.New("no free watch slot for this member")
)

// Config says how to join the team bus.
type Config struct {
	// URLs overrides the hub URLs carried by the token (nats://, tls://).
	URLs []string
	// Token is the one-line member token from `standby-hub add-member`.
	Token string
	// Me is the member name claims are written under. Empty means the
	// token's member. The server decides: a name the token may not write
	// under makes Claim fail with ErrNotPermitted.
	Me string
	// ConnectTimeout bounds the first connection (default 5 s).
	ConnectTimeout time.Duration
	// Heartbeat is the idle heartbeat asked of watch consumers; a watch
	// missing two in a row is re-created (default 1 s).
	Heartbeat time.Duration
	// PresenceEvery is the presence heartbeat period (default 10 s); a
	// presence entry lives three periods.
	PresenceEvery time.Duration
	// Name is shown in server monitoring for this connection (optional).
	Name string
}

// Client is a connection to the team bus. It is safe for concurrent use.
type Client struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	me     string
	member string // the token's member: owner of the watch slots
	cfg    Config
	start  time.Time

	mu       sync.Mutex
	fields   PresenceFields          // sent with every presence heartbeat
	pending  map[string][]chan error // subject -> publishes waiting for a PubAck
	watchers map[*follower]struct{}

	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// Connect joins the team bus. It fails fast with ErrTokenRefused or
// ErrUnreachable; after that it reconnects forever and re-creates watches.
func Connect(ctx context.Context, cfg Config) (*Client, error) {
	tok, err := ParseToken(cfg.Token)
	if err != nil {
		return nil, err
	}
	cfg = withDefaults(cfg, tok)
	c := &Client{
		me: cfg.Me, member: tok.Member, cfg: cfg, start: time.Now(),
		pending:  map[string][]chan error{},
		watchers: map[*follower]struct{}{},
		stop:     make(chan struct{}),
	}
	if err := c.dial(ctx, tok); err != nil {
		return nil, err
	}
	js, err := jetstream.New(c.nc, jetstream.WithPublishAsyncTimeout(10*time.Second))
	if err != nil {
		c.nc.Close()
		return nil, fmt.Errorf("starting JetStream client: %w", err)
	}
	c.js = js
	c.wg.Add(1)
	go c.presenceLoop()
	return c, nil
}

func withDefaults(cfg Config, tok Token) Config {
	if len(cfg.URLs) == 0 {
		cfg.URLs = tok.URLs
	}
	if cfg.Me == "" {
		cfg.Me = tok.Member
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = time.Second
	}
	if cfg.PresenceEvery <= 0 {
		cfg.PresenceEvery = 10 * time.Second
	}
	if cfg.Name == "" {
		cfg.Name = "standby " + cfg.Me
	}
	return cfg
}

func (c *Client) dial(ctx context.Context, tok Token) error {
	pub, err := tok.PublicKey()
	if err != nil {
		return err
	}
	timeout := c.cfg.ConnectTimeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = max(time.Until(dl), 10*time.Millisecond)
	}
	urls := strings.Join(c.cfg.URLs, ",")
	nc, err := nats.Connect(urls,
		nats.Name(c.cfg.Name),
		nats.Nkey(pub, tok.signer()),
		nats.CustomInboxPrefix(InboxPrefix(tok.Member)),
		nats.Timeout(timeout),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.ReconnectJitter(100*time.Millisecond, 500*time.Millisecond),
		nats.PingInterval(5*time.Second),
		nats.MaxPingsOutstanding(2),
		nats.ErrorHandler(c.onAsyncError),
		nats.ReconnectHandler(func(*nats.Conn) { c.kickWatchers() }),
		nats.DisconnectErrHandler(func(*nats.Conn, error) { c.watchersLostSight() }),
	)
	if err != nil {
		return connectError(urls, err)
	}
	c.nc = nc
	return nil
}

// connectError turns a nats.Connect error into words for the UI.
func connectError(urls string, err error) error {
	if errors.Is(err, nats.ErrAuthorization) || errors.Is(err, nats.ErrAuthExpired) ||
		errors.Is(err, nats.ErrAuthRevoked) || strings.Contains(strings.ToLower(err.Error()), "authorization") {
		return fmt.Errorf("connecting to %s: %w", urls, ErrTokenRefused)
	}
	return fmt.Errorf("%w at %s: %w", ErrUnreachable, urls, err)
}

// Me is the member name this client writes under.
func (c *Client) Me() string { return c.me }

// Connected reports whether the connection is up right now.
func (c *Client) Connected() bool { return c.nc.IsConnected() }

// ConnectedURL is the URL of the server in use, or "" while disconnected.
func (c *Client) ConnectedURL() string { return c.nc.ConnectedUrlRedacted() }

// Close removes this app's presence, stops every watch and disconnects.
func (c *Client) Close() error {
	c.once.Do(func() {
		close(c.stop)
		c.wg.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c.clearPresence(ctx)
		cancel()
		c.nc.Close()
	})
	return nil
}

// onAsyncError routes a permission violation to the Claim/Release waiting
// on that subject: the server reports it asynchronously within a
// millisecond, while the PubAck never comes and the publish would time out.
func (c *Client) onAsyncError(_ *nats.Conn, _ *nats.Subscription, err error) {
	if !errors.Is(err, nats.ErrPermissionViolation) {
		return
	}
	subj := violationSubject(err.Error())
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range c.pending[subj] {
		select {
		case ch <- fmt.Errorf("writing %s: %w", subj, ErrNotPermitted):
		default:
		}
	}
}

// violationSubject extracts the subject from
// `Permissions Violation for Publish to "subject"`.
func violationSubject(msg string) string {
	i := strings.Index(msg, `"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(msg[i+1:], `"`)
	if j < 0 {
		return ""
	}
	return msg[i+1 : i+1+j]
}

func (c *Client) kickWatchers() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for f := range c.watchers {
		f.kick()
	}
}

func (c *Client) watchersLostSight() {
	c.mu.Lock()
	fs := make([]*follower, 0, len(c.watchers))
	for f := range c.watchers {
		fs = append(fs, f)
	}
	c.mu.Unlock()
	for _, f := range fs {
		f.lost()
	}
}

func (c *Client) addWatcher(f *follower) {
	c.mu.Lock()
	c.watchers[f] = struct{}{}
	c.mu.Unlock()
}

func (c *Client) removeWatcher(f *follower) {
	c.mu.Lock()
	delete(c.watchers, f)
	c.mu.Unlock()
}
