// Package splunkoncall is the Standby source for Splunk On-Call (formerly
// VictorOps), through its public REST API (https://api.victorops.com,
// paths under /api-public/v1, headers X-VO-Api-Id and X-VO-Api-Key).
//
// Pages are incidents, identified by their incident number. List reads
// GET /api-public/v1/incidents (open, acknowledged and recently resolved;
// the resolved ones are dropped). Ack and Resolve are
// PATCH /api-public/v1/incidents/ack and /resolve with
// {"userName", "incidentNames", "message"}; the user must be a Splunk
// On-Call user of the organisation (Config.UserName, else the actor's
// name). Splunk On-Call cannot un-acknowledge and its public API has no
// incident notes, so Unack and Note are unsupported and claims travel on
// the team bus only.
//
// Rate limit: the public API documents that each incident endpoint "may be
// called a maximum of 6 times per minute" (the API reference at
// https://portal.victorops.com/public/api-docs.html, mirrored in the
// swagger at https://api.apis.guru/v2/specs/victorops.com/0.0.3/swagger.json).
// The source keeps one client-side budget for List, Ack and Resolve
// together that never allows more than 6 calls in any 60-second window
// (see limit.go), and Caps.MinPoll is 30 s so that polling uses at most
// 2 of them and acks always find room. Several sources with the same API id
// share the organisation's budget upstream: configure one source per
// organisation (and, once the team bus carries pages, let one member's app
// poll for the team).
//
// Urgency: incidents carry the entity state of their alert (CRITICAL,
// WARNING, INFO); CRITICAL is high urgency, anything else low.
package splunkoncall

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// DefaultURL is the Splunk On-Call public API host.
const DefaultURL = "https://api.victorops.com"

// MinPoll is the poll cadence Caps reports: 2 of the 6 calls a minute.
const MinPoll = 30 * time.Second

// Config configures one Splunk On-Call source. It holds a credential, so
// it prints and logs with APIKey redacted (source.Secret).
type Config struct {
	// Name is the configured source name, page.ID.Source of its pages.
	Name string
	// URL is the API host; empty means DefaultURL.
	URL string
	// APIID is the organisation's API id (Integrations > API); it names
	// the key, it is not a secret.
	APIID string
	// APIKey is the API key, from the keyring.
	APIKey source.Secret `json:"-"`
	// UserName is the Splunk On-Call username that acks and resolves;
	// empty uses the acting user's name (source.Actor.Name).
	UserName string
	// Teams, when set, lists only incidents that paged one of these team
	// slugs (e.g. "team-abc123") or names.
	Teams []string
	// Limiter is the client-side budget shared by every call of this
	// source; nil means NewLimiter() (6 calls a minute, documented).
	// Tests pass rate.NewLimiter(rate.Inf, 0).
	Limiter *rate.Limiter `json:"-"`
	// Now is the clock for Retry-After dates; default time.Now.
	Now func() time.Time `json:"-"`
}

// Source is a Splunk On-Call organisation as a Standby page source.
type Source struct {
	cfg Config
	api *sourcehttp.Client
	lim *rate.Limiter
}

var _ source.Source = (*Source)(nil)

// New checks cfg and returns the source. client is the shared HTTP client
// (its Timeout bounds every request); nil uses one with a 30 s timeout.
func New(cfg Config, client *http.Client) (*Source, error) {
	if cfg.Name == "" {
		return nil, errors.New("splunk on-call source: name is empty")
	}
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	base, err := sourcehttp.ParseBase(fmt.Sprintf("splunk on-call source %q", cfg.Name), cfg.URL, "https://host")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.APIID) == "" {
		return nil, fmt.Errorf("splunk on-call source %q: no API id", cfg.Name)
	}
	if cfg.APIKey.IsZero() {
		return nil, fmt.Errorf("splunk on-call source %q: no API key in the keyring", cfg.Name)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	lim := cfg.Limiter
	if lim == nil {
		lim = NewLimiter()
	}
	header := http.Header{}
	header.Set("X-VO-Api-Id", cfg.APIID)
	header.Set("X-VO-Api-Key", cfg.APIKey.Reveal())
	api := &sourcehttp.Client{HTTP: client, Base: base, System: "Splunk On-Call", Header: header,
		Secrets: []source.Secret{cfg.APIKey}, VendorMessage: vendorMessage, Now: cfg.Now}
	return &Source{cfg: cfg, api: api, lim: lim}, nil
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Caps: Ack and Resolve; MinPoll leaves room for acks in the 6-a-minute
// budget.
func (s *Source) Caps() source.Caps {
	return source.Caps{Ack: true, Resolve: true, MinPoll: MinPoll}
}

// Unack is unsupported: Splunk On-Call has no way back to triggered.
func (s *Source) Unack(context.Context, string, source.Actor) error {
	return source.ErrUnsupported
}

// Note is unsupported: the public API has no incident notes.
func (s *Source) Note(context.Context, string, source.Actor, string) error {
	return source.ErrUnsupported
}

// vendorMessage reads Splunk On-Call's error bodies, {"error": "…"} or
// {"message": "…"} ("" when it is neither).
func vendorMessage(body []byte) string {
	var e struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return ""
	}
	if e.Error != "" {
		return e.Error
	}
	return e.Message
}
