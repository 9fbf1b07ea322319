package app

import (
	"context"
	"strings"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// mapped is a configured source whose pages get their kind, their urgency
// by the one mapping (source.Urgency, with the user's overrides) and their
// explicit link key, the same way as pages from the hub.
type mapped struct {
	source.Source
	kind source.Kind
	url  string
	svc  *Service
}

// List lists the source's pages, mapped.
func (m mapped) List(ctx context.Context) ([]page.Page, error) {
	pages, err := m.Source.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]page.Page, len(pages))
	for i, p := range pages {
		p.Kind = string(m.kind)
		p.DedupKey = linkKey(m.kind, m.url, p.DedupKey)
		out[i] = m.svc.mapUrgency(p)
	}
	return out, nil
}

// linkKey turns an adapter's dedup key into the explicit link between the
// same incident in two systems, or "" where there is none to trust.
func linkKey(kind source.Kind, url, dedup string) string {
	switch kind {
	case source.KindAlertmanager:
		return source.AlertmanagerKey(url, dedup)
	case source.KindPagerDuty:
		return source.PagerDutyKey(dedup)
	}
	return ""
}

// mapUrgency sets p's urgency from its kind and severity word, with the
// user's overrides from [quiet.urgency.KIND].
func (s *Service) mapUrgency(p page.Page) page.Page {
	kind := source.Kind(p.Kind)
	p.Urgency = source.Urgency(kind, p.Severity, s.urgencyOverrides(kind), p.Urgency)
	return p
}

func (s *Service) urgencyOverrides(kind source.Kind) map[string]string {
	for k, m := range s.view().cfg.Quiet.Urgency {
		if strings.EqualFold(k, string(kind)) || (kind == source.KindJSMOps && strings.EqualFold(k, string(source.KindOpsgenie))) {
			return m
		}
	}
	return nil
}
