// Package feeds syncs on-call calendar feeds: it fetches each feed (https,
// http, webcal, file) with conditional GET, keeps the last good copy in a
// Cache, parses and expands it into a Feeds state the app reads, and
// refreshes every feed on its own cadence in one goroutine (Syncer.Run).
//
// Feed URLs carry secrets (PagerDuty /private/<token>/feed, GoAlert
// ?token=…, Grafana OnCall and Opsgenie tokenised exports), so every error
// and log line names a feed by RedactURL only.
package feeds

import (
	"net/url"
	"strings"
)

// RedactURL returns raw with everything after the host hidden:
// "https://acme.pagerduty.com/…" for a tokenised feed URL, "webcal://host/…",
// "file://…" for files. User info is dropped. A URL that does not parse, or
// has no host, yields "…" (or "file://…" for a path), so a token is never
// shown whatever the input.
func RedactURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if isPath(raw) {
		return "file://…"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if err == nil && strings.EqualFold(u.Scheme, "file") {
			return "file://…"
		}
		return "…"
	}
	out := strings.ToLower(u.Scheme) + "://" + u.Host
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		out += "/…"
	}
	return out
}

// isPath reports whether raw is a plain file path rather than a URL.
func isPath(raw string) bool {
	if raw == "" {
		return false
	}
	if strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, ".") || strings.HasPrefix(raw, "~") || strings.HasPrefix(raw, `\\`) {
		return true
	}
	// Windows drive letter: C:\… or C:/…
	if len(raw) >= 3 && raw[1] == ':' && (raw[2] == '\\' || raw[2] == '/') {
		return true
	}
	return !strings.Contains(raw, "://")
}
