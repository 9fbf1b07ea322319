package alertmanager

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// Ack silences the alert: exact matchers on all its labels, createdBy
// "standby:<name>", lasting AckFor (List renews it while the alert fires).
// Acking an alert already silenced by the same user is a no-op.
func (s *Source) Ack(ctx context.Context, fingerprint string, by source.Actor) error {
	if err := checkActor(by); err != nil {
		return err
	}
	a, err := s.alert(ctx, fingerprint)
	if err != nil {
		return fmt.Errorf("acking %s: %w", fingerprint, err)
	}
	mine := func(sil silence) bool { return sil.active() && sil.CreatedBy == createdByPrefix+by.Name }
	own, err := s.silencesOf(ctx, a, mine)
	if err != nil {
		return fmt.Errorf("acking %s: %w", fingerprint, err)
	}
	if len(own) > 0 {
		return nil
	}
	now := s.cfg.Now()
	sil := silence{
		Matchers:  matchersFor(a.Labels),
		StartsAt:  now,
		EndsAt:    now.Add(s.cfg.AckFor),
		CreatedBy: createdByPrefix + by.Name,
		Comment:   "Acked in Standby by " + by.Name,
	}
	if _, err := s.postSilence(ctx, sil); err != nil {
		return fmt.Errorf("acking %s: %w", fingerprint, err)
	}
	return nil
}

// Unack expires every Standby silence on the alert, whoever made it (the
// ack belongs to the page, not the person); other silences are left alone.
func (s *Source) Unack(ctx context.Context, fingerprint string, by source.Actor) error {
	a, err := s.alert(ctx, fingerprint)
	if err != nil {
		return fmt.Errorf("un-acking %s: %w", fingerprint, err)
	}
	ours := func(sil silence) bool { return sil.active() && strings.HasPrefix(sil.CreatedBy, createdByPrefix) }
	own, err := s.silencesOf(ctx, a, ours)
	if err != nil {
		return fmt.Errorf("un-acking %s: %w", fingerprint, err)
	}
	for _, sil := range own {
		req := sourcehttp.Request{Method: http.MethodDelete, Path: "/api/v2/silence/" + url.PathEscape(sil.ID)}
		if err := s.api.Do(ctx, req, nil); err != nil {
			return fmt.Errorf("un-acking %s: expiring silence %s: %w", fingerprint, sil.ID, err)
		}
	}
	return nil
}

func checkActor(by source.Actor) error {
	if strings.TrimSpace(by.Name) == "" {
		return &source.Error{Kind: source.KindInvalid, Msg: "who is acking? set your name in Settings"}
	}
	return nil
}

// errGone is returned when the alert to act on no longer fires.
var errGone = errors.New("no active alert with this fingerprint")

// alert finds the active alert (silenced or not) with the fingerprint.
func (s *Source) alert(ctx context.Context, fingerprint string) (gettableAlert, error) {
	q := s.alertQuery()
	q.Set("inhibited", "true")
	var alerts []gettableAlert
	if err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: "/api/v2/alerts", Query: q}, &alerts); err != nil {
		return gettableAlert{}, err
	}
	i := slices.IndexFunc(alerts, func(a gettableAlert) bool { return a.Fingerprint == fingerprint })
	if i < 0 {
		return gettableAlert{}, &source.Error{Kind: source.KindNotFound, Msg: "alert is no longer firing", Err: errGone}
	}
	return alerts[i], nil
}

// silencesOf fetches the silences on a that keep says to keep.
func (s *Source) silencesOf(ctx context.Context, a gettableAlert, keep func(silence) bool) ([]silence, error) {
	var out []silence
	for _, id := range a.Status.SilencedBy {
		var sil silence
		req := sourcehttp.Request{Method: http.MethodGet, Path: "/api/v2/silence/" + url.PathEscape(id)}
		if err := s.api.Do(ctx, req, &sil); err != nil {
			if source.KindOf(err) == source.KindNotFound {
				continue // expired and collected meanwhile
			}
			return nil, fmt.Errorf("reading silence %s: %w", id, err)
		}
		if keep(sil) {
			out = append(out, sil)
		}
	}
	return out, nil
}

// postSilence creates (no ID) or updates a silence and returns its id.
func (s *Source) postSilence(ctx context.Context, sil silence) (string, error) {
	var resp postSilenceResponse
	if err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodPost, Path: "/api/v2/silences", Body: sil}, &resp); err != nil {
		return "", err
	}
	if resp.SilenceID == "" {
		return "", &source.Error{Kind: source.KindBadResponse, Msg: "Alertmanager returned no silence id"}
	}
	return resp.SilenceID, nil
}

// matchersFor matches exactly the given label set.
func matchersFor(labels map[string]string) []matcher {
	ms := make([]matcher, 0, len(labels))
	for k, v := range labels {
		ms = append(ms, matcher{Name: k, Value: v, IsEqual: true})
	}
	slices.SortFunc(ms, func(a, b matcher) int { return strings.Compare(a.Name, b.Name) })
	return ms
}
