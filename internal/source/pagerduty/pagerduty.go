// Package pagerduty is the Standby source for PagerDuty, through its REST
// API v2 (https://api.pagerduty.com, or another base URL).
//
// Pages are incidents (triggered and acknowledged), filtered by the
// configured users and teams. Ack and Resolve update the incident as the
// acting user (the From header carries their e-mail, which PagerDuty
// requires); PagerDuty cannot un-acknowledge, so Unack is unsupported.
// Note adds an incident note; notes written with source.ClaimNoteText
// ("standby: alice is looking") come back from List as upstream claims, so
// teammates whose app is offline still stop others from being interrupted.
// That costs one notes request per open incident and poll; Caps.MinPoll
// keeps the cadence within PagerDuty's rate limits, and a 429 becomes a
// KindRateLimited error with the wait PagerDuty asked for.
package pagerduty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// DefaultURL is PagerDuty's REST API (the EU service region uses
// https://api.eu.pagerduty.com).
const DefaultURL = "https://api.pagerduty.com"

// DefaultClaimTTL is how long a claim read from a note holds.
const DefaultClaimTTL = 30 * time.Minute

// accept selects REST API v2.
const accept = "application/vnd.pagerduty+json;version=2"

// Config configures one PagerDuty source. It holds a credential, so it
// prints and logs with the Token redacted (source.Secret).
type Config struct {
	// Name is the configured source name, page.ID.Source of its pages.
	Name string
	// URL is the REST API root; empty means DefaultURL.
	URL string
	// Token is a REST API key (sent as "Token token=…") or, with OAuth, an
	// OAuth access token (sent as "Bearer …"). It comes from the keyring.
	Token source.Secret `json:"-"`
	// OAuth says Token is an OAuth access token.
	OAuth bool
	// UserIDs and TeamIDs narrow the incidents listed (PagerDuty ids such
	// as PXPGF42); empty lists everything the token can see.
	UserIDs []string
	TeamIDs []string
	// ClaimTTL is how long a claim read from a note holds; default 30 min.
	ClaimTTL time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time `json:"-"`
}

// Source is a PagerDuty account as a Standby page source.
type Source struct {
	cfg Config
	api *sourcehttp.Client
}

var _ source.Source = (*Source)(nil)

// New checks cfg and returns the source. client is the shared HTTP client
// (its Timeout bounds every request); nil uses one with a 30 s timeout.
func New(cfg Config, client *http.Client) (*Source, error) {
	if cfg.Name == "" {
		return nil, errors.New("pagerduty source: name is empty")
	}
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	base, err := sourcehttp.ParseBase(fmt.Sprintf("pagerduty source %q", cfg.Name), cfg.URL, "https://host")
	if err != nil {
		return nil, err
	}
	if cfg.Token.IsZero() {
		return nil, fmt.Errorf("pagerduty source %q: no API token in the keyring", cfg.Name)
	}
	if cfg.ClaimTTL <= 0 {
		cfg.ClaimTTL = DefaultClaimTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	header := http.Header{}
	header.Set("Accept", accept)
	if cfg.OAuth {
		header.Set("Authorization", "Bearer "+cfg.Token.Reveal())
	} else {
		header.Set("Authorization", "Token token="+cfg.Token.Reveal())
	}
	api := &sourcehttp.Client{HTTP: client, Base: base, System: "PagerDuty", Header: header,
		Secrets: []source.Secret{cfg.Token}, VendorMessage: vendorMessage, Now: cfg.Now}
	return &Source{cfg: cfg, api: api}, nil
}

// vendorMessage reads PagerDuty's error body ("" when it is not one).
func vendorMessage(body []byte) string {
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Message == "" {
		return ""
	}
	return e.text()
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Caps reports Ack, Resolve and Note; PagerDuty cannot un-acknowledge.
func (s *Source) Caps() source.Caps {
	return source.Caps{Ack: true, Resolve: true, Note: true, MinPoll: 15 * time.Second}
}

// Unack is unsupported: PagerDuty has no way back to triggered.
func (s *Source) Unack(context.Context, string, source.Actor) error {
	return source.ErrUnsupported
}
