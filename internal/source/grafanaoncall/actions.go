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

// List returns the alert groups in state new, acknowledged and silenced,
// every page of them, with the claims mirrored in their resolution notes.
// Either everything is returned or an error.
func (s *Source) List(ctx context.Context) ([]page.Page, error) {
	var groups []alertGroup
	for _, state := range []string{"new", "acknowledged", "silenced"} {
		gs, err := listAll[alertGroup](ctx, s.api, groupsPath, s.listQuery(state))
		if err != nil {
			return nil, fmt.Errorf("listing %s alert groups: %w", state, err)
		}
		groups = append(groups, gs...)
	}
	pages := make([]page.Page, 0, len(groups))
	seen := map[string]bool{}
	for _, g := range groups {
		if seen[g.ID] || g.State == "resolved" {
			continue // a group changing state between the requests
		}
		seen[g.ID] = true
		p, err := s.fullPage(ctx, g)
		if err != nil {
			return nil, err
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// fullPage maps g and adds who acked it and the claims in its notes.
func (s *Source) fullPage(ctx context.Context, g alertGroup) (page.Page, error) {
	p := s.page(g)
	if g.State == "acknowledged" {
		name, err := s.username(ctx, g.AcknowledgedBy)
		if err != nil {
			return page.Page{}, fmt.Errorf("alert group %s: %w", g.ID, err)
		}
		p.AckedBy = name
	}
	notes, err := listAll[resolutionNote](ctx, s.api, notesPath, url.Values{"alert_group_id": {g.ID}})
	if err != nil {
		return page.Page{}, fmt.Errorf("reading resolution notes of %s: %w", g.ID, err)
	}
	p.Claims = source.ClaimsFromNotes(p.ID, notes, s.cfg.ClaimTTL, func(n resolutionNote) (string, time.Time) { return n.Text, n.CreatedAt })
	return p, nil
}

func (s *Source) listQuery(state string) url.Values {
	q := url.Values{"state": {state}}
	for k, v := range map[string]string{"team_id": s.cfg.TeamID, "integration_id": s.cfg.IntegrationID, "route_id": s.cfg.RouteID} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// Ack acknowledges the alert group as the token's owner; acking an
// acknowledged group again succeeds.
func (s *Source) Ack(ctx context.Context, id string, _ source.Actor) error {
	if err := s.act(ctx, id, "acknowledge", nil, "acknowledged"); err != nil {
		return fmt.Errorf("acking %s: %w", id, err)
	}
	return nil
}

// Unack returns the alert group to new.
func (s *Source) Unack(ctx context.Context, id string, _ source.Actor) error {
	if err := s.act(ctx, id, "unacknowledge", nil, "new"); err != nil {
		return fmt.Errorf("un-acking %s: %w", id, err)
	}
	return nil
}

// Resolve resolves the alert group; resolving a resolved group succeeds.
func (s *Source) Resolve(ctx context.Context, id string, _ source.Actor) error {
	if err := s.act(ctx, id, "resolve", nil, "resolved"); err != nil {
		return fmt.Errorf("resolving %s: %w", id, err)
	}
	return nil
}

// Silence stops the alert group's escalation for d (d < 0: until it is
// unsilenced). It is OnCall's own action, offered beside Ack.
func (s *Source) Silence(ctx context.Context, id string, d time.Duration) error {
	delay := int(d / time.Second)
	if d < 0 {
		delay = -1
	}
	if err := s.act(ctx, id, "silence", map[string]int{"delay": delay}, "silenced"); err != nil {
		return fmt.Errorf("silencing %s: %w", id, err)
	}
	return nil
}

// Note adds a resolution note to the alert group; use
// source.ClaimNoteText for the claim mirror that List reads back.
func (s *Source) Note(ctx context.Context, id string, _ source.Actor, text string) error {
	body := map[string]string{"alert_group_id": id, "text": text}
	var n resolutionNote
	if err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodPost, Path: notesPath, Body: body}, &n); err != nil {
		return fmt.Errorf("noting on %s: %w", id, err)
	}
	return nil
}

// act POSTs /api/v1/alert_groups/{id}/{verb} and reads the group back.
// OnCall answers a done action with 200 and an empty body, so the read
// back is what tells a real answer from a portal's HTML page; it also
// turns OnCall's 400 for "already in that state" into success.
func (s *Source) act(ctx context.Context, id, verb string, body any, want string) error {
	path := groupsPath + url.PathEscape(id) + "/"
	err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodPost, Path: path + verb, Body: body}, nil)
	if err != nil && source.KindOf(err) != source.KindInvalid {
		return err
	}
	var g alertGroup
	if gerr := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: path}, &g); gerr != nil {
		if err != nil {
			return err
		}
		return gerr
	}
	if g.State == want {
		return nil
	}
	if err != nil {
		return err
	}
	return &source.Error{Kind: source.KindBadResponse,
		Msg: fmt.Sprintf("Grafana OnCall accepted %s but the group is %s", verb, g.State)}
}
