// Package grafanaoncall is the Standby source for Grafana OnCall, through
// its public HTTP API v1 (/api/v1/alert_groups/, /api/v1/resolution_notes/,
// /api/v1/users/).
//
// The OSS Grafana OnCall project was archived on 2026-03-24 (its
// repository is read-only); Grafana Cloud IRM serves the same API, so the
// same source works against both: for IRM set Config.GrafanaURL to the
// stack (sent as X-Grafana-URL) and use the API URL IRM shows.
//
// Pages are alert groups in state new, acknowledged or silenced
// (https://grafana.com/docs/oncall/latest/oncall-api-reference/alertgroups/;
// silenced groups count as acknowledged: someone stopped their
// escalation). Ack, Unack and Resolve are POST
// /api/v1/alert_groups/{id}/acknowledge, /unacknowledge and /resolve, done
// as the owner of the API token; Silence (not part of source.Source) is
// /silence with {"delay": seconds}. OnCall refuses to acknowledge an
// acknowledged group (400 "Can't acknowledge an acknowledged alert group"),
// so after a 400 the source reads the group back and treats "already in
// that state" as success. Grafana service-account tokens may read but not
// act ("Service accounts are not allowed to acknowledge alert groups",
// 403): use a personal OnCall API token to ack.
//
// Note writes a resolution note (POST /api/v1/resolution_notes/,
// https://grafana.com/docs/oncall/latest/oncall-api-reference/resolution_notes/),
// the claim mirror: notes written with source.ClaimNoteText come back from
// List as upstream claims (one resolution-notes request per open group
// and poll). Urgency comes from the alert group's "severity" label (or
// Config.SeverityLabel): critical, high, page and p1/p2 are high, any other
// value low, no label high.
package grafanaoncall

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// DefaultClaimTTL is how long a claim read from a resolution note holds.
const DefaultClaimTTL = 30 * time.Minute

// Config configures one Grafana OnCall source. It holds a credential, so
// it prints and logs with Token redacted (source.Secret).
type Config struct {
	// Name is the configured source name, page.ID.Source of its pages.
	Name string
	// URL is the OnCall API URL (OSS: the engine's base URL; Cloud: the
	// "OnCall API URL" from the IRM settings); /api/v1/... is appended.
	URL string
	// Token is an OnCall API token (sent as is, as the docs show) or a
	// Grafana service-account token ("glsa_…", sent as Bearer), from the
	// keyring.
	Token source.Secret `json:"-"`
	// GrafanaURL is the Grafana stack URL, sent as X-Grafana-URL (needed
	// by Grafana Cloud IRM); empty sends nothing.
	GrafanaURL string
	// TeamID, IntegrationID and RouteID narrow the alert groups listed
	// (OnCall public ids such as "TI73TDU19W48J"); empty lists everything.
	TeamID        string
	IntegrationID string
	RouteID       string
	// SeverityLabel names the alert-group label holding the severity;
	// default "severity".
	SeverityLabel string
	// ClaimTTL is how long a claim read from a note holds; default 30 min.
	ClaimTTL time.Duration
	// Now is the clock for Retry-After dates; default time.Now.
	Now func() time.Time `json:"-"`
}

// Source is a Grafana OnCall organisation as a Standby page source.
type Source struct {
	cfg Config
	api *sourcehttp.Client

	mu    sync.Mutex
	users map[string]string // user id → username
}

var _ source.Source = (*Source)(nil)

// New checks cfg and returns the source. client is the shared HTTP client
// (its Timeout bounds every request); nil uses one with a 30 s timeout.
func New(cfg Config, client *http.Client) (*Source, error) {
	if cfg.Name == "" {
		return nil, errors.New("grafana oncall source: name is empty")
	}
	base, err := sourcehttp.ParseBase(fmt.Sprintf("grafana oncall source %q", cfg.Name), cfg.URL, "https://host")
	if err != nil {
		return nil, err
	}
	if cfg.Token.IsZero() {
		return nil, fmt.Errorf("grafana oncall source %q: no API token in the keyring", cfg.Name)
	}
	if cfg.SeverityLabel == "" {
		cfg.SeverityLabel = "severity"
	}
	if cfg.ClaimTTL <= 0 {
		cfg.ClaimTTL = DefaultClaimTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	header := http.Header{}
	header.Set("Authorization", authorization(cfg.Token))
	if cfg.GrafanaURL != "" {
		header.Set("X-Grafana-URL", cfg.GrafanaURL)
	}
	api := &sourcehttp.Client{HTTP: client, Base: base, System: "Grafana OnCall", Header: header,
		Secrets: []source.Secret{cfg.Token}, VendorMessage: vendorMessage, Now: cfg.Now}
	return &Source{cfg: cfg, api: api, users: map[string]string{}}, nil
}

// authorization is the header value: OnCall API tokens as they are,
// Grafana service-account tokens as Bearer.
func authorization(token source.Secret) string {
	if strings.HasPrefix(token.Reveal(), "glsa_") {
		return "Bearer " + token.Reveal()
	}
	return token.Reveal()
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Caps: Ack, Unack, Resolve and Note (resolution notes).
func (s *Source) Caps() source.Caps {
	return source.Caps{Ack: true, Unack: true, Resolve: true, Note: true, MinPoll: 15 * time.Second}
}

// vendorMessage reads OnCall's (Django REST framework) error body,
// {"detail": "…"} or {"field": ["…"]}.
func vendorMessage(body []byte) string {
	var e map[string]any
	if err := json.Unmarshal(body, &e); err != nil {
		return ""
	}
	if d, ok := e["detail"].(string); ok {
		return d
	}
	for k, v := range e {
		return fmt.Sprintf("%s: %v", k, v)
	}
	return ""
}

// Urgency maps a severity label value by the one built-in scale
// (source.ScaleOf): critical, high, page, p1, p2 and no value are high;
// warning, info, low and p3..p5 low.
func Urgency(severity string) page.Urgency {
	return source.DefaultUrgency(source.KindGrafanaOnCall, severity)
}
