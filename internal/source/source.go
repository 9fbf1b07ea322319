// Package source defines what Standby needs from a paging system and the
// errors every adapter maps its failures into. Each system lives in its own
// sub-package (source/alertmanager, source/pagerduty, …); source/sourcetest is
// the conformance suite all of them pass.
package source

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// Caps lists what a source can do beyond listing pages.
type Caps struct {
	Ack     bool `json:"ack"`
	Unack   bool `json:"unack"`
	Resolve bool `json:"resolve"`
	// Note means the source can carry a claim mirror (a note or comment).
	Note bool `json:"note"`
	// MinPoll is the fastest poll cadence the source's rate limit allows.
	MinPoll time.Duration `json:"min_poll"`
}

// Actor is who performs an action: the user's name on the team and, where
// the upstream needs it, their e-mail (PagerDuty's From header).
type Actor struct {
	Name  string
	Email string
}

// Source is one configured paging system.
type Source interface {
	// Name is the configured name; it is page.ID.Source of every page listed.
	Name() string
	// Caps says what the source supports.
	Caps() Caps
	// List returns the open pages (triggered and acknowledged).
	List(ctx context.Context) ([]page.Page, error)
	// Ack acknowledges the page upstream.
	Ack(ctx context.Context, upstreamID string, by Actor) error
	// Unack reverses Ack where the system allows it (ErrUnsupported otherwise).
	Unack(ctx context.Context, upstreamID string, by Actor) error
	// Resolve closes the page upstream.
	Resolve(ctx context.Context, upstreamID string, by Actor) error
	// Note attaches text to the page upstream (the claim mirror).
	Note(ctx context.Context, upstreamID string, by Actor, text string) error
}

// ErrorKind classifies a failure so that the engine and the UI can react.
type ErrorKind int

const (
	// KindUnavailable: network error, timeout or 5xx; retry with backoff.
	KindUnavailable ErrorKind = iota
	// KindUnauthorized: the token was rejected (401) or lacks rights (403).
	KindUnauthorized
	// KindNotFound: the page or the endpoint does not exist (404).
	KindNotFound
	// KindRateLimited: 429; wait RetryAfter.
	KindRateLimited
	// KindBadResponse: the body could not be understood (HTML, broken JSON).
	KindBadResponse
	// KindUnsupported: the source cannot do this.
	KindUnsupported
	// KindInvalid: the request was refused as invalid (400, 422).
	KindInvalid
)

// Error is a classified adapter failure with a message fit for the Sources tab.
type Error struct {
	Kind       ErrorKind
	Status     int           // HTTP status, 0 if none
	RetryAfter time.Duration // for KindRateLimited, when the server said
	Msg        string        // short, user-facing: "token rejected (401)"
	Err        error         // underlying error, may be nil
}

// Error returns the message and the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Msg, e.Err)
	}
	return e.Msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether trying again later may succeed.
func (e *Error) Retryable() bool {
	return e.Kind == KindUnavailable || e.Kind == KindRateLimited
}

// ErrUnsupported is returned for actions a source does not have.
var ErrUnsupported = &Error{Kind: KindUnsupported, Msg: "not supported by this source"}

// KindOf returns the ErrorKind of err, KindUnavailable when it is not an *Error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnavailable
}

// Retryable reports whether err is worth retrying later (network errors,
// 5xx, 429). Unclassified errors count as retryable.
func Retryable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Retryable()
	}
	return err != nil
}
