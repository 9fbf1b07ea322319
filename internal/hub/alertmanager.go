package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
	src "github.com/standby-oncall/standby/internal/source"
)

// amMessage is the Alertmanager webhook payload, version 4
// (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
type amMessage struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	TruncatedAlerts   int               `json:"truncatedAlerts"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []amAlert         `json:"alerts"`
}

type amAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// decodeAlertmanager maps each alert to a page identified by its
// fingerprint; a resolved alert becomes a resolved (closed) page.
func decodeAlertmanager(body []byte, source string, _ time.Time) ([]page.Page, error) {
	var m amMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, badRequest("not Alertmanager webhook JSON: %v", err)
	}
	if m.Version != "4" {
		return nil, badRequest("unsupported Alertmanager webhook version %q (want \"4\")", m.Version)
	}
	if len(m.Alerts) == 0 {
		return nil, badRequest("no alerts in payload")
	}
	pages := make([]page.Page, 0, len(m.Alerts))
	for i, a := range m.Alerts {
		p, err := alertPage(m, a, source)
		if err == nil {
			err = checkPage(p)
		}
		if err != nil {
			return nil, badRequest("alerts[%d]: %v", i, err)
		}
		pages = append(pages, p)
	}
	return pages, nil
}

func alertPage(m amMessage, a amAlert, source string) (page.Page, error) {
	if a.Fingerprint == "" {
		return page.Page{}, errString("missing fingerprint")
	}
	if len(a.Fingerprint) > bus.MaxUpstreamLen {
		return page.Page{}, fmt.Errorf("fingerprint is %d bytes; at most %d", len(a.Fingerprint), bus.MaxUpstreamLen)
	}
	status := page.StatusTriggered
	switch a.Status {
	case "firing":
	case "resolved":
		status = page.StatusResolved
	default:
		return page.Page{}, errString("status must be firing or resolved")
	}
	labels := a.Labels
	sev := labels["severity"]
	return page.Page{
		ID:       page.ID{Source: source, Upstream: a.Fingerprint},
		Title:    firstOf(a.Annotations["summary"], a.Annotations["title"], labels["alertname"], a.Fingerprint),
		Service:  firstOf(labels["service"], labels["job"]),
		Severity: sev,
		Urgency:  src.DefaultUrgency(src.KindAlertmanager, sev),
		Kind:     string(src.KindAlertmanager),
		Status:   status,
		URL:      firstOf(a.GeneratorURL, m.ExternalURL),
		Labels:   labels,
		Group:    m.GroupKey,
		DedupKey: src.AlertmanagerKey(m.ExternalURL, a.Fingerprint),
		OpenedAt: a.StartsAt.UTC(),
	}, nil
}

// genericPage is the documented generic webhook body:
//
//	{"id": "db-disk-full",          // required, the upstream id
//	 "title": "DB disk 95% full",   // required
//	 "service": "payments-db",      // optional
//	 "severity": "critical",        // optional, the sender's word
//	 "urgency": "high",             // optional: high (default) or low
//	 "status": "triggered",         // optional: triggered (default), acknowledged, resolved
//	 "url": "https://…"}            // optional link back
//
// Unknown fields are refused, so typos surface as 400 rather than silence.
type genericPage struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Service  string `json:"service"`
	Severity string `json:"severity"`
	Urgency  string `json:"urgency"`
	Status   string `json:"status"`
	URL      string `json:"url"`
}

func decodeGeneric(body []byte, source string, now time.Time) ([]page.Page, error) {
	var g genericPage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return nil, badRequest("not a generic page JSON: %v", err)
	}
	if g.ID == "" || g.Title == "" {
		return nil, badRequest("id and title are required")
	}
	p := page.Page{ID: page.ID{Source: source, Upstream: g.ID}, Title: g.Title, Kind: string(src.KindGeneric),
		Service: g.Service, Severity: g.Severity, URL: g.URL, OpenedAt: now}
	switch g.Urgency {
	case "", "high":
	case "low":
		p.Urgency = page.UrgencyLow
	default:
		return nil, badRequest("urgency must be high or low")
	}
	switch g.Status {
	case "", "triggered":
	case "acknowledged":
		p.Status = page.StatusAcknowledged
	case "resolved":
		p.Status = page.StatusResolved
	default:
		return nil, badRequest("status must be triggered, acknowledged or resolved")
	}
	if err := checkPage(p); err != nil {
		return nil, badRequest("%v", err)
	}
	return []page.Page{p}, nil
}

type errString string

func (e errString) Error() string { return string(e) }

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
