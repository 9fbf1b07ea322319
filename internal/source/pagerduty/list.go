package pagerduty

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// pageSize is PagerDuty's largest page for classic pagination.
const pageSize = 100

// maxOffset is where PagerDuty's classic pagination stops answering.
const maxOffset = 10000

// List returns the triggered and acknowledged incidents, every page of
// them, with the claims mirrored in their notes. Either every incident is
// returned or an error: a failure on page two or on one incident's notes
// fails the whole List.
func (s *Source) List(ctx context.Context) ([]page.Page, error) {
	incidents, err := s.incidents(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing incidents: %w", err)
	}
	pages := make([]page.Page, 0, len(incidents))
	seen := map[string]bool{}
	for _, inc := range incidents {
		if seen[inc.ID] || inc.Status == "resolved" {
			continue // an incident moving between pages while we read
		}
		seen[inc.ID] = true
		p := s.page(inc)
		notes, err := s.notes(ctx, inc.ID)
		if err != nil {
			return nil, fmt.Errorf("reading notes of %s: %w", inc.ID, err)
		}
		p.Claims = source.ClaimsFromNotes(p.ID, notes, s.cfg.ClaimTTL, func(n note) (string, time.Time) { return n.Content, n.CreatedAt })
		pages = append(pages, p)
	}
	return pages, nil
}

func (s *Source) incidents(ctx context.Context) ([]incident, error) {
	var all []incident
	for offset := 0; ; {
		q := s.listQuery(offset)
		var resp listIncidentsResponse
		req := sourcehttp.Request{Method: http.MethodGet, Path: "/incidents", Query: q}
		if err := s.api.Do(ctx, req, &resp); err != nil {
			return nil, err
		}
		if resp.Incidents == nil {
			return nil, &source.Error{Kind: source.KindBadResponse, Msg: "unreadable response from PagerDuty (no incidents field)"}
		}
		all = append(all, resp.Incidents...)
		if !resp.More {
			return all, nil
		}
		offset += len(resp.Incidents)
		if len(resp.Incidents) == 0 || offset >= maxOffset {
			return nil, &source.Error{Kind: source.KindBadResponse,
				Msg: "too many open incidents to list (narrow the source to your users or teams)"}
		}
	}
}

func (s *Source) listQuery(offset int) url.Values {
	q := url.Values{}
	q.Add("statuses[]", "triggered")
	q.Add("statuses[]", "acknowledged")
	for _, id := range s.cfg.UserIDs {
		q.Add("user_ids[]", id)
	}
	for _, id := range s.cfg.TeamIDs {
		q.Add("team_ids[]", id)
	}
	q.Set("limit", strconv.Itoa(pageSize))
	q.Set("offset", strconv.Itoa(offset))
	return q
}

func (s *Source) page(inc incident) page.Page {
	p := page.Page{
		ID:       page.ID{Source: s.cfg.Name, Upstream: inc.ID},
		Title:    firstNonEmpty(inc.Title, inc.Summary, inc.ID),
		Service:  inc.Service.Summary,
		Severity: inc.Urgency,
		Urgency:  page.UrgencyHigh,
		Status:   page.StatusTriggered,
		URL:      inc.HTMLURL,
		DedupKey: inc.IncidentKey,
		OpenedAt: inc.CreatedAt,
	}
	if inc.Priority != nil && inc.Priority.Summary != "" {
		p.Severity = inc.Priority.Summary
	}
	if inc.Urgency == "low" {
		p.Urgency = page.UrgencyLow
	}
	if inc.Status == "acknowledged" {
		p.Status = page.StatusAcknowledged
		if n := len(inc.Acknowledgements); n > 0 {
			p.AckedBy = inc.Acknowledgements[n-1].Acknowledger.Summary
		}
	}
	return p
}

func (s *Source) notes(ctx context.Context, id string) ([]note, error) {
	var resp listNotesResponse
	req := sourcehttp.Request{Method: http.MethodGet, Path: "/incidents/" + url.PathEscape(id) + "/notes"}
	if err := s.api.Do(ctx, req, &resp); err != nil {
		return nil, err
	}
	if resp.Notes == nil {
		return nil, &source.Error{Kind: source.KindBadResponse, Msg: "unreadable response from PagerDuty (no notes field)"}
	}
	return resp.Notes, nil
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
