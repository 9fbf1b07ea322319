// Package gafake is an in-process fake of the parts of GoAlert that the
// goalert source uses, following target/goalert's code: the basic login
// (POST /api/v2/identity/providers/basic, form username / password /
// noRedirect=1, Referer on the server's URL; answers the session token as
// plain text, 400 "unknown username/password", or a redirect with
// login_error=invalid referer) and /api/graphql with a Bearer session
// (401 "unauthorized" for an ended session; 400 "invalid signature" for a
// token signed with a key GoAlert no longer has — auth/authtoken/parse.go)
// serving Query.alerts (AlertSearchOptions: filterByStatus,
// filterByServiceID, favoritesOnly, first, after), Query.alert(id) and
// Mutation.updateAlerts (alertIDs, newStatus), which answers only the
// alerts it changed and null when it changed none (as
// alert.Store.UpdateManyAlertStatus does).
//
// It does not parse GraphQL: it recognises the operation by its field
// name and reads the variables, which is how the source sends every
// value. CI cannot build GoAlert, so this fake is what the suite runs.
package gafake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

// Server is the fake; URL is GoAlert's public URL, Faults injects
// generic failures before the API logic runs.
type Server struct {
	*fakehttp.Server

	user, password string

	mu        sync.Mutex
	seq       int
	logins    int
	sessions  map[string]bool
	unsigned  map[string]bool // tokens whose signing key is gone
	favorites []string
	alerts    []*Alert
}

// Alert is the fake's alert state.
type Alert struct {
	ID                       int
	Summary, Status, Service string // status: StatusUnacknowledged, StatusAcknowledged, StatusClosed
	Meta                     map[string]string
	CreatedAt                time.Time
}

// Request is what the fake recorded of one request.
type Request = fakehttp.Request

// New starts a fake with one user.
func New(t testing.TB, user, password string) *Server {
	s := &Server{user: user, password: password, sessions: map[string]bool{}, unsigned: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v2/identity/providers/basic", s.login)
	mux.HandleFunc("POST /api/graphql", s.graphql)
	s.Server = fakehttp.New(mux)
	s.Listen(t)
	return s
}

// Fire opens an alert and returns its id.
func (s *Server) Fire(a Alert) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	a.ID, a.Status = s.seq, "StatusUnacknowledged"
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC()
	}
	s.alerts = append(s.alerts, &a)
	return a.ID
}

// Close closes an alert as its integration would.
func (s *Server) Close(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.find(id); a != nil {
		a.Status = "StatusClosed"
	}
}

// Favorite marks services as the user's favourites.
func (s *Server) Favorite(services ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.favorites = append(s.favorites, services...)
}

// ExpireSessions ends every session, as a logout or an admin's "end all
// sessions" does: GoAlert then answers 401.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// DropSigningKeys makes every issued token's signature unverifiable, as
// GoAlert's daily session-key rotation does to a token older than its 30
// kept keys, or a restored database: GoAlert then answers 400 "invalid
// signature" before it looks for the session.
func (s *Server) DropSigningKeys() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok := range s.sessions {
		s.unsigned[tok] = true
	}
	clear(s.sessions)
}

// Logins counts successful logins.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Alert returns a copy of the alert's state.
func (s *Server) Alert(id int) (Alert, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.find(id); a != nil {
		return *a, true
	}
	return Alert{}, false
}

func (s *Server) find(id int) *Alert {
	for _, a := range s.alerts {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if ref := r.Header.Get("Referer"); !strings.HasPrefix(ref, s.URL+"/") {
		q := url.Values{"login_error": {"invalid referer"}}
		http.Redirect(w, r, s.URL+"/?"+q.Encode(), http.StatusTemporaryRedirect)
		return
	}
	if r.FormValue("noRedirect") != "1" {
		http.Redirect(w, r, s.URL+"/", http.StatusFound) // the browser flow sets a cookie; Standby never uses it
		return
	}
	if r.FormValue("username") != s.user || r.FormValue("password") != s.password {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, "unknown username/password")
		return
	}
	s.mu.Lock()
	s.logins++
	s.seq++
	tok := fmt.Sprintf("U2Vzc2lvbi0%dLnNpZ25hdHVyZQ", s.seq)
	s.sessions[tok] = true
	s.mu.Unlock()
	_, _ = io.WriteString(w, tok)
}

type gqlRequest struct {
	Query     string `json:"query"`
	Variables struct {
		Input json.RawMessage `json:"input"`
		ID    int             `json:"id"`
	} `json:"variables"`
}

func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	ok, unsigned := s.sessions[tok], s.unsigned[tok]
	s.mu.Unlock()
	if unsigned {
		http.Error(w, "invalid signature", http.StatusBadRequest)
		return
	}
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var req gqlRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, map[string]any{"errors": []map[string]any{{"message": "json body could not be decoded: " + err.Error()}}})
		return
	}
	switch {
	case strings.Contains(req.Query, "updateAlerts("):
		s.updateAlerts(w, req.Variables.Input)
	case strings.Contains(req.Query, "alerts("):
		s.listAlerts(w, req.Variables.Input)
	case strings.Contains(req.Query, "alert("):
		s.getAlert(w, req.Variables.ID)
	default:
		writeJSON(w, map[string]any{"errors": []map[string]any{{"message": "unknown operation"}}})
	}
}

func (s *Server) listAlerts(w http.ResponseWriter, raw json.RawMessage) {
	var in struct {
		FilterByStatus    []string `json:"filterByStatus"`
		FilterByServiceID []string `json:"filterByServiceID"`
		FavoritesOnly     bool     `json:"favoritesOnly"`
		First             int      `json:"first"`
		After             string   `json:"after"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		writeJSON(w, map[string]any{"errors": []map[string]any{{"message": "input: " + err.Error()}}})
		return
	}
	first := in.First
	if first <= 0 {
		first = 15
	}
	first = min(first, 1) // page every time, so partial failures show
	start, _ := strconv.Atoi(in.After)
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*Alert
	for _, a := range s.alerts {
		if (len(in.FilterByStatus) == 0 || slices.Contains(in.FilterByStatus, a.Status)) &&
			(len(in.FilterByServiceID) == 0 || slices.Contains(in.FilterByServiceID, a.Service)) &&
			(!in.FavoritesOnly || slices.Contains(s.favorites, a.Service)) {
			match = append(match, a)
		}
	}
	end := min(start+first, len(match))
	nodes := []map[string]any{}
	for _, a := range match[min(start, len(match)):end] {
		nodes = append(nodes, render(a))
	}
	writeJSON(w, map[string]any{"data": map[string]any{"alerts": map[string]any{"nodes": nodes,
		"pageInfo": map[string]any{"endCursor": strconv.Itoa(end), "hasNextPage": end < len(match)}}}})
}

func render(a *Alert) map[string]any {
	meta := []map[string]string{}
	for k, v := range a.Meta {
		meta = append(meta, map[string]string{"key": k, "value": v})
	}
	return map[string]any{"id": strconv.Itoa(a.ID), "alertID": a.ID, "status": a.Status, "summary": a.Summary,
		"details": "", "createdAt": a.CreatedAt.Format(time.RFC3339Nano), "serviceID": a.Service,
		"service": map[string]any{"id": a.Service, "name": "Service " + a.Service}, "meta": meta}
}

func (s *Server) updateAlerts(w http.ResponseWriter, raw json.RawMessage) {
	var in struct {
		AlertIDs  []int  `json:"alertIDs"`
		NewStatus string `json:"newStatus"`
	}
	if err := json.Unmarshal(raw, &in); err != nil || in.NewStatus == "" {
		writeJSON(w, map[string]any{"errors": []map[string]any{{"message": "input: alertIDs and newStatus required"}}})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any // null when nothing changed
	for _, id := range in.AlertIDs {
		a := s.find(id)
		if a == nil || a.Status == "StatusClosed" || a.Status == in.NewStatus {
			continue // GoAlert answers only the alerts it changed
		}
		a.Status = in.NewStatus
		out = append(out, render(a))
	}
	writeJSON(w, map[string]any{"data": map[string]any{"updateAlerts": out}})
}

// getAlert is Query.alert(id): the alert, or null.
func (s *Server) getAlert(w http.ResponseWriter, id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out map[string]any
	if a := s.find(id); a != nil {
		out = render(a)
	}
	writeJSON(w, map[string]any{"data": map[string]any{"alert": out}})
}

// writeJSON answers 200 with v: GraphQL errors come in the body.
func writeJSON(w http.ResponseWriter, v any) { fakehttp.WriteJSON(w, http.StatusOK, v) }
