package goalert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// Operations sent to /api/graphql; values travel as variables only. The
// fields follow graphql2/graph/_Query.graphqls, _Mutation.graphqls and
// schema.graphql (Alert, AlertSearchOptions, UpdateAlertsInput).
const (
	alertsQuery = `query StandbyAlerts($input: AlertSearchOptions) {
  alerts(input: $input) {
    nodes { id alertID status summary details createdAt serviceID service { id name } meta { key value } }
    pageInfo { endCursor hasNextPage }
  }
}`
	updateMutation = `mutation StandbyUpdateAlerts($input: UpdateAlertsInput!) {
  updateAlerts(input: $input) { id alertID status }
}`
	alertQuery = `query StandbyAlert($id: Int!) {
  alert(id: $id) { id alertID status }
}`
	pageSize = 100
	maxPages = 100
)

type meta struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type alert struct {
	ID        string    `json:"id"`
	AlertID   int       `json:"alertID"`
	Status    string    `json:"status"`
	Summary   string    `json:"summary"`
	Details   string    `json:"details"`
	CreatedAt time.Time `json:"createdAt"`
	ServiceID string    `json:"serviceID"`
	Service   *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"service"`
	Meta []meta `json:"meta"`
}

type alertsData struct {
	Alerts *struct {
		Nodes    []alert `json:"nodes"`
		PageInfo struct {
			EndCursor   string `json:"endCursor"`
			HasNextPage bool   `json:"hasNextPage"`
		} `json:"pageInfo"`
	} `json:"alerts"`
}

type updateData struct {
	UpdateAlerts []alert `json:"updateAlerts"`
}

type alertData struct {
	Alert *alert `json:"alert"`
}

type gqlError struct {
	Message string `json:"message"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// List returns the unacknowledged and acknowledged alerts of the
// configured services, every page of them.
func (s *Source) List(ctx context.Context) ([]page.Page, error) {
	input := map[string]any{"filterByStatus": []string{"StatusUnacknowledged", "StatusAcknowledged"},
		"favoritesOnly": s.cfg.FavoritesOnly, "first": pageSize, "sort": "dateID"}
	if len(s.cfg.ServiceIDs) > 0 {
		input["filterByServiceID"] = s.cfg.ServiceIDs
	}
	var pages []page.Page
	seen := map[string]bool{}
	for range maxPages {
		var d alertsData
		if err := s.gql(ctx, alertsQuery, map[string]any{"input": input}, &d); err != nil {
			return nil, fmt.Errorf("listing alerts: %w", err)
		}
		if d.Alerts == nil || d.Alerts.Nodes == nil {
			return nil, fmt.Errorf("listing alerts: %w", bad("no alerts field"))
		}
		for _, a := range d.Alerts.Nodes {
			id := strconv.Itoa(a.AlertID)
			if !seen[id] && a.Status != "StatusClosed" {
				seen[id] = true
				pages = append(pages, s.page(a))
			}
		}
		if !d.Alerts.PageInfo.HasNextPage {
			return pages, nil
		}
		if d.Alerts.PageInfo.EndCursor == "" || d.Alerts.PageInfo.EndCursor == input["after"] {
			return nil, fmt.Errorf("listing alerts: %w", bad("bad page cursor"))
		}
		input["after"] = d.Alerts.PageInfo.EndCursor
	}
	return nil, fmt.Errorf("listing alerts: %w", &source.Error{Kind: source.KindBadResponse,
		Msg: "too many open alerts to list (narrow the source to your services)"})
}

func (s *Source) page(a alert) page.Page {
	sev := ""
	for _, m := range a.Meta {
		if m.Key == s.cfg.SeverityKey {
			sev = m.Value
		}
	}
	p := page.Page{
		ID:       page.ID{Source: s.cfg.Name, Upstream: strconv.Itoa(a.AlertID)},
		Title:    a.Summary,
		Severity: sev,
		Urgency:  Urgency(sev),
		Status:   page.StatusTriggered,
		URL:      s.base.JoinPath("/alerts", strconv.Itoa(a.AlertID)).String(),
		OpenedAt: a.CreatedAt,
	}
	if a.Service != nil {
		p.Service = a.Service.Name
	}
	if a.Status == "StatusAcknowledged" {
		p.Status = page.StatusAcknowledged
	}
	return p
}

// Ack acknowledges the alert as the logged-in user.
func (s *Source) Ack(ctx context.Context, id string, _ source.Actor) error {
	if err := s.update(ctx, id, "StatusAcknowledged"); err != nil {
		return fmt.Errorf("acking %s: %w", id, err)
	}
	return nil
}

// Resolve closes the alert.
func (s *Source) Resolve(ctx context.Context, id string, _ source.Actor) error {
	if err := s.update(ctx, id, "StatusClosed"); err != nil {
		return fmt.Errorf("closing %s: %w", id, err)
	}
	return nil
}

func (s *Source) update(ctx context.Context, id, status string) error {
	n, err := strconv.Atoi(id)
	if err != nil || n <= 0 {
		return &source.Error{Kind: source.KindNotFound, Msg: "no such GoAlert alert (ids are numbers)"}
	}
	var d updateData
	vars := map[string]any{"input": map[string]any{"alertIDs": []int{n}, "newStatus": status}}
	if err := s.gql(ctx, updateMutation, vars, &d); err != nil {
		return err
	}
	if slices.ContainsFunc(d.UpdateAlerts, func(a alert) bool { return a.AlertID == n }) {
		return nil
	}
	// updateAlerts answers only the alerts it changed (null for none), so
	// one already acknowledged or closed is absent too: look it up.
	var cur alertData
	if err := s.gql(ctx, alertQuery, map[string]any{"id": n}, &cur); err != nil {
		return err
	}
	switch {
	case cur.Alert == nil:
		return &source.Error{Kind: source.KindNotFound, Msg: "no such GoAlert alert"}
	case cur.Alert.Status == "StatusClosed", cur.Alert.Status == status:
		return nil // already done: by a teammate, the integration or an earlier try
	}
	return &source.Error{Kind: source.KindInvalid, Msg: "GoAlert did not change the alert (still " + cur.Alert.Status + ")"}
}

// gql runs one GraphQL operation with the session, logging in again once
// when GoAlert rejects it.
func (s *Source) gql(ctx context.Context, query string, vars map[string]any, out any) error {
	tok, err := s.current(ctx)
	if err != nil {
		return err
	}
	err = s.gqlOnce(ctx, tok, query, vars, out)
	if source.KindOf(err) != source.KindUnauthorized {
		return err
	}
	if tok, err = s.login(ctx, tok); err != nil {
		return err
	}
	return s.gqlOnce(ctx, tok, query, vars, out)
}

func (s *Source) gqlOnce(ctx context.Context, tok source.Secret, query string, vars map[string]any, out any) error {
	api := &sourcehttp.Client{HTTP: s.http, Base: s.base, System: "GoAlert",
		Header:  http.Header{"Authorization": {"Bearer " + tok.Reveal()}},
		Secrets: []source.Secret{tok, s.cfg.Password}, Now: s.cfg.Now}
	var resp gqlResponse
	req := sourcehttp.Request{Method: http.MethodPost, Path: "/api/graphql", Body: map[string]any{"query": query, "variables": vars}}
	if err := api.Do(ctx, req, &resp); err != nil {
		return tokenRejected(err)
	}
	if len(resp.Errors) > 0 {
		return s.redact(gqlErr(resp.Errors))
	}
	if len(resp.Data) == 0 || string(resp.Data) == "null" {
		return bad("no data")
	}
	if err := json.Unmarshal(resp.Data, out); err != nil {
		return &source.Error{Kind: source.KindBadResponse, Msg: "unreadable response from GoAlert (broken JSON)", Err: err}
	}
	return nil
}

// tokenRejected makes GoAlert's 400 for a session token it cannot parse
// or verify (auth/authtoken/parse.go: "invalid signature" once the
// signing key has rotated out, "invalid token header format", "invalid
// length", ...) a rejected session, so gql logs in again.
func tokenRejected(err error) error {
	var e *source.Error
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Err == nil {
		return err
	}
	msg := e.Err.Error()
	for _, s := range []string{"invalid signature", "invalid token header format", "invalid length",
		"unsupported token version", "illegal base64 data"} {
		if strings.Contains(msg, s) {
			e.Kind, e.Msg = source.KindUnauthorized, "GoAlert rejected the session (400)"
			return e
		}
	}
	return err
}

// gqlErr classifies GraphQL errors (GoAlert answers them with 200).
func gqlErr(errs []gqlError) error {
	msg := errs[0].Message
	lower := strings.ToLower(msg)
	e := &source.Error{Kind: source.KindInvalid, Msg: "refused by GoAlert", Err: fmt.Errorf("GoAlert says %q", firstLine(msg, 200))}
	switch {
	case strings.Contains(lower, "unauthorized") || strings.Contains(lower, "not authorized") || strings.Contains(lower, "unauthenticated"):
		e.Kind, e.Msg = source.KindUnauthorized, "GoAlert rejected the session"
	case strings.Contains(lower, "not found") || strings.Contains(lower, "does not exist"):
		e.Kind, e.Msg = source.KindNotFound, "not found in GoAlert"
	}
	return e
}

func bad(what string) error {
	return &source.Error{Kind: source.KindBadResponse, Msg: "unreadable response from GoAlert (" + what + ")"}
}
