package source

import (
	"net/url"
	"strings"

	"github.com/standby-oncall/standby/internal/page"
)

// Kind names a kind of paging system: the `kind` of a configured source,
// and Page.Kind of the pages it raises.
type Kind string

// The kinds this build knows. Generic is a page posted to the hub's
// generic webhook, whose sender states the urgency.
const (
	KindAlertmanager  Kind = "alertmanager"
	KindPagerDuty     Kind = "pagerduty"
	KindOpsgenie      Kind = "opsgenie"
	KindJSMOps        Kind = "jsm_ops"
	KindGoAlert       Kind = "goalert"
	KindGrafanaOnCall Kind = "grafana_oncall"
	KindSplunkOnCall  Kind = "splunk_oncall"
	KindDemo          Kind = "demo"
	KindGeneric       Kind = "generic"
)

// Scale maps a kind's own severity words (lower case) to urgency; the key
// "*" is the word not listed, empty included.
type Scale map[string]page.Urgency

// Fallback is the Scale key of words not listed.
const Fallback = "*"

// high and low keep the scales below readable.
const (
	high = page.UrgencyHigh
	low  = page.UrgencyLow
)

// scales is the one built-in severity → urgency mapping, one scale per
// kind. A word not listed, or no word, is high: a missed page costs more
// than a needless ring, and a ring in quiet hours needs being on call
// anyway. Kinds without a scale (PagerDuty's incidents carry their
// urgency; the demo and generic pages state theirs) keep the urgency the
// page came with.
var scales = map[Kind]Scale{
	// Alertmanager's severity label.
	KindAlertmanager: {
		"critical": high, "crit": high, "page": high, "error": high, "high": high, "p1": high, "p2": high,
		"warning": low, "warn": low, "info": low, "informational": low, "low": low, "minor": low, "none": low,
		"p3": low, "p4": low, "p5": low, Fallback: high,
	},
	// Opsgenie and JSM Ops priorities: P3 is Opsgenie's default and rings.
	KindOpsgenie: {"p1": high, "p2": high, "p3": high, "p4": low, "p5": low, Fallback: high},
	KindJSMOps:   {"p1": high, "p2": high, "p3": high, "p4": low, "p5": low, Fallback: high},
	// Grafana OnCall's severity label.
	KindGrafanaOnCall: {
		"critical": high, "crit": high, "high": high, "page": high, "important": high, "error": high, "p1": high, "p2": high,
		"warning": low, "warn": low, "low": low, "info": low, "minor": low, "none": low, "p3": low, "p4": low, "p5": low,
		Fallback: high,
	},
	// Splunk On-Call (VictorOps) entity states.
	KindSplunkOnCall: {"critical": high, "warning": low, "info": low, "recovery": low, "ok": low, Fallback: high},
	// GoAlert's severity metadata (alerts usually carry none).
	KindGoAlert: {"warning": low, "warn": low, "info": low, "low": low, "p3": low, "p4": low, "p5": low, Fallback: high},
}

// ScaleOf returns the built-in scale of k (nil when k has none).
func ScaleOf(k Kind) Scale { return scales[k] }

// DefaultUrgency maps a severity word of kind k by the built-in scale;
// without a scale it is high.
func DefaultUrgency(k Kind, severity string) page.Urgency {
	return Urgency(k, severity, nil, page.UrgencyHigh)
}

// Urgency is the one severity → urgency mapping, for polled pages and hub
// pages alike: the user's overrides (severity word → "high"/"low", with
// "*" for any other word) first, then k's built-in scale, else stated —
// the urgency the page came with. Words compare case-insensitively.
func Urgency(k Kind, severity string, overrides map[string]string, stated page.Urgency) page.Urgency {
	sev := strings.ToLower(strings.TrimSpace(severity))
	for _, key := range []string{sev, Fallback} {
		for w, v := range overrides {
			if u, ok := level(v); ok && strings.EqualFold(w, key) {
				return u
			}
		}
	}
	s := scales[k]
	for _, key := range []string{sev, Fallback} {
		if u, ok := s[key]; ok {
			return u
		}
	}
	return stated
}

// level reads an override's "high" or "low".
func level(v string) (page.Urgency, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "high":
		return high, true
	case "low":
		return low, true
	}
	return high, false
}

// AlertmanagerKey is the explicit link of one Alertmanager alert: the
// Alertmanager's URL and the alert's fingerprint. A polled source and the
// hub's webhook (Alertmanager's externalURL) give the same key for the
// same alert when they name the same Alertmanager; nothing else is
// guessed.
func AlertmanagerKey(baseURL, fingerprint string) string {
	if fingerprint == "" || baseURL == "" {
		return ""
	}
	return "alertmanager " + normalURL(baseURL) + " " + fingerprint
}

// PagerDutyKey is the explicit link of a PagerDuty incident: its dedup
// (incident) key.
func PagerDutyKey(dedupKey string) string {
	if dedupKey == "" {
		return ""
	}
	return "pagerduty " + dedupKey
}

// normalURL lower-cases scheme and host and drops a trailing slash, so
// that http://AM:9093/ and http://am:9093 name the same Alertmanager.
func normalURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimRight(raw, "/")
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return strings.TrimRight(u.String(), "/")
}
