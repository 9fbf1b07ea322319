// Package vofake is an in-process fake of the Splunk On-Call (VictorOps)
// public API for tests: GET /api-public/v1/incidents and
// PATCH /api-public/v1/incidents/{ack,resolve}, with the request and
// response shapes of the public API reference
// (https://portal.victorops.com/public/api-docs.html; swagger at
// https://api.apis.guru/v2/specs/victorops.com/0.0.3/swagger.json).
//
// It checks what the real API checks: the X-VO-Api-Id / X-VO-Api-Key pair,
// a JSON body with userName and a non-empty incidentNames on changes, and
// that the user is a member of the organisation ("The user supplied must
// be a valid VictorOps user and a member of your organization"). It
// answers changes per incident with cmdAccepted, as the API does. It also
// counts calls: Calls reports how many incident calls arrived, and
// MaxPerMinute, when set, answers 429 beyond that many in a minute.
//
// Handler serves the same API without a listener, for tests inside a
// testing/synctest bubble (which must not use the real network).
package vofake

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

// Server is the fake; URL is its API host (once listening), Faults
// injects generic failures before the API logic runs.
type Server struct {
	*fakehttp.Server

	apiID, apiKey string

	mu        sync.Mutex
	seq       int
	incidents []*Incident
	users     map[string]bool
	throttle  int // Retry-After seconds for the next request, 0: off
}

// Incident is the fake's incident state.
type Incident struct {
	Number, Entity, State, Service, Team string
	Phase                                string // UNACKED, ACKED, RESOLVED
	Start                                time.Time
	AckedBy, ResolvedBy                  string
	AckedAt, ResolvedAt                  time.Time
}

// Request is what the fake recorded of one request.
type Request = fakehttp.Request

// NewHandler returns a fake without a listener (for synctest bubbles).
func NewHandler(apiID, apiKey string) *Server {
	s := &Server{apiID: apiID, apiKey: apiKey, users: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api-public/v1/incidents", s.list)
	mux.HandleFunc("PATCH /api-public/v1/incidents/ack", s.change("ack"))
	mux.HandleFunc("PATCH /api-public/v1/incidents/resolve", s.change("resolve"))
	s.Server = fakehttp.New(s.throttled(fakehttp.Guard(func(r *http.Request) bool {
		return fakehttp.HeadersAre(r, "X-VO-Api-Id", s.apiID, "X-VO-Api-Key", s.apiKey)
	}, fakehttp.JSONReply(http.StatusUnauthorized, map[string]any{"error": "Invalid API credentials"}), mux)))
	return s
}

// New starts a fake that accepts the apiID / apiKey pair.
func New(t testing.TB, apiID, apiKey string) *Server {
	s := NewHandler(apiID, apiKey)
	s.Listen(t)
	return s
}

// AddUser makes userName a member of the organisation.
func (s *Server) AddUser(userName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[userName] = true
}

// Trigger opens an incident and returns its number.
func (s *Server) Trigger(inc Incident) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	inc.Number = fmt.Sprint(s.seq)
	inc.Phase = "UNACKED"
	if inc.State == "" {
		inc.State = "CRITICAL"
	}
	if inc.Start.IsZero() {
		inc.Start = time.Now().UTC().Truncate(time.Millisecond)
	}
	s.incidents = append(s.incidents, &inc)
	return inc.Number
}

// Recover resolves an incident as its monitoring tool would.
func (s *Server) Recover(number string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inc := s.find(number); inc != nil {
		inc.Phase, inc.ResolvedBy, inc.ResolvedAt = "RESOLVED", "", time.Now().UTC()
	}
}

// Incident returns a copy of the incident's state.
func (s *Server) Incident(number string) (Incident, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inc := s.find(number); inc != nil {
		return *inc, true
	}
	return Incident{}, false
}

// Throttle makes the next request a 429 with Retry-After.
func (s *Server) Throttle(seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle = seconds
}

func (s *Server) find(number string) *Incident {
	for _, inc := range s.incidents {
		if inc.Number == number {
			return inc
		}
	}
	return nil
}

// throttled answers 429 to the request after Throttle.
func (s *Server) throttled(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		retry := s.throttle
		s.throttle = 0
		s.mu.Unlock()
		if retry > 0 {
			w.Header().Set("Retry-After", fmt.Sprint(retry))
			fakehttp.WriteJSON(w, http.StatusTooManyRequests, map[string]any{"error": "Too many requests"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) list(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, inc := range s.incidents {
		out = append(out, render(inc))
	}
	fakehttp.WriteJSON(w, http.StatusOK, map[string]any{"incidents": out})
}

// render gives an incident in the public API's shape.
func render(inc *Incident) map[string]any {
	transitions := []map[string]any{}
	if inc.AckedBy != "" {
		transitions = append(transitions, map[string]any{"name": "ACKED", "at": inc.AckedAt.Format(time.RFC3339Nano),
			"by": inc.AckedBy, "message": "via API", "manually": true})
	}
	if inc.Phase == "RESOLVED" {
		transitions = append(transitions, map[string]any{"name": "RESOLVED", "at": inc.ResolvedAt.Format(time.RFC3339Nano),
			"by": inc.ResolvedBy, "manually": inc.ResolvedBy != ""})
	}
	teams := []string{}
	if inc.Team != "" {
		teams = append(teams, inc.Team)
	}
	return map[string]any{
		"incidentNumber": inc.Number, "startTime": inc.Start.Format(time.RFC3339Nano),
		"currentPhase": inc.Phase, "entityState": inc.State, "entityType": "SERVICE",
		"entityId": "standby/" + inc.Number, "entityDisplayName": inc.Entity,
		"routingKey": "default", "alertCount": 1, "lastAlertTime": inc.Start.Format(time.RFC3339Nano),
		"lastAlertId": "a-" + inc.Number, "service": inc.Service, "host": "",
		"pagedUsers": []string{}, "pagedTeams": teams, "pagedPolicies": []any{},
		"transitions": transitions, "monitorName": "standby-test", "monitorType": "API",
		"incidentLink": "https://portal.victorops.com/ui/acme/incident/" + inc.Number + "/details",
	}
}

type changeRequest struct {
	UserName      string   `json:"userName"`
	IncidentNames []string `json:"incidentNames"`
	Message       string   `json:"message"`
}

func (s *Server) change(verb string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			fakehttp.WriteJSON(w, http.StatusUnsupportedMediaType, map[string]any{"error": "Content-Type must be application/json"})
			return
		}
		var req changeRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.UserName == "" || len(req.IncidentNames) == 0 {
			fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": "userName and incidentNames are required"})
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.users[req.UserName] {
			fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": "User " + req.UserName + " is not a member of this organization"})
			return
		}
		results := []map[string]any{}
		for _, n := range req.IncidentNames {
			results = append(results, s.apply(verb, n, req.UserName))
		}
		fakehttp.WriteJSON(w, http.StatusOK, map[string]any{"results": results})
	}
}

// apply changes one incident (s.mu held) and returns its result.
func (s *Server) apply(verb, number, user string) map[string]any {
	res := map[string]any{"incidentNumber": number, "entityId": "standby/" + number, "cmdAccepted": false}
	inc := s.find(number)
	switch {
	case inc == nil:
		res["message"] = "Incident " + number + " not found"
	case inc.Phase == "RESOLVED":
		res["message"] = "Incident " + number + " is resolved"
	case verb == "ack" && inc.Phase == "ACKED":
		res["message"] = "Incident " + number + " is already acknowledged"
	case verb == "ack":
		inc.Phase, inc.AckedBy, inc.AckedAt = "ACKED", user, time.Now().UTC()
		res["cmdAccepted"], res["message"] = true, "Incident acknowledged"
	default:
		inc.Phase, inc.ResolvedBy, inc.ResolvedAt = "RESOLVED", user, time.Now().UTC()
		res["cmdAccepted"], res["message"] = true, "Incident resolved"
	}
	return res
}
