package alertmanager

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// List returns the active, not inhibited alerts (silenced ones as
// acknowledged) and renews Standby's ack silences that are about to end
// while their alerts still fire. Either every page is returned or an error.
func (s *Source) List(ctx context.Context) ([]page.Page, error) {
	now := s.cfg.Now()
	groups, err := s.groups(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing alert groups: %w", err)
	}
	var silences map[string]silence
	if anySilenced(groups) {
		if silences, err = s.silences(ctx); err != nil {
			return nil, fmt.Errorf("listing silences: %w", err)
		}
	}
	pages := s.pages(groups, silences)
	s.renew(ctx, now, groups, silences)
	return pages, nil
}

func (s *Source) groups(ctx context.Context) ([]gettableAlertGroup, error) {
	q := s.alertQuery()
	if s.cfg.Receiver != "" {
		q.Set("receiver", s.cfg.Receiver)
	}
	var groups []gettableAlertGroup
	err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: "/api/v2/alerts/groups", Query: q}, &groups)
	if err == nil && groups == nil {
		// "null" is not an answer Alertmanager gives; do not read it as
		// "nothing fires".
		return nil, sourcehttp.Errorf(source.KindBadResponse, "unreadable response from Alertmanager (null)", "GET alerts/groups: null body")
	}
	return groups, err
}

// alertQuery selects active, not inhibited alerts, silenced included (they
// are the acknowledged pages), narrowed by the configured matchers.
func (s *Source) alertQuery() url.Values {
	q := url.Values{}
	q.Set("active", "true")
	q.Set("silenced", "true")
	q.Set("inhibited", "false")
	q.Set("unprocessed", "true")
	for _, f := range s.cfg.Filter {
		q.Add("filter", f)
	}
	return q
}

func anySilenced(groups []gettableAlertGroup) bool {
	for _, g := range groups {
		for _, a := range g.Alerts {
			if len(a.Status.SilencedBy) > 0 {
				return true
			}
		}
	}
	return false
}

func (s *Source) silences(ctx context.Context) (map[string]silence, error) {
	var list []silence
	err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: "/api/v2/silences"}, &list)
	if err != nil {
		return nil, err
	}
	if list == nil {
		return nil, sourcehttp.Errorf(source.KindBadResponse, "unreadable response from Alertmanager (null)", "GET silences: null body")
	}
	byID := make(map[string]silence, len(list))
	for _, sil := range list {
		byID[sil.ID] = sil
	}
	return byID, nil
}

// pages maps the groups to pages, one per fingerprint (an alert routed to
// two receivers appears in two groups).
func (s *Source) pages(groups []gettableAlertGroup, silences map[string]silence) []page.Page {
	pages := []page.Page{}
	seen := map[string]bool{}
	for _, g := range groups {
		for _, a := range g.Alerts {
			if a.Fingerprint == "" || seen[a.Fingerprint] {
				continue
			}
			seen[a.Fingerprint] = true
			pages = append(pages, s.page(groupKey(g), a, silences))
		}
	}
	return pages
}

func (s *Source) page(group string, a gettableAlert, silences map[string]silence) page.Page {
	sev := a.Labels[s.cfg.SeverityLabel]
	p := page.Page{
		ID:       page.ID{Source: s.cfg.Name, Upstream: a.Fingerprint},
		Title:    title(a),
		Service:  firstNonEmpty(a.Labels["service"], a.Labels["job"]),
		Severity: sev,
		Urgency:  s.cfg.Urgency(sev),
		Status:   page.StatusTriggered,
		URL:      s.alertURL(a.Labels),
		Labels:   a.Labels,
		Group:    group,
		DedupKey: a.Fingerprint,
		OpenedAt: a.StartsAt,
	}
	if a.Status.State == "suppressed" && len(a.Status.SilencedBy) > 0 {
		p.Status = page.StatusAcknowledged
		p.AckedBy = silencedBy(a.Status.SilencedBy, silences)
	}
	return p
}

// title is the summary annotation, else the alert name.
func title(a gettableAlert) string {
	return firstNonEmpty(a.Annotations["summary"], a.Annotations["title"], a.Labels["alertname"], a.Fingerprint)
}

// silencedBy names who silenced: a Standby silence's user wins over other
// silences; "standby:" is stripped.
func silencedBy(ids []string, silences map[string]silence) string {
	var other string
	for _, id := range ids {
		sil, ok := silences[id]
		if !ok {
			continue
		}
		if name, ok := strings.CutPrefix(sil.CreatedBy, createdByPrefix); ok {
			return name
		}
		if other == "" {
			other = sil.CreatedBy
		}
	}
	return other
}

// groupKey renders the group as Alertmanager does in its group key: the
// receiver and the group labels, e.g. `team-pager:{alertname="Disk"}`.
func groupKey(g gettableAlertGroup) string {
	return g.Receiver.Name + ":" + renderLabels(g.Labels)
}

func renderLabels(ls map[string]string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(ls)) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k + "=" + strconv.Quote(ls[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// alertURL opens the Alertmanager UI filtered to exactly this alert.
func (s *Source) alertURL(labels map[string]string) string {
	u := *s.base
	if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment = "/alerts?silenced=true&filter=" + renderLabels(labels)
	return u.String()
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// renew extends Standby's active silences that silence a firing alert and
// end within RenewBefore. Failures are logged, not returned: the list is
// complete without them and the next poll tries again.
func (s *Source) renew(ctx context.Context, now time.Time, groups []gettableAlertGroup, silences map[string]silence) {
	firing := map[string]bool{}
	for _, g := range groups {
		for _, a := range g.Alerts {
			for _, id := range a.Status.SilencedBy {
				firing[id] = true
			}
		}
	}
	for id := range firing {
		sil, ok := silences[id]
		if !ok || !sil.active() || !strings.HasPrefix(sil.CreatedBy, createdByPrefix) ||
			sil.EndsAt.Sub(now) >= s.cfg.RenewBefore {
			continue
		}
		sil.EndsAt = now.Add(s.cfg.AckFor)
		sil.Status = nil
		if _, err := s.postSilence(ctx, sil); err != nil {
			s.cfg.Logger.Warn("renewing ack silence", "source", s.cfg.Name, "silence", id, "err", err)
		}
	}
}
