package grafanaoncall

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// Wire types of the OnCall public API v1, reduced to what Standby reads.

type labelPart struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type label struct {
	Key   labelPart `json:"key"`
	Value labelPart `json:"value"`
}

type alertGroup struct {
	ID             string            `json:"id"`
	Number         int               `json:"alert_group_number"`
	IntegrationID  string            `json:"integration_id"`
	TeamID         string            `json:"team_id"`
	State          string            `json:"state"` // new, acknowledged, silenced, resolved
	Title          string            `json:"title"`
	CreatedAt      time.Time         `json:"created_at"`
	AcknowledgedBy string            `json:"acknowledged_by"`
	Permalinks     map[string]string `json:"permalinks"`
	Labels         []label           `json:"labels"`
}

// paged is the paginated list shape: {"count", "next", "previous", "results"}.
type paged[T any] struct {
	Count   int     `json:"count"`
	Next    *string `json:"next"`
	Results []T     `json:"results"`
}

type resolutionNote struct {
	ID           string    `json:"id"`
	AlertGroupID string    `json:"alert_group_id"`
	Author       string    `json:"author"`
	Source       string    `json:"source"`
	CreatedAt    time.Time `json:"created_at"`
	Text         string    `json:"text"`
}

type user struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	Username string `json:"username"`
}

const (
	groupsPath = "/api/v1/alert_groups/"
	notesPath  = "/api/v1/resolution_notes/"
	usersPath  = "/api/v1/users/"
	maxPages   = 100 // 50 a page: 5,000 open groups is not a sane answer
)

// listAll reads every page of a list endpoint, following "next".
func listAll[T any](ctx context.Context, api *sourcehttp.Client, path string, q url.Values) ([]T, error) {
	var all []T
	for range maxPages {
		var resp paged[T]
		if err := api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: path, Query: q}, &resp); err != nil {
			return nil, err
		}
		if resp.Results == nil {
			return nil, &source.Error{Kind: source.KindBadResponse, Msg: "unreadable response from Grafana OnCall (no results field)"}
		}
		all = append(all, resp.Results...)
		if resp.Next == nil || *resp.Next == "" {
			return all, nil
		}
		next, err := url.Parse(*resp.Next)
		if err != nil || next.Query().Get("page") == "" || next.Query().Get("page") == q.Get("page") {
			return nil, &source.Error{Kind: source.KindBadResponse, Msg: "unreadable response from Grafana OnCall (bad next page)"}
		}
		q = next.Query()
	}
	return nil, &source.Error{Kind: source.KindBadResponse, Msg: "too many alert groups to list (narrow the source to a team or integration)"}
}

// username returns the user's username, cached ("" when unknown).
func (s *Source) username(ctx context.Context, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	s.mu.Lock()
	name, ok := s.users[id]
	s.mu.Unlock()
	if ok {
		return name, nil
	}
	var u user
	err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: usersPath + url.PathEscape(id) + "/"}, &u)
	if source.KindOf(err) == source.KindNotFound {
		return id, nil // a deleted user: show the id
	}
	if err != nil {
		return "", fmt.Errorf("reading user %s: %w", id, err)
	}
	s.mu.Lock()
	s.users[id] = u.Username
	s.mu.Unlock()
	return u.Username, nil
}

// severity returns the value of the severity label, "" when unlabelled.
func (s *Source) severity(g alertGroup) string {
	for _, l := range g.Labels {
		if l.Key.Name == s.cfg.SeverityLabel {
			return l.Value.Name
		}
	}
	return ""
}

func (s *Source) page(g alertGroup) page.Page {
	sev := s.severity(g)
	p := page.Page{
		ID:       page.ID{Source: s.cfg.Name, Upstream: g.ID},
		Title:    g.Title,
		Severity: sev,
		Urgency:  Urgency(sev),
		Status:   page.StatusTriggered,
		URL:      g.Permalinks["web"],
		OpenedAt: g.CreatedAt,
	}
	if p.Title == "" {
		p.Title = fmt.Sprintf("Alert group #%d", g.Number)
	}
	if len(g.Labels) > 0 {
		p.Labels = map[string]string{}
		for _, l := range g.Labels {
			p.Labels[l.Key.Name] = l.Value.Name
		}
	}
	if g.State == "acknowledged" || g.State == "silenced" {
		p.Status = page.StatusAcknowledged
	}
	return p
}
