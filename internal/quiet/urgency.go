package quiet

import (
	"strings"

	"github.com/standby-oncall/standby/internal/page"
)

// Source kinds known to the built-in urgency mapping. They are the keys of
// Rules.Urgency; other kinds fall back to high urgency.
const (
	// KindAlertmanager maps the `severity` label.
	KindAlertmanager = "alertmanager"
	// KindPagerDuty maps the incident urgency.
	KindPagerDuty = "pagerduty"
	// KindOpsgenie maps priorities P1–P5 (also JSM Ops).
	KindOpsgenie = "opsgenie"
	// KindGrafanaOnCall maps Grafana OnCall severity words.
	KindGrafanaOnCall = "grafana_oncall"
	// KindSplunkOnCall maps Splunk On-Call (VictorOps) message types.
	KindSplunkOnCall = "splunk_oncall"
	// KindGoAlert: GoAlert alerts carry no severity; high by default.
	KindGoAlert = "goalert"
)

// fallback is the severity key of a kind's default.
const fallback = "*"

// defaultUrgency is the built-in mapping: source kind → severity word (lower
// case) → urgency, with "*" for words not listed. An unknown word of a
// system without a low scale counts as high: a missed page costs more than
// a needless ring, and rings in quiet hours only while on call anyway.
var defaultUrgency = map[string]map[string]page.Urgency{
	// Alertmanager's `severity` label: only page-worthy levels are high.
	KindAlertmanager: {
		"critical": page.UrgencyHigh, "page": page.UrgencyHigh, "error": page.UrgencyHigh,
		fallback: page.UrgencyLow,
	},
	// PagerDuty incident urgency is already high/low.
	KindPagerDuty: {"high": page.UrgencyHigh, "low": page.UrgencyLow, fallback: page.UrgencyHigh},
	// Opsgenie / JSM Ops priorities P1–P5.
	KindOpsgenie: {
		"p1": page.UrgencyHigh, "p2": page.UrgencyHigh,
		"p3": page.UrgencyLow, "p4": page.UrgencyLow, "p5": page.UrgencyLow,
		fallback: page.UrgencyHigh,
	},
	// Grafana OnCall: "important" escalations and critical labels are high.
	KindGrafanaOnCall: {
		"critical": page.UrgencyHigh, "important": page.UrgencyHigh, "high": page.UrgencyHigh,
		"warning": page.UrgencyLow, "low": page.UrgencyLow, "info": page.UrgencyLow,
		fallback: page.UrgencyHigh,
	},
	// Splunk On-Call (VictorOps) message_type.
	KindSplunkOnCall: {
		"critical": page.UrgencyHigh,
		"warning":  page.UrgencyLow, "info": page.UrgencyLow,
		fallback: page.UrgencyHigh,
	},
	// GoAlert alerts carry no severity: every alert escalates, so high,
	// unless the summary's source tagged it.
	KindGoAlert: {"warning": page.UrgencyLow, "info": page.UrgencyLow, fallback: page.UrgencyHigh},
}

// MapUrgency maps a source's own severity word into high or low urgency.
// The user's Rules.Urgency is consulted first (exact word, then the kind's
// "*"), then the built-in table (same order); an unknown kind is high.
// Kind and severity are compared case-insensitively.
func MapUrgency(kind, severity string, rules Rules) page.Urgency {
	kind, sev := strings.ToLower(kind), strings.ToLower(strings.TrimSpace(severity))
	user := lowerKeys(findFold(rules.Urgency, kind))
	for _, key := range []string{sev, fallback} {
		if v, ok := user[key]; ok && isLevel(v) {
			return levelOf(v)
		}
	}
	for _, key := range []string{sev, fallback} {
		if u, ok := defaultUrgency[kind][key]; ok {
			return u
		}
	}
	return page.UrgencyHigh
}

func findFold(m map[string]map[string]string, kind string) map[string]string {
	for k, v := range m {
		if strings.EqualFold(k, kind) {
			return v
		}
	}
	return nil
}

func lowerKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = strings.ToLower(v)
	}
	return out
}

func isLevel(v string) bool { return v == "high" || v == "low" }

func levelOf(v string) page.Urgency {
	if v == "low" {
		return page.UrgencyLow
	}
	return page.UrgencyHigh
}
