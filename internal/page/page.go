// Package page holds the domain model of a page: an alert or incident from
// a paging system, its state, and the claims teammates hold on it.
//
// It is pure domain code: no I/O, no clocks. Functions that depend on time
// take `now` as a parameter.
package page

import (
	"fmt"
	"strings"
	"time"
)

// ID identifies a page across Standby: the configured source name plus the
// upstream system's own id (Alertmanager fingerprint, PagerDuty incident id…).
type ID struct {
	Source   string `json:"source"`
	Upstream string `json:"upstream"`
}

// String renders the ID as "source/upstream", the form the CLI accepts.
func (id ID) String() string { return id.Source + "/" + id.Upstream }

// IsZero reports whether the ID is unset.
func (id ID) IsZero() bool { return id.Source == "" && id.Upstream == "" }

// ParseID parses the "source/upstream" form printed by ID.String.
func ParseID(s string) (ID, error) {
	src, up, ok := strings.Cut(s, "/")
	if !ok || src == "" || up == "" {
		return ID{}, fmt.Errorf("page id %q: want SOURCE/ID (see `standby pages`)", s)
	}
	return ID{Source: src, Upstream: up}, nil
}

// Urgency is the page's urgency after mapping the source's own scale.
type Urgency int

const (
	// UrgencyHigh pages may break through quiet hours while on call.
	UrgencyHigh Urgency = iota
	// UrgencyLow pages wait for the end of quiet hours.
	UrgencyLow
)

// String returns "high" or "low".
func (u Urgency) String() string {
	if u == UrgencyLow {
		return "low"
	}
	return "high"
}

// Status is the upstream lifecycle state of a page.
type Status int

const (
	// StatusTriggered is open and not acknowledged.
	StatusTriggered Status = iota
	// StatusAcknowledged is open and acknowledged upstream.
	StatusAcknowledged
	// StatusResolved is closed.
	StatusResolved
)

// String returns the lower-case status name.
func (s Status) String() string {
	switch s {
	case StatusAcknowledged:
		return "acknowledged"
	case StatusResolved:
		return "resolved"
	default:
		return "triggered"
	}
}

// Page is one alert or incident as Standby shows it.
type Page struct {
	ID       ID                `json:"id"`
	Title    string            `json:"title"`
	Service  string            `json:"service,omitempty"`
	Severity string            `json:"severity,omitempty"` // the source's own word (critical, P1, high…)
	Urgency  Urgency           `json:"urgency"`
	Status   Status            `json:"status"`
	URL      string            `json:"url,omitempty"` // "Open in source"
	Labels   map[string]string `json:"labels,omitempty"`
	Group    string            `json:"group,omitempty"` // grouping key (Alertmanager group), may be empty
	// Kind is the kind of system that raised the page ("alertmanager",
	// "pagerduty"…, a source.Kind), so that its severity maps to the same
	// urgency wherever the page arrives from; "" when not known.
	Kind string `json:"kind,omitempty"`
	// DedupKey is an explicit link between the same incident in two systems
	// (PagerDuty dedup key = Alertmanager group key / fingerprint). Never guessed.
	DedupKey string    `json:"dedup_key,omitempty"`
	OpenedAt time.Time `json:"opened_at"`
	// AckedBy names who acknowledged upstream, when the source says.
	AckedBy string  `json:"acked_by,omitempty"`
	Claims  []Claim `json:"claims,omitempty"`
}

// Open reports whether the page is not resolved.
func (p Page) Open() bool { return p.Status != StatusResolved }

// ClaimKind says what a claim means.
type ClaimKind string

const (
	// ClaimLooking is "I'm looking": a claim that does not stop escalation.
	ClaimLooking ClaimKind = "looking"
	// ClaimAcked is published when a member acks.
	ClaimAcked ClaimKind = "acked"
)

// ClaimOrigin says where Standby learnt a claim.
type ClaimOrigin string

const (
	// OriginLocal is a claim this app made.
	OriginLocal ClaimOrigin = "local"
	// OriginBus came over the team bus.
	OriginBus ClaimOrigin = "bus"
	// OriginUpstream was read from the paging system (note, silence comment).
	OriginUpstream ClaimOrigin = "upstream"
)

// Claim is a teammate's hold on a page.
type Claim struct {
	Page    ID          `json:"page"`
	By      string      `json:"by"`
	Kind    ClaimKind   `json:"kind"`
	At      time.Time   `json:"at"`
	Expires time.Time   `json:"expires,omitempty"` // zero: no expiry (acks)
	Origin  ClaimOrigin `json:"origin"`
}

// Live reports whether the claim still holds at now.
func (c Claim) Live(now time.Time) bool {
	return c.Expires.IsZero() || now.Before(c.Expires)
}

// LiveClaimByOther returns the most recent live claim on p by someone other
// than me, if any.
func LiveClaimByOther(p Page, me string, now time.Time) (Claim, bool) {
	var best Claim
	found := false
	for _, c := range p.Claims {
		if c.By == me || !c.Live(now) {
			continue
		}
		if !found || c.At.After(best.At) {
			best, found = c, true
		}
	}
	return best, found
}
