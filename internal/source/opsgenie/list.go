package opsgenie

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// pageSize is the largest page both APIs accept (Opsgenie limit: 100).
const pageSize = 100

// maxAlerts is where Opsgenie stops paginating (offset + limit ≤ 20,000).
const maxAlerts = 20000

// List returns the open alerts, every page of them, with the claims
// mirrored in their notes. Either everything is returned or an error.
func (s *Source) List(ctx context.Context) ([]page.Page, error) {
	alerts, err := s.alerts(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing alerts: %w", err)
	}
	pages := make([]page.Page, 0, len(alerts))
	seen := map[string]bool{}
	for _, a := range alerts {
		if seen[a.ID] || a.Status == "closed" {
			continue // an alert moving between pages while we read
		}
		seen[a.ID] = true
		p := s.page(a)
		notes, err := s.notes(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("reading notes of %s: %w", a.ID, err)
		}
		p.Claims = source.ClaimsFromNotes(p.ID, notes, s.cfg.ClaimTTL, func(n note) (string, time.Time) { return n.Note, n.CreatedAt })
		pages = append(pages, p)
	}
	return pages, nil
}

func (s *Source) alerts(ctx context.Context) ([]alert, error) {
	query := "status:open"
	if q := strings.TrimSpace(s.cfg.Query); q != "" {
		query += " AND (" + q + ")"
	}
	var all []alert
	for offset := 0; ; {
		q := url.Values{"query": {query}, "offset": {strconv.Itoa(offset)},
			"sort": {"createdAt"}, "order": {"desc"}}
		q.Set(s.sizeParam(), strconv.Itoa(pageSize))
		var resp listResponse[alert]
		if err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: s.prefix + "/alerts", Query: q}, &resp); err != nil {
			return nil, err
		}
		batch, ok := resp.items()
		if !ok {
			return nil, s.bad("no alerts field")
		}
		all = append(all, batch...)
		if resp.next() == "" || len(batch) == 0 {
			return all, nil
		}
		offset += len(batch)
		if offset+pageSize > maxAlerts {
			return nil, &source.Error{Kind: source.KindBadResponse,
				Msg: "too many open alerts to list (narrow the source with a query)"}
		}
	}
}

// sizeParam is the page-size parameter: Opsgenie "limit", JSM "size".
func (s *Source) sizeParam() string {
	if s.cfg.Flavor == JSMOps {
		return "size"
	}
	return "limit"
}

func (s *Source) notes(ctx context.Context, id string) ([]note, error) {
	var all []note
	q := url.Values{}
	q.Set(s.sizeParam(), strconv.Itoa(pageSize))
	for range maxAlerts / pageSize {
		var resp listResponse[note]
		path := s.prefix + "/alerts/" + url.PathEscape(id) + "/notes"
		if err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: path, Query: q}, &resp); err != nil {
			return nil, err
		}
		batch, ok := resp.items()
		if !ok {
			return nil, s.bad("no notes field")
		}
		all = append(all, batch...)
		next := resp.next()
		if next == "" || len(batch) == 0 {
			return all, nil
		}
		u, err := url.Parse(next)
		if err != nil {
			return nil, s.bad("bad next page")
		}
		q = u.Query()
	}
	return nil, s.bad("endless notes")
}

func (s *Source) bad(what string) error {
	return &source.Error{Kind: source.KindBadResponse, Msg: "unreadable response from " + s.api.System + " (" + what + ")"}
}

func (s *Source) page(a alert) page.Page {
	p := page.Page{
		ID:       page.ID{Source: s.cfg.Name, Upstream: a.ID},
		Title:    a.Message,
		Service:  a.Entity,
		Severity: strings.ToUpper(a.Priority),
		Urgency:  Urgency(a.Priority),
		Status:   page.StatusTriggered,
		DedupKey: a.Alias,
		OpenedAt: a.CreatedAt,
	}
	if p.Title == "" {
		p.Title = "Alert #" + a.TinyID
	}
	if a.Acknowledged {
		p.Status = page.StatusAcknowledged
		p.AckedBy = a.Report.AcknowledgedBy
	}
	return p
}

// Urgency maps an Opsgenie priority by the one built-in scale
// (source.ScaleOf): P1..P3 (P3 is Opsgenie's default) are high, P4 and P5
// low.
func Urgency(priority string) page.Urgency {
	return source.DefaultUrgency(source.KindOpsgenie, priority)
}
