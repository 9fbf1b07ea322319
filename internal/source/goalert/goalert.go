// Package goalert is the Standby source for GoAlert (github.com/target/goalert),
// through its GraphQL API at /api/graphql.
//
// GoAlert has no per-user API token, so the source logs in with the
// user's username and password through the basic identity provider
// (POST /api/v2/identity/providers/basic with the form fields username,
// password and noRedirect=1, and a Referer on the GoAlert URL; the answer
// is the session token as plain text — auth/handler.go handleProvider and
// auth/basic/identityprovider.go in target/goalert). The token is sent as
// "Authorization: Bearer <token>" (auth/gettoken.go). Config.Session
// starts from a token kept in the keyring; OnSession is called with every
// new token so the app can store it. When GoAlert rejects the session
// (401; 400 "invalid signature" once its daily-rotated signing key is
// gone, after 30 days; or a GraphQL "unauthorized" error) the source logs
// in again once and repeats the request.
//
// Pages are alerts with status StatusUnacknowledged or StatusAcknowledged
// (Query.alerts with AlertSearchOptions filterByStatus, filterByServiceID,
// favoritesOnly; paged with first/after). Ack and Resolve are
// Mutation.updateAlerts with newStatus StatusAcknowledged / StatusClosed;
// it answers only the alerts it changed, so when the alert is absent
// Query.alert tells "already done" (no error) from "no such alert".
// GoAlert has no way back to unacknowledged and no alert notes, so Unack
// and Note are unsupported and claims travel on the team bus only. GoAlert
// alerts carry no severity; Urgency reads the alert metadata key
// Config.SeverityKey ("severity"), high when it is missing.
package goalert

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// Config configures one GoAlert source. It holds credentials, so it
// prints and logs with Password and Session redacted (source.Secret).
type Config struct {
	// Name is the configured source name, page.ID.Source of its pages.
	Name string
	// URL is GoAlert's public URL, e.g. https://goalert.example.com.
	URL string
	// Username and Password log in through GoAlert's basic provider; the
	// password comes from the keyring.
	Username string
	Password source.Secret `json:"-"`
	// Session is a session token from an earlier login (the keyring);
	// empty logs in on first use.
	Session source.Secret `json:"-"`
	// OnSession receives every new session token, to keep in the
	// keyring. It is called on the goroutine that logged in; nil: none.
	OnSession func(token source.Secret) `json:"-"`
	// ServiceIDs narrows the alerts to these services; FavoritesOnly to
	// the user's favourite services. Both empty: every alert.
	ServiceIDs    []string
	FavoritesOnly bool
	// SeverityKey is the alert metadata key holding a severity; default
	// "severity".
	SeverityKey string
	// Now is the clock for Retry-After dates; default time.Now.
	Now func() time.Time `json:"-"`
}

// Source is a GoAlert instance as a Standby page source.
type Source struct {
	cfg  Config
	base *url.URL
	http *http.Client

	mu      sync.Mutex
	session source.Secret
}

var _ source.Source = (*Source)(nil)

// New checks cfg and returns the source. client is the shared HTTP client
// (its Timeout bounds every request); nil uses one with a 30 s timeout.
// New does not log in; the first request does, unless Session is set.
func New(cfg Config, client *http.Client) (*Source, error) {
	if cfg.Name == "" {
		return nil, errors.New("goalert source: name is empty")
	}
	base, err := sourcehttp.ParseBase(fmt.Sprintf("goalert source %q", cfg.Name), cfg.URL, "https://host")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Username) == "" || cfg.Password.IsZero() {
		return nil, fmt.Errorf("goalert source %q: needs a username and a password (GoAlert has no API tokens)", cfg.Name)
	}
	if cfg.SeverityKey == "" {
		cfg.SeverityKey = "severity"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if client == nil {
		client = &http.Client{Timeout: sourcehttp.DefaultTimeout}
	}
	return &Source{cfg: cfg, base: base, http: client, session: cfg.Session}, nil
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Caps: Ack and Resolve.
func (s *Source) Caps() source.Caps {
	return source.Caps{Ack: true, Resolve: true, MinPoll: 10 * time.Second}
}

// Unack is unsupported: GoAlert cannot return an alert to unacknowledged.
func (s *Source) Unack(_ context.Context, _ string, _ source.Actor) error {
	return source.ErrUnsupported
}

// Note is unsupported: GoAlert alerts have no notes.
func (s *Source) Note(_ context.Context, _ string, _ source.Actor, _ string) error {
	return source.ErrUnsupported
}

// Urgency maps a severity metadata value by the one built-in scale
// (source.ScaleOf): warning, info, low and p3..p5 are low; anything else,
// or none, high.
func Urgency(severity string) page.Urgency {
	return source.DefaultUrgency(source.KindGoAlert, severity)
}
