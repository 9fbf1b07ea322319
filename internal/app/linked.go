package app

import (
	"context"
	"slices"

	"github.com/standby-oncall/standby/internal/page"
)

// mergeLinked shows the copies of one incident (same explicit link key) as
// one page, in the place of the first: the copy from a configured source
// (whose actions reach upstream) with the claims of all copies.
func mergeLinked(views []PageView) []PageView {
	if !anyLinked(views) {
		return views
	}
	at := map[string]int{}
	out := make([]PageView, 0, len(views))
	for _, v := range views {
		i, seen := at[v.DedupKey]
		switch {
		case v.DedupKey == "":
			out = append(out, v)
		case !seen:
			at[v.DedupKey] = len(out)
			out = append(out, v)
		default:
			out[i] = mergeCopies(out[i], v)
		}
	}
	return out
}

// anyLinked reports whether two views share a link key.
func anyLinked(views []PageView) bool {
	var seen map[string]bool
	for _, v := range views {
		if v.DedupKey == "" {
			continue
		}
		if seen[v.DedupKey] {
			return true
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[v.DedupKey] = true
	}
	return false
}

func mergeCopies(a, b PageView) PageView {
	keep, other := a, b
	if keep.External && !other.External {
		keep, other = other, keep
	}
	keep.Linked = append(append(slices.Clone(keep.Linked), other.ID), other.Linked...)
	claims := slices.Clone(keep.Claims)
	for _, c := range other.Claims {
		if !slices.ContainsFunc(claims, func(o page.Claim) bool { return o.By == c.By && o.Kind == c.Kind }) {
			claims = append(claims, c)
		}
	}
	keep.Claims = claims
	if keep.MyClaim == nil {
		keep.MyClaim = other.MyClaim
	}
	return keep
}

// linked returns the other open copies of id's incident.
func (s *Service) linked(id page.ID) []page.ID {
	pages := s.engine().Snapshot().Pages
	key := ""
	for _, p := range pages {
		if p.ID == id {
			key = p.DedupKey
		}
	}
	if key == "" {
		return nil
	}
	var out []page.ID
	for _, p := range pages {
		if p.DedupKey == key && p.ID != id {
			out = append(out, p.ID)
		}
	}
	return out
}

// tellLinked gives the copies of id's incident that the team shares (the
// hub's) the claim made on id, so teammates whose copy is the hub's see it.
func (s *Service) tellLinked(ctx context.Context, id page.ID, claim func(context.Context, page.ID) error) {
	for _, l := range s.linked(id) {
		if !s.team.HubPage(l) {
			continue
		}
		if err := claim(ctx, l); err != nil {
			s.log.Warn("claim not told on the hub's copy", "page", l.String(), "err", err)
		}
	}
}
