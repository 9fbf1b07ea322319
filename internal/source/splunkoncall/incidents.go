package splunkoncall

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// Wire types of GET /api-public/v1/incidents and the PATCH answers,
// reduced to what Standby reads (public API reference, "Incidents").

type transition struct {
	Name    string    `json:"name"` // ACKED, RESOLVED…
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Message string    `json:"message"`
}

type incident struct {
	IncidentNumber    string       `json:"incidentNumber"`
	StartTime         time.Time    `json:"startTime"`
	CurrentPhase      string       `json:"currentPhase"` // UNACKED, ACKED, RESOLVED
	EntityID          string       `json:"entityId"`
	EntityDisplayName string       `json:"entityDisplayName"`
	EntityState       string       `json:"entityState"` // CRITICAL, WARNING, INFO
	Service           string       `json:"service"`
	Host              string       `json:"host"`
	RoutingKey        string       `json:"routingKey"`
	PagedTeams        []string     `json:"pagedTeams"`
	IncidentLink      string       `json:"incidentLink"`
	Transitions       []transition `json:"transitions"`
}

type listResponse struct {
	Incidents []incident `json:"incidents"`
}

type changeRequest struct {
	UserName      string   `json:"userName"`
	IncidentNames []string `json:"incidentNames"`
	Message       string   `json:"message,omitempty"`
}

type changeResult struct {
	IncidentNumber string `json:"incidentNumber"`
	EntityID       string `json:"entityId"`
	CmdAccepted    bool   `json:"cmdAccepted"`
	Message        string `json:"message"`
}

type changeResponse struct {
	Results []changeResult `json:"results"`
}

const incidentsPath = "/api-public/v1/incidents"

// List returns the open (unacknowledged and acknowledged) incidents, of
// the configured teams when Teams is set. One call of the budget; when
// the budget is spent it returns a KindRateLimited error at once.
func (s *Source) List(ctx context.Context) ([]page.Page, error) {
	if err := s.tryTake(); err != nil {
		return nil, fmt.Errorf("listing incidents: %w", err)
	}
	var resp listResponse
	if err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: incidentsPath}, &resp); err != nil {
		return nil, fmt.Errorf("listing incidents: %w", err)
	}
	if resp.Incidents == nil {
		return nil, fmt.Errorf("listing incidents: %w", &source.Error{Kind: source.KindBadResponse,
			Msg: "unreadable response from Splunk On-Call (no incidents field)"})
	}
	pages := make([]page.Page, 0, len(resp.Incidents))
	seen := map[string]bool{}
	for _, inc := range resp.Incidents {
		if seen[inc.IncidentNumber] || phase(inc.CurrentPhase) == page.StatusResolved || !s.mine(inc) {
			continue
		}
		seen[inc.IncidentNumber] = true
		pages = append(pages, s.page(inc))
	}
	return pages, nil
}

// mine reports whether the incident paged one of the configured teams.
func (s *Source) mine(inc incident) bool {
	if len(s.cfg.Teams) == 0 {
		return true
	}
	return slices.ContainsFunc(inc.PagedTeams, func(t string) bool { return slices.Contains(s.cfg.Teams, t) })
}

func (s *Source) page(inc incident) page.Page {
	p := page.Page{
		ID:       page.ID{Source: s.cfg.Name, Upstream: inc.IncidentNumber},
		Title:    firstNonEmpty(inc.EntityDisplayName, inc.EntityID, "incident #"+inc.IncidentNumber),
		Service:  firstNonEmpty(inc.Service, inc.RoutingKey),
		Severity: strings.ToUpper(inc.EntityState),
		Urgency:  Urgency(inc.EntityState),
		Status:   phase(inc.CurrentPhase),
		URL:      inc.IncidentLink,
		OpenedAt: inc.StartTime,
	}
	if inc.Host != "" {
		p.Labels = map[string]string{"host": inc.Host}
	}
	if p.Status == page.StatusAcknowledged {
		p.AckedBy = lastBy(inc.Transitions, "ACKED")
	}
	return p
}

// Urgency maps an entity state by the one built-in scale
// (source.ScaleOf): CRITICAL is high, WARNING, INFO and RECOVERY low.
func Urgency(entityState string) page.Urgency {
	return source.DefaultUrgency(source.KindSplunkOnCall, entityState)
}

// phase maps currentPhase; the reporting API spells the same phases
// triggered / acknowledged / resolved, so both are accepted.
func phase(p string) page.Status {
	switch strings.ToUpper(p) {
	case "ACKED", "ACKNOWLEDGED":
		return page.StatusAcknowledged
	case "RESOLVED":
		return page.StatusResolved
	default:
		return page.StatusTriggered
	}
}

func lastBy(ts []transition, name string) string {
	for i := len(ts) - 1; i >= 0; i-- {
		if strings.EqualFold(ts[i].Name, name) {
			return ts[i].By
		}
	}
	return ""
}

// Ack acknowledges the incident as the configured user (or by.Name).
// Acking an acknowledged incident again succeeds. It waits for a slot in
// the budget as long as ctx allows.
func (s *Source) Ack(ctx context.Context, id string, by source.Actor) error {
	if err := s.change(ctx, "ack", id, by); err != nil {
		return fmt.Errorf("acking %s: %w", id, err)
	}
	return nil
}

// Resolve resolves the incident as the configured user (or by.Name).
func (s *Source) Resolve(ctx context.Context, id string, by source.Actor) error {
	if err := s.change(ctx, "resolve", id, by); err != nil {
		return fmt.Errorf("resolving %s: %w", id, err)
	}
	return nil
}

// change is PATCH /api-public/v1/incidents/{ack|resolve} for one incident.
func (s *Source) change(ctx context.Context, verb, id string, by source.Actor) error {
	user := firstNonEmpty(s.cfg.UserName, by.Name)
	if user == "" {
		return &source.Error{Kind: source.KindInvalid,
			Msg: "Splunk On-Call needs your Splunk On-Call username to act (set it in Sources)"}
	}
	if err := s.take(ctx); err != nil {
		return err
	}
	body := changeRequest{UserName: user, IncidentNames: []string{id}, Message: "via Standby"}
	var resp changeResponse
	req := sourcehttp.Request{Method: http.MethodPatch, Path: incidentsPath + "/" + verb, Body: body}
	if err := s.api.Do(ctx, req, &resp); err != nil {
		return err
	}
	return result(resp, id, verb)
}

// result reads the per-incident answer: Splunk On-Call answers 200 and
// says in cmdAccepted whether it did it. A refusal because the incident
// already is in that state counts as done (Ack is idempotent).
func result(resp changeResponse, id, verb string) error {
	for _, r := range resp.Results {
		if r.IncidentNumber != id {
			continue
		}
		msg := strings.ToLower(r.Message)
		switch {
		case r.CmdAccepted, strings.Contains(msg, "already"):
			return nil
		case strings.Contains(msg, "not found") || strings.Contains(msg, "does not exist") || strings.Contains(msg, "no such"):
			return &source.Error{Kind: source.KindNotFound, Msg: "no such incident in Splunk On-Call",
				//lint:ignore ST1005 Splunk On-Call is a product name
				Err: fmt.Errorf("Splunk On-Call says %q", r.Message)}
		default:
			return &source.Error{Kind: source.KindInvalid, Msg: "Splunk On-Call refused to " + verb,
				//lint:ignore ST1005 Splunk On-Call is a product name
				Err: fmt.Errorf("Splunk On-Call says %q", r.Message)}
		}
	}
	return &source.Error{Kind: source.KindBadResponse,
		Msg: "unreadable response from Splunk On-Call (no result for the incident)"}
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
