// Package sourcehttp is the HTTP plumbing the source adapters share: one
// JSON request helper that bounds bodies, redacts credentials and classifies
// every failure into a *source.Error with a message fit for the Sources tab
// ("token rejected (401)", "not an Alertmanager at this URL (HTML page)").
//
// Adapters keep their own wire types and mapping; this package knows HTTP,
// not vendors.
package sourcehttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/source"
)

// maxBody bounds how much of a response is read (a large Alertmanager has a
// few MB of alerts; anything beyond this is not a sane answer).
const maxBody = 32 << 20

// DefaultTimeout bounds a request when the injected client has no timeout.
const DefaultTimeout = 30 * time.Second

// Client sends JSON requests to one upstream API.
type Client struct {
	// HTTP is the injected client; nil means a client with DefaultTimeout.
	HTTP *http.Client
	// Base is the API root; request paths are joined to it.
	Base *url.URL
	// System names the upstream in messages: "Alertmanager", "PagerDuty".
	System string
	// Header is sent with every request (Accept, Authorization…).
	Header http.Header
	// Secrets are scrubbed from every error message, whatever their origin.
	Secrets []source.Secret
	// VendorMessage extracts the upstream's own error text from a non-2xx
	// body, "" when it has none. Nil: the body's first line when it is text.
	VendorMessage func(body []byte) string
	// Now returns the current time (for HTTP-date Retry-After); nil: time.Now.
	Now func() time.Time
}

// Request is one call.
type Request struct {
	Method string
	Path   string // joined to Base, e.g. "/api/v2/alerts"
	Query  url.Values
	Header http.Header // per-request headers (PagerDuty From)
	Body   any         // encoded as JSON when not nil
}

// UserAgent names Standby to the paging systems (their audit logs and
// session lists show it).
var UserAgent = "Standby (+https://github.com/standby-oncall/standby)"

// Do sends req and decodes a 2xx JSON answer into out (nil: the body is
// discarded). Every failure is a *source.Error.
func (c *Client) Do(ctx context.Context, req Request, out any) error {
	hreq, err := c.newRequest(ctx, req)
	if err != nil {
		return err
	}
	resp, err := c.httpClient().Do(hreq)
	if err != nil {
		return c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return c.transportError(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.redact(c.statusError(resp, body))
	}
	return c.redact(c.decode(resp, body, out))
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: DefaultTimeout}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) newRequest(ctx context.Context, req Request) (*http.Request, error) {
	u := c.Base.JoinPath(req.Path)
	u.RawQuery = req.Query.Encode()
	var body io.Reader
	if req.Body != nil {
		b, err := json.Marshal(req.Body)
		if err != nil {
			return nil, &source.Error{Kind: source.KindInvalid, Msg: "cannot encode request", Err: err}
		}
		body = bytes.NewReader(b)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, u.String(), body)
	if err != nil {
		return nil, &source.Error{Kind: source.KindInvalid, Msg: "cannot build request", Err: err}
	}
	for k, vs := range c.Header {
		hreq.Header[k] = vs
	}
	for k, vs := range req.Header {
		hreq.Header[k] = vs
	}
	if req.Body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if hreq.Header.Get("Accept") == "" {
		hreq.Header.Set("Accept", "application/json")
	}
	if hreq.Header.Get("User-Agent") == "" {
		hreq.Header.Set("User-Agent", UserAgent)
	}
	return hreq, nil
}

// transportError classifies a failure before any status line arrived.
func (c *Client) transportError(ctx context.Context, err error) error {
	msg := "cannot reach " + c.System
	if isTimeout(err) {
		msg = "no answer from " + c.System + " (timeout)"
	}
	if ctx.Err() == context.Canceled {
		msg = "request to " + c.System + " cancelled"
	}
	// url.Error carries the URL; ours never holds credentials (New rejects
	// user info), but scrub anyway.
	return c.redact(&source.Error{Kind: source.KindUnavailable, Msg: msg, Err: err})
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// redact scrubs the configured secrets from err's message and cause.
func (c *Client) redact(err error) error {
	var e *source.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	leaks := func(s string) bool {
		for _, sec := range c.Secrets {
			if !sec.IsZero() && strings.Contains(s, sec.Reveal()) {
				return true
			}
		}
		return false
	}
	if leaks(e.Msg) {
		e.Msg = scrub(e.Msg, c.Secrets)
	}
	if e.Err != nil && leaks(e.Err.Error()) {
		e.Err = errors.New(scrub(e.Err.Error(), c.Secrets))
	}
	return e
}

func scrub(s string, secrets []source.Secret) string {
	for _, sec := range secrets {
		if !sec.IsZero() {
			s = strings.ReplaceAll(s, sec.Reveal(), sec.String())
		}
	}
	return s
}

// Errorf builds a *source.Error of kind k for adapter-level failures, with
// the cause formatted like fmt.Errorf.
func Errorf(k source.ErrorKind, msg string, format string, args ...any) *source.Error {
	return &source.Error{Kind: k, Msg: msg, Err: fmt.Errorf(format, args...)}
}
