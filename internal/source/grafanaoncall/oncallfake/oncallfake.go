// Package oncallfake is an in-process fake of the Grafana OnCall public
// API v1 for tests: alert groups (list with state / team / integration /
// route filters and page-number pagination, details, acknowledge,
// unacknowledge, resolve, silence), resolution notes and users, with the
// request and response shapes of the API reference
// (https://grafana.com/docs/oncall/latest/oncall-api-reference/alertgroups/,
// .../resolution_notes/, .../users/) and the refusals of the engine's
// public_api/views/alert_groups.py (400 "Can't acknowledge an acknowledged
// alert group", 403 for service accounts, 404 {"detail":"Not found."}).
//
// It checks the Authorization header (the token as is, or Bearer for
// "glsa_" service-account tokens) and, when RequireGrafanaURL is set, the
// X-Grafana-URL header Grafana Cloud IRM needs.
package oncallfake

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

// Server is the fake; URL is its API root, Faults injects generic
// failures before the API logic runs.
type Server struct {
	*fakehttp.Server
	// PageSize is the list page size (the real API: 50).
	PageSize int
	// RequireGrafanaURL, when set, is the X-Grafana-URL every request
	// must carry.
	RequireGrafanaURL string

	token string
	owner User

	mu     sync.Mutex
	seq    int
	groups []*Group
	notes  []Note
	users  map[string]User
}

// User is an OnCall user.
type User struct{ ID, Username, Email string }

// Group is the fake's alert group state.
type Group struct {
	ID, Title, State, TeamID, IntegrationID, RouteID string
	Number                                           int
	Labels                                           map[string]string
	CreatedAt                                        time.Time
	AckedBy                                          string // user id
	SilenceDelay                                     int
}

// Note is a resolution note.
type Note struct {
	ID, GroupID, Author, Text string
	CreatedAt                 time.Time
}

// Request is what the fake recorded of one request.
type Request = fakehttp.Request

// New starts a fake whose token belongs to owner.
func New(t testing.TB, token string, owner User) *Server {
	s := &Server{token: token, owner: owner, PageSize: 50, users: map[string]User{owner.ID: owner}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/alert_groups/{$}", s.listGroups)
	mux.HandleFunc("GET /api/v1/alert_groups/{id}/{$}", s.getGroup)
	mux.HandleFunc("POST /api/v1/alert_groups/{id}/{action}", s.act)
	mux.HandleFunc("GET /api/v1/resolution_notes/{$}", s.listNotes)
	mux.HandleFunc("POST /api/v1/resolution_notes/{$}", s.createNote)
	mux.HandleFunc("GET /api/v1/users/{id}/{$}", s.getUser)
	mux.Handle("/", fakehttp.JSONReply(http.StatusNotFound, map[string]any{"detail": "Not found."}))
	s.Server = fakehttp.New(fakehttp.Guard(s.authorized,
		fakehttp.JSONReply(http.StatusUnauthorized, map[string]any{"detail": "Invalid token."}), mux))
	s.Listen(t)
	return s
}

// Fire opens an alert group and returns its id.
func (s *Server) Fire(g Group) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	g.ID, g.Number, g.State = fmt.Sprintf("I%012d", s.seq), s.seq, "new"
	if g.CreatedAt.IsZero() {
		g.CreatedAt = time.Now().UTC()
	}
	s.groups = append(s.groups, &g)
	return g.ID
}

// Resolve resolves the group as its integration would.
func (s *Server) Resolve(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.find(id); g != nil {
		g.State = "resolved"
	}
}

// Group returns a copy of the group's state.
func (s *Server) Group(id string) (Group, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.find(id); g != nil {
		return *g, true
	}
	return Group{}, false
}

// AddNote adds a resolution note as author would in the OnCall UI.
func (s *Server) AddNote(groupID string, author User, text string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[author.ID] = author
	s.seq++
	s.notes = append(s.notes, Note{ID: fmt.Sprintf("M%012d", s.seq), GroupID: groupID, Author: author.ID, Text: text, CreatedAt: at})
}

// Notes returns the text of the group's resolution notes, oldest first.
func (s *Server) Notes(groupID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, n := range s.notes {
		if n.GroupID == groupID {
			out = append(out, n.Text)
		}
	}
	return out
}

func (s *Server) find(id string) *Group {
	for _, g := range s.groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// authorized checks the token (Bearer for service-account tokens) and the
// X-Grafana-URL header when RequireGrafanaURL is set.
func (s *Server) authorized(r *http.Request) bool {
	want := s.token
	if strings.HasPrefix(s.token, "glsa_") {
		want = "Bearer " + s.token
	}
	return fakehttp.HeadersAre(r, "Authorization", want) &&
		(s.RequireGrafanaURL == "" || fakehttp.HeadersAre(r, "X-Grafana-URL", s.RequireGrafanaURL))
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if st := q.Get("state"); st != "" && !slices.Contains([]string{"new", "acknowledged", "silenced", "resolved"}, st) {
		fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]any{"state": "Must be one of the following: new, acknowledged, resolved, silenced"})
		return
	}
	s.mu.Lock()
	var match []map[string]any
	for i := len(s.groups) - 1; i >= 0; i-- { // order_by -started_at
		if g := s.groups[i]; matches(g, q) {
			match = append(match, s.render(g))
		}
	}
	s.mu.Unlock()
	s.writePage(w, r, match)
}

func matches(g *Group, q map[string][]string) bool {
	for k, v := range map[string]string{"state": g.State, "team_id": g.TeamID, "integration_id": g.IntegrationID, "route_id": g.RouteID} {
		if want := q[k]; len(want) > 0 && want[0] != "" && want[0] != v {
			return false
		}
	}
	return true
}

// writePage writes one page of results with DRF's page-number pagination.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, all []map[string]any) {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = max(n, 1)
	start, end := (n-1)*s.PageSize, min(n*s.PageSize, len(all))
	if start > len(all) || (start == len(all) && n > 1) {
		fakehttp.WriteJSON(w, http.StatusNotFound, map[string]any{"detail": "Invalid page."})
		return
	}
	var next any
	if end < len(all) {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n+1))
		next = "http://" + r.Host + r.URL.Path + "?" + q.Encode()
	}
	results := all[start:end]
	if results == nil {
		results = []map[string]any{}
	}
	fakehttp.WriteJSON(w, http.StatusOK, map[string]any{"count": len(all), "next": next, "previous": nil, "results": results,
		"current_page_number": n, "page_size": s.PageSize, "total_pages": (len(all) + s.PageSize - 1) / max(s.PageSize, 1)})
}

// render gives a group in the API's shape (s.mu held).
func (s *Server) render(g *Group) map[string]any {
	labels := []map[string]any{}
	for k, v := range g.Labels {
		labels = append(labels, map[string]any{"key": map[string]string{"id": "K" + k, "name": k},
			"value": map[string]string{"id": "V" + v, "name": v}})
	}
	var acked any
	if g.AckedBy != "" && g.State == "acknowledged" {
		acked = g.AckedBy
	}
	return map[string]any{
		"id": g.ID, "alert_group_number": g.Number, "integration_id": g.IntegrationID, "team_id": g.TeamID,
		"route_id": g.RouteID, "alerts_count": 1, "state": g.State, "title": g.Title,
		"created_at": g.CreatedAt.Format(time.RFC3339Nano), "acknowledged_by": acked, "resolved_by": nil,
		"labels":     labels,
		"permalinks": map[string]any{"slack": nil, "telegram": nil, "web": "https://oncall.example.com/alert-groups/" + g.ID},
	}
}

func (s *Server) getGroup(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.find(r.PathValue("id"))
	if g == nil {
		fakehttp.WriteJSON(w, http.StatusNotFound, map[string]any{"detail": "Not found."})
		return
	}
	fakehttp.WriteJSON(w, http.StatusOK, s.render(g))
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[r.PathValue("id")]
	if !ok {
		fakehttp.WriteJSON(w, http.StatusNotFound, map[string]any{"detail": "Not found."})
		return
	}
	fakehttp.WriteJSON(w, http.StatusOK, map[string]any{"id": u.ID, "email": u.Email, "username": u.Username, "role": "user"})
}
