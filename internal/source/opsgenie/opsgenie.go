// Package opsgenie is the Standby source for Opsgenie (REST API v2,
// https://api.opsgenie.com or the EU https://api.eu.opsgenie.com, header
// "Authorization: GenieKey <key>") and for its successor, Jira Service
// Management Ops (Flavor JSMOps: https://api.atlassian.com/jsm/ops/api/{cloudId},
// paths under /v1, HTTP Basic auth with an Atlassian e-mail and API token).
//
// Documents followed: Opsgenie Alert API
// (https://docs.opsgenie.com/docs/alert-api: list alerts, acknowledge,
// unacknowledge, close, add note, list notes, get request status) and the
// JSM Ops REST reference
// (https://developer.atlassian.com/cloud/jira/service-desk-ops/rest/v2/api-group-alerts/).
// The JSM list answers {"values", "count", "links"} where Opsgenie answers
// {"data", "paging"}; the source reads both.
//
// Pages are open alerts (query status:open, plus Config.Query). Priority
// P1..P5 is page.Page.Severity ("P1".."P5", which the quiet policy maps);
// Urgency is high for P1..P3 and low for P4 and P5.
//
// Acknowledge, unacknowledge, close and notes are asynchronous upstream:
// the API answers 202 with a requestId and applies the change later. The
// source confirms every change by polling the request status
// (GET …/alerts/requests/{requestId}, isSuccess) and returns only once it
// is confirmed, waiting at most Config.ConfirmWait (default 10 s). When
// the upstream has not processed the request by then, the method returns
// a retryable *source.Error wrapping ErrPending, so the UI can show
// "pending" (errors.Is(err, opsgenie.ErrPending)) and the engine may
// simply repeat the action: acknowledge and close are idempotent. A
// request processed as failed (isSuccess false) is a KindInvalid error
// with Opsgenie's status text.
//
// Note adds an alert note, the claim mirror: notes written with
// source.ClaimNoteText come back from List as upstream claims (one notes
// request per open alert and poll).
//
// Opsgenie shuts down on 2027-04-05 (EndOfLife); Notice gives the line the
// UI shows on Opsgenie sources.
package opsgenie

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// Flavor selects the system behind the source.
type Flavor string

const (
	// Opsgenie is Opsgenie's REST API v2 with a GenieKey.
	Opsgenie Flavor = "opsgenie"
	// JSMOps is Jira Service Management Ops with e-mail and API token.
	JSMOps Flavor = "jsmops"
)

// Hosts of the APIs.
const (
	DefaultURL = "https://api.opsgenie.com"
	EUURL      = "https://api.eu.opsgenie.com"
	JSMOpsURL  = "https://api.atlassian.com/jsm/ops/api/" // + cloud id
)

// EndOfLife is the day Opsgenie shuts down (YYYY-MM-DD).
const EndOfLife = "2027-04-05"

// endOfLife is EndOfLife as a time (UTC midnight).
var endOfLife = time.Date(2027, time.April, 5, 0, 0, 0, 0, time.UTC)

// Notice is the line the UI shows on an Opsgenie source at now.
func Notice(now time.Time) string {
	if now.Before(endOfLife) {
		return "Opsgenie shuts down on 5 Apr 2027 — move this source to Jira Service Management Ops"
	}
	return "Opsgenie shut down on 5 Apr 2027 — move this source to Jira Service Management Ops"
}

// Defaults for Config.
const (
	DefaultConfirmWait = 10 * time.Second
	DefaultConfirmPoll = 500 * time.Millisecond
	DefaultClaimTTL    = 30 * time.Minute
)

// ErrPending is wrapped by the error of a change the upstream accepted
// but had not confirmed within Config.ConfirmWait.
var ErrPending = errors.New("accepted but not yet confirmed")

// Config configures one Opsgenie or JSM Ops source. It holds a credential,
// so it prints and logs with Key redacted (source.Secret).
type Config struct {
	// Name is the configured source name, page.ID.Source of its pages.
	Name string
	// Flavor is Opsgenie (default) or JSMOps.
	Flavor Flavor
	// URL is the API root. Opsgenie: empty means DefaultURL (EUURL for
	// the EU instance). JSM Ops: empty means JSMOpsURL + CloudID.
	URL string
	// CloudID is the Atlassian site's cloud id (JSM Ops only).
	CloudID string
	// Email is the Atlassian account e-mail (JSM Ops only).
	Email string
	// Key is the Opsgenie API key (GenieKey) or the Atlassian API token,
	// from the keyring.
	Key source.Secret `json:"-"`
	// Query narrows the alerts listed, in the alert search syntax, e.g.
	// `teams:payments`; it is ANDed with status:open.
	Query string
	// ConfirmWait bounds how long a change waits for its confirmation;
	// default 10 s. ConfirmPoll is the first pause between status polls
	// (doubling up to 2 s); default 500 ms.
	ConfirmWait time.Duration
	ConfirmPoll time.Duration
	// ClaimTTL is how long a claim read from a note holds; default 30 min.
	ClaimTTL time.Duration
	// Now is the clock for Retry-After dates; default time.Now.
	Now func() time.Time `json:"-"`
}

// Source is an Opsgenie account or JSM Ops site as a Standby page source.
type Source struct {
	cfg    Config
	api    *sourcehttp.Client
	prefix string // "/v2" or "/v1"
}

// New checks cfg and returns the source. client is the shared HTTP client
// (its Timeout bounds every request); nil uses one with a 30 s timeout.
func New(cfg Config, client *http.Client) (*Source, error) {
	if cfg.Name == "" {
		return nil, errors.New("opsgenie source: name is empty")
	}
	if cfg.Flavor == "" {
		cfg.Flavor = Opsgenie
	}
	if err := cfg.defaults(); err != nil {
		return nil, fmt.Errorf("%s source %q: %w", cfg.Flavor, cfg.Name, err)
	}
	base, err := sourcehttp.ParseBase(fmt.Sprintf("%s source %q", cfg.Flavor, cfg.Name), cfg.URL, "https://host")
	if err != nil {
		return nil, err
	}
	header := http.Header{}
	system, prefix := "Opsgenie", "/v2"
	if cfg.Flavor == JSMOps {
		system, prefix = "JSM Ops", "/v1"
		basic := base64.StdEncoding.EncodeToString([]byte(cfg.Email + ":" + cfg.Key.Reveal()))
		header.Set("Authorization", "Basic "+basic)
	} else {
		header.Set("Authorization", "GenieKey "+cfg.Key.Reveal())
	}
	api := &sourcehttp.Client{HTTP: client, Base: base, System: system, Header: header,
		Secrets:       []source.Secret{cfg.Key, source.Secret(header.Get("Authorization"))},
		VendorMessage: vendorMessage, Now: cfg.Now}
	return &Source{cfg: cfg, api: api, prefix: prefix}, nil
}

// defaults checks the flavor's fields and fills in the defaults.
func (cfg *Config) defaults() error {
	switch cfg.Flavor {
	case Opsgenie:
		if cfg.URL == "" {
			cfg.URL = DefaultURL
		}
	case JSMOps:
		if strings.TrimSpace(cfg.Email) == "" {
			return errors.New("JSM Ops needs the Atlassian account e-mail")
		}
		if cfg.URL == "" {
			if cfg.CloudID == "" {
				return errors.New("JSM Ops needs the site's cloud id")
			}
			cfg.URL = JSMOpsURL + url.PathEscape(cfg.CloudID)
		}
	default:
		return fmt.Errorf("unknown flavor %q (want %q or %q)", cfg.Flavor, Opsgenie, JSMOps)
	}
	if cfg.Key.IsZero() {
		return errors.New("no API key in the keyring")
	}
	if cfg.ConfirmWait <= 0 {
		cfg.ConfirmWait = DefaultConfirmWait
	}
	if cfg.ConfirmPoll <= 0 {
		cfg.ConfirmPoll = DefaultConfirmPoll
	}
	if cfg.ClaimTTL <= 0 {
		cfg.ClaimTTL = DefaultClaimTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return nil
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Caps: Ack, Unack, Resolve (close) and Note.
func (s *Source) Caps() source.Caps {
	return source.Caps{Ack: true, Unack: true, Resolve: true, Note: true, MinPoll: 15 * time.Second}
}

// Notice is the end-of-life line for Opsgenie sources, "" for JSM Ops.
func (s *Source) Notice(now time.Time) string {
	if s.cfg.Flavor == JSMOps {
		return ""
	}
	return Notice(now)
}

var _ source.Source = (*Source)(nil)
