// Package pdfake is an in-process fake of the PagerDuty REST API v2 for
// tests: incidents, their status changes and notes, with the documented
// request and response shapes. It checks what the real API checks (the
// token, the v2 Accept header, the From header on changes, the body shape)
// and answers with PagerDuty's error body when they are wrong. Failures
// can be injected through Faults and Throttle.
package pdfake

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

// Accept is the header value the fake requires.
const Accept = "application/vnd.pagerduty+json;version=2"

// Server is the fake; URL is its API root, Faults injects generic
// failures before the API logic runs.
type Server struct {
	*fakehttp.Server
	// MaxLimit caps the page size a request may ask for (the real API:
	// 100); lower it to exercise pagination.
	MaxLimit int

	token string
	oauth bool

	mu        sync.Mutex
	seq       int
	incidents []*Incident
	users     map[string]User // by e-mail
	notes     map[string][]Note
	throttle  int // seconds for ratelimit-reset on the next request, 0: off
}

// User is a PagerDuty user the fake knows.
type User struct{ ID, Name, Email string }

// Incident is the fake's incident state, rendered in the API shape.
type Incident struct {
	ID, Title, Status, Urgency, Key string
	Number                          int
	ServiceID, Service, TeamID      string
	AssigneeIDs                     []string
	CreatedAt                       time.Time
	AckedBy                         *User
	AckedAt                         time.Time
}

// Note is an incident note.
type Note struct {
	ID        string
	User      User
	Content   string
	CreatedAt time.Time
}

// Request is what the fake recorded of one request.
type Request = fakehttp.Request

// New starts a fake that accepts token as a REST API key ("Token
// token=…"), or as an OAuth token ("Bearer …") when oauth is set.
func New(t testing.TB, token string, oauth bool) *Server {
	s := &Server{token: token, oauth: oauth, MaxLimit: 100,
		users: map[string]User{}, notes: map[string][]Note{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /incidents", s.listIncidents)
	mux.HandleFunc("PUT /incidents", s.updateIncidents)
	mux.HandleFunc("GET /incidents/{id}/notes", s.listNotes)
	mux.HandleFunc("POST /incidents/{id}/notes", s.createNote)
	s.Server = fakehttp.New(s.check(mux))
	s.Listen(t)
	return s
}

// AddUser registers a user who may act (From: email) and returns its id.
func (s *Server) AddUser(name, email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	u := User{ID: fmt.Sprintf("PU%05d", s.seq), Name: name, Email: email}
	s.users[email] = u
	return u.ID
}

// Trigger opens an incident and returns its id.
func (s *Server) Trigger(inc Incident) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	inc.ID = fmt.Sprintf("Q%013d", s.seq)
	inc.Number = s.seq
	inc.Status = "triggered"
	if inc.Urgency == "" {
		inc.Urgency = "high"
	}
	if inc.CreatedAt.IsZero() {
		inc.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	s.incidents = append(s.incidents, &inc)
	return inc.ID
}

// Resolve resolves an incident as its integration would.
func (s *Server) Resolve(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inc := s.find(id); inc != nil {
		inc.Status, inc.AckedBy = "resolved", nil
	}
}

// Incident returns a copy of the incident's state.
func (s *Server) Incident(id string) (Incident, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inc := s.find(id); inc != nil {
		return *inc, true
	}
	return Incident{}, false
}

// Notes returns the text of the incident's notes, oldest first.
func (s *Server) Notes(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, n := range s.notes[id] {
		out = append(out, n.Content)
	}
	return out
}

// AddNote adds a note as a teammate would from the PagerDuty UI.
func (s *Server) AddNote(id string, by User, content string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.notes[id] = append(s.notes[id], Note{ID: fmt.Sprintf("PN%05d", s.seq), User: by, Content: content, CreatedAt: at})
}

// Throttle makes the next request a 429 with PagerDuty's rate-limit headers.
func (s *Server) Throttle(resetSeconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle = resetSeconds
}

func (s *Server) find(id string) *Incident {
	for _, inc := range s.incidents {
		if inc.ID == id {
			return inc
		}
	}
	return nil
}

// writeError writes PagerDuty's error body.
func writeError(w http.ResponseWriter, status, code int, msg string, errs ...string) {
	body := map[string]any{"error": map[string]any{"message": msg, "code": code, "errors": errs}}
	if errs == nil {
		body["error"].(map[string]any)["errors"] = []string{}
	}
	writeJSON(w, status, body)
}

// writeJSON writes v as PagerDuty does, with a charset.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	fakehttp.WriteJSON(w, status, v)
}

func atoiDefault(s string, d int) int {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return n
	}
	return d
}
