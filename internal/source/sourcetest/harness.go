package sourcetest

import (
	"testing"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// Alert is a page the suite makes appear upstream through Harness.Fire.
type Alert struct {
	// Title is what List must show as page.Page.Title.
	Title string
	// Urgency is the urgency List must map to; the harness translates it
	// into the system's own scale (a severity label, PagerDuty urgency…).
	Urgency page.Urgency
}

// Failure is a way the upstream can break, injected with Harness.Fail.
type Failure int

const (
	// Healthy: the upstream answers normally.
	Healthy Failure = iota
	// Unauthorized: 401, the token is rejected.
	Unauthorized
	// ServerError: 500 with a short text body.
	ServerError
	// MalformedJSON: 200 with a truncated JSON body.
	MalformedJSON
	// HTMLPage: 200 with an HTML login page (a portal in front of the API).
	HTMLPage
	// Timeout: no answer until the client gives up.
	Timeout
	// RateLimited: 429 with Retry-After: 7.
	RateLimited
)

// String names the failure for subtest names.
func (f Failure) String() string {
	return [...]string{"Healthy", "Unauthorized", "ServerError", "MalformedJSON",
		"HTMLPage", "Timeout", "RateLimited"}[f]
}

// Harness wires one Source to an upstream the suite controls. Run calls the
// factory once per subtest; the factory registers its own cleanups.
type Harness struct {
	// Source is the adapter under test.
	Source source.Source
	// Actor performs Ack, Unack, Resolve and Note; the upstream must know
	// them (PagerDuty needs a user with this e-mail).
	Actor source.Actor
	// Fire makes a new page appear upstream and returns its upstream id
	// (what page.ID.Upstream must be) once the upstream lists it.
	Fire func(t *testing.T, a Alert) (upstreamID string)
	// Close makes the page go away upstream, as when its cause is fixed.
	Close func(t *testing.T, upstreamID string)
	// Notes returns the text of the notes the upstream holds for the page.
	// Required when Caps().Note is true.
	Notes func(t *testing.T, upstreamID string) []string
	// Fail injects a fault into the upstream (Faults.Set does it for a
	// fake or a proxy); Fail(Fault{}) heals it. Nil skips the failure tests.
	Fail func(f Fault)
	// AckedByKnown says the upstream records who acked, so List must report
	// Actor.Name as AckedBy after Ack.
	AckedByKnown bool
	// Secret is the credential the Source holds; it must never appear in an
	// error message. Empty skips the check.
	Secret string
}
