package opsgenie

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// maxConfirmPoll caps the pause between request-status polls.
const maxConfirmPoll = 2 * time.Second

// requestSource is the "source" field of every change Standby sends.
const requestSource = "Standby"

// Ack acknowledges the alert as by and returns once the upstream confirms
// it (or an ErrPending error after Config.ConfirmWait).
func (s *Source) Ack(ctx context.Context, id string, by source.Actor) error {
	if err := s.change(ctx, id, "acknowledge", by, ""); err != nil {
		return fmt.Errorf("acking %s: %w", id, err)
	}
	return nil
}

// Unack returns the alert to unacknowledged (escalation resumes).
func (s *Source) Unack(ctx context.Context, id string, by source.Actor) error {
	if err := s.change(ctx, id, "unacknowledge", by, ""); err != nil {
		return fmt.Errorf("un-acking %s: %w", id, err)
	}
	return nil
}

// Resolve closes the alert.
func (s *Source) Resolve(ctx context.Context, id string, by source.Actor) error {
	if err := s.change(ctx, id, "close", by, ""); err != nil {
		return fmt.Errorf("closing %s: %w", id, err)
	}
	return nil
}

// Note adds a note to the alert; use source.ClaimNoteText for the claim
// mirror that List reads back.
func (s *Source) Note(ctx context.Context, id string, by source.Actor, text string) error {
	if err := s.change(ctx, id, "notes", by, text); err != nil {
		return fmt.Errorf("noting on %s: %w", id, err)
	}
	return nil
}

// change POSTs …/alerts/{id}/{action} and waits for its confirmation.
func (s *Source) change(ctx context.Context, id, action string, by source.Actor, text string) error {
	body := actionRequest{User: by.Name, Source: requestSource, Note: text}
	q := url.Values{"identifierType": {"id"}}
	path := s.prefix + "/alerts/" + url.PathEscape(id) + "/" + action
	var acc accepted
	if err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodPost, Path: path, Query: q, Body: body}, &acc); err != nil {
		return err
	}
	if acc.RequestID == "" {
		return s.bad("no requestId")
	}
	return s.confirm(ctx, acc.RequestID)
}

// confirm polls the request status until it is processed, ConfirmWait
// passes or ctx ends. A 404 means "not processed yet".
func (s *Source) confirm(ctx context.Context, requestID string) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ConfirmWait)
	defer cancel()
	wait := s.cfg.ConfirmPoll
	for {
		done, err := s.status(ctx, requestID)
		if done || (err != nil && source.KindOf(err) != source.KindNotFound && ctx.Err() == nil) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return s.pending(requestID)
		case <-t.C:
		}
		wait = min(2*wait, maxConfirmPoll)
	}
}

// status reads one request status: done reports it was processed, err
// says how (nil: it succeeded).
func (s *Source) status(ctx context.Context, requestID string) (done bool, err error) {
	var resp statusResponse
	path := s.prefix + "/alerts/requests/" + url.PathEscape(requestID)
	if err := s.api.Do(ctx, sourcehttp.Request{Method: http.MethodGet, Path: path}, &resp); err != nil {
		return false, err
	}
	st := resp.status()
	ok := st.IsSuccess
	if ok == nil {
		ok = st.Success
	}
	switch {
	case ok == nil:
		return false, nil // not processed yet
	case *ok:
		return true, nil
	default:
		kind, msg := source.KindInvalid, s.api.System+" refused the change"
		if lower := strings.ToLower(st.Status); strings.Contains(lower, "not exist") || strings.Contains(lower, "not found") {
			kind, msg = source.KindNotFound, "no such alert in "+s.api.System
		}
		return true, &source.Error{Kind: kind, Msg: msg, Err: fmt.Errorf("%s says %q", s.api.System, st.Status)}
	}
}

func (s *Source) pending(requestID string) error {
	return &source.Error{Kind: source.KindUnavailable,
		Msg: fmt.Sprintf("%s accepted the change but has not confirmed it yet (pending)", s.api.System),
		Err: fmt.Errorf("request %s: %w", requestID, ErrPending)}
}
