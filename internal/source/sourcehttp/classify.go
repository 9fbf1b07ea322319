package sourcehttp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/standby-oncall/standby/internal/source"
)

// maxVendorMsg bounds the upstream's own words quoted in a message.
const maxVendorMsg = 200

// statusError classifies a non-2xx answer.
func (c *Client) statusError(resp *http.Response, body []byte) *source.Error {
	code := resp.StatusCode
	e := &source.Error{Status: code}
	switch {
	case code == http.StatusUnauthorized:
		e.Kind, e.Msg = source.KindUnauthorized, "token rejected (401)"
	case code == http.StatusForbidden:
		e.Kind, e.Msg = source.KindUnauthorized, "token lacks the rights for this (403)"
	case code == http.StatusTooManyRequests:
		e.Kind = source.KindRateLimited
		e.RetryAfter = retryAfter(resp.Header, c.now())
		e.Msg = "rate limited by " + c.System + " (429)"
		if e.RetryAfter > 0 {
			e.Msg += ", retry in " + e.RetryAfter.String()
		}
	case code == http.StatusNotFound && isHTML(resp, body):
		e.Kind, e.Msg = source.KindNotFound, "not "+article(c.System)+" at this URL (404 HTML page)"
	case code == http.StatusNotFound:
		e.Kind, e.Msg = source.KindNotFound, "not found (404)"
	case code >= 500:
		e.Kind, e.Msg = source.KindUnavailable, fmt.Sprintf("%s server error (%d)", c.System, code)
	default: // 400, 405, 409, 422…
		e.Kind, e.Msg = source.KindInvalid, fmt.Sprintf("refused by %s (%d)", c.System, code)
	}
	if v := c.vendorMessage(resp, body); v != "" {
		e.Err = fmt.Errorf("%s says %q", c.System, v)
	}
	return e
}

// vendorMessage is the upstream's own explanation, bounded, never HTML.
func (c *Client) vendorMessage(resp *http.Response, body []byte) string {
	if isHTML(resp, body) || len(body) == 0 {
		return ""
	}
	var msg string
	if c.VendorMessage != nil {
		msg = c.VendorMessage(body)
	} else {
		msg, _, _ = strings.Cut(string(body), "\n")
	}
	msg = strings.TrimSpace(msg)
	if !utf8.ValidString(msg) {
		return ""
	}
	if len(msg) > maxVendorMsg {
		msg = msg[:maxVendorMsg] + "…"
	}
	return msg
}

// decode reads a 2xx answer into out; an HTML page or broken JSON is a
// KindBadResponse, never an empty result.
func (c *Client) decode(resp *http.Response, body []byte, out any) error {
	if out == nil {
		return nil
	}
	if isHTML(resp, body) {
		return &source.Error{Kind: source.KindBadResponse, Status: resp.StatusCode,
			Msg: "not " + article(c.System) + " at this URL (HTML page)"}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &source.Error{Kind: source.KindBadResponse, Status: resp.StatusCode,
			Msg: "empty response from " + c.System}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &source.Error{Kind: source.KindBadResponse, Status: resp.StatusCode,
			Msg: "unreadable response from " + c.System + " (broken JSON)", Err: err}
	}
	return nil
}

// isHTML reports whether the answer is a web page (a login portal, a proxy
// error page, the wrong URL) rather than an API answer.
func isHTML(resp *http.Response, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil &&
		(mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	head := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), 512)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// retryAfter reads Retry-After (seconds or HTTP date) or, failing that,
// ratelimit-reset (seconds, PagerDuty and the IETF draft).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now).Round(time.Second)
		}
	}
	if v := strings.TrimSpace(h.Get("Ratelimit-Reset")); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
	}
	return 0
}

// article prefixes a system name with "a" or "an".
func article(system string) string {
	if system != "" && strings.ContainsRune("AEIOUaeiou", rune(system[0])) {
		return "an " + system
	}
	return "a " + system
}
