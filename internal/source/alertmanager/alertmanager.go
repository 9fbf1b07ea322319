// Package alertmanager is the Standby source for Prometheus Alertmanager,
// through its API v2 (/api/v2/alerts/groups, /api/v2/alerts,
// /api/v2/silences).
//
// Pages are alerts, identified by fingerprint; page.Page.Group is the
// group they were listed in. Alertmanager has no acknowledgement, so Ack is
// a silence on all of the alert's labels (exact matchers), created by
// "standby:<user>" with the comment "Acked in Standby by <user>" and
// lasting Config.AckFor. The silence is kept while the alert fires: every
// List renews Standby's silences whose alerts still fire once less than
// Config.RenewBefore is left (the engine calls List every poll, so an ack
// lives as long as the alert does plus at most AckFor). Unack expires
// Standby's silences on the alert; silences made by people in the
// Alertmanager UI are shown (as acknowledged, by their author) but never
// renewed or expired.
//
// Resolve is unsupported (an alert resolves when its cause is gone) and so
// is Note: the only place for text is a silence comment, and a silence
// silences, which is an ack, not an "I'm looking" claim. Claims for
// Alertmanager pages travel on the team bus only.
package alertmanager

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// Defaults for Config.
const (
	DefaultAckFor = time.Hour
	// createdByPrefix marks silences Standby owns: createdBy "standby:alice".
	createdByPrefix = "standby:"
)

// Config configures one Alertmanager source. It holds a credential, so it
// prints and logs with the Token redacted (source.Secret).
type Config struct {
	// Name is the configured source name, page.ID.Source of its pages.
	Name string
	// URL is where Alertmanager serves, e.g. https://am.example.com or
	// http://host:9093/alertmanager (API paths are appended). It must not
	// hold credentials.
	URL string
	// Username, when set, selects HTTP Basic auth with Token as password.
	Username string
	// Token is a bearer token (or the Basic auth password), from the
	// keyring. Empty: no authentication.
	Token source.Secret `json:"-"`
	// Receiver, when set, lists only alerts routed to receivers matching
	// this regular expression (Alertmanager anchors it).
	Receiver string
	// Filter holds matchers in Alertmanager syntax (`team="payments"`,
	// `severity=~"critical|page"`); an alert must match all of them.
	Filter []string
	// AckFor is how long an ack silence lasts before renewal; default 1h.
	AckFor time.Duration
	// RenewBefore: List renews a Standby silence whose alert still fires
	// when less than this is left; default AckFor/4.
	RenewBefore time.Duration
	// SeverityLabel names the severity label; default "severity".
	SeverityLabel string
	// Urgency maps the severity label value; default DefaultUrgency.
	Urgency func(severity string) page.Urgency `json:"-"`
	// Now is the clock; default time.Now.
	Now func() time.Time `json:"-"`
	// Logger receives renewal failures (List does not fail for them);
	// default: discarded.
	Logger *slog.Logger `json:"-"`
}

// Source is an Alertmanager as a Standby page source.
type Source struct {
	cfg  Config
	base *url.URL
	api  *sourcehttp.Client
}

var _ source.Source = (*Source)(nil)

// New checks cfg and returns the source. client is the shared HTTP client
// (its Timeout bounds every request); nil uses one with a 30 s timeout.
func New(cfg Config, client *http.Client) (*Source, error) {
	if cfg.Name == "" {
		return nil, errors.New("alertmanager source: name is empty")
	}
	base, err := sourcehttp.ParseBase(fmt.Sprintf("alertmanager source %q", cfg.Name), cfg.URL, "http(s)://host[:port][/path]")
	if err != nil {
		return nil, err
	}
	setDefaults(&cfg)
	header := http.Header{}
	switch {
	case cfg.Username != "":
		r := &http.Request{Header: http.Header{}}
		r.SetBasicAuth(cfg.Username, cfg.Token.Reveal())
		header.Set("Authorization", r.Header.Get("Authorization"))
	case !cfg.Token.IsZero():
		header.Set("Authorization", "Bearer "+cfg.Token.Reveal())
	}
	s := &Source{cfg: cfg, base: base}
	s.api = &sourcehttp.Client{HTTP: client, Base: base, System: "Alertmanager",
		Header: header, Secrets: []source.Secret{cfg.Token}, Now: cfg.Now}
	return s, nil
}

func setDefaults(cfg *Config) {
	if cfg.AckFor <= 0 {
		cfg.AckFor = DefaultAckFor
	}
	if cfg.RenewBefore <= 0 || cfg.RenewBefore >= cfg.AckFor {
		cfg.RenewBefore = cfg.AckFor / 4
	}
	if cfg.SeverityLabel == "" {
		cfg.SeverityLabel = DefaultSeverityLabel
	}
	if cfg.Urgency == nil {
		cfg.Urgency = DefaultUrgency
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Caps reports Ack and Unack (as silences); no Resolve, no Note.
func (s *Source) Caps() source.Caps {
	return source.Caps{Ack: true, Unack: true, MinPoll: 5 * time.Second}
}

// Resolve is unsupported: an alert resolves when its cause goes away.
func (s *Source) Resolve(context.Context, string, source.Actor) error {
	return source.ErrUnsupported
}

// Note is unsupported: see the package documentation.
func (s *Source) Note(context.Context, string, source.Actor, string) error {
	return source.ErrUnsupported
}
