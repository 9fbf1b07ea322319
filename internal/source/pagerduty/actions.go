package pagerduty

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// Ack acknowledges the incident as by (From: by.Email). Acking an
// acknowledged incident again is accepted by PagerDuty.
func (s *Source) Ack(ctx context.Context, id string, by source.Actor) error {
	if err := s.setStatus(ctx, id, "acknowledged", by); err != nil {
		return fmt.Errorf("acking %s: %w", id, err)
	}
	return nil
}

// Resolve resolves the incident as by.
func (s *Source) Resolve(ctx context.Context, id string, by source.Actor) error {
	if err := s.setStatus(ctx, id, "resolved", by); err != nil {
		return fmt.Errorf("resolving %s: %w", id, err)
	}
	return nil
}

// Note adds a note to the incident as by; use source.ClaimNoteText for the
// claim mirror that List reads back.
func (s *Source) Note(ctx context.Context, id string, by source.Actor, text string) error {
	hdr, err := from(by)
	if err != nil {
		return fmt.Errorf("noting on %s: %w", id, err)
	}
	var resp noteResponse
	req := sourcehttp.Request{Method: http.MethodPost, Path: "/incidents/" + url.PathEscape(id) + "/notes",
		Header: hdr, Body: noteRequest{Note: note{Content: text}}}
	if err := s.api.Do(ctx, req, &resp); err != nil {
		return fmt.Errorf("noting on %s: %w", id, err)
	}
	return nil
}

// setStatus is PUT /incidents with one incident reference.
func (s *Source) setStatus(ctx context.Context, id, status string, by source.Actor) error {
	hdr, err := from(by)
	if err != nil {
		return err
	}
	body := updateIncidentsRequest{Incidents: []incidentRef{{ID: id, Type: "incident_reference", Status: status}}}
	var resp updateIncidentsResponse
	req := sourcehttp.Request{Method: http.MethodPut, Path: "/incidents", Header: hdr, Body: body}
	return s.api.Do(ctx, req, &resp)
}

// from is the From header PagerDuty requires for every change.
func from(by source.Actor) (http.Header, error) {
	email := strings.TrimSpace(by.Email)
	if email == "" || !strings.Contains(email, "@") {
		return nil, &source.Error{Kind: source.KindInvalid,
			Msg: "PagerDuty needs your PagerDuty e-mail to act (set it in Settings)"}
	}
	return http.Header{"From": {email}}, nil
}
