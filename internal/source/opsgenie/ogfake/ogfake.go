// Package ogfake is an in-process fake of the Opsgenie Alert API v2 and of
// Jira Service Management Ops alerts v1 for tests, following the
// documented requests and answers (https://docs.opsgenie.com/docs/alert-api;
// https://developer.atlassian.com/cloud/jira/service-desk-ops/rest/v2/api-group-alerts/):
// list alerts (query status:open, offset and limit/size paging), list and
// add notes, acknowledge, unacknowledge and close, and get request status.
//
// Changes are asynchronous as upstream: a POST answers 202
// {"result": "Request will be processed", "requestId"} and the change is
// applied only when the request is processed, after ProcessAfter status
// polls (the status answers 404 "Request not found. It might not be
// processed, yet." before that) or never while Hold is set. A change of an
// unknown alert is accepted and then fails ("Alert does not exist").
//
// It checks the Authorization header (GenieKey for Opsgenie, Basic e-mail
// and token for JSM Ops), JSON bodies and identifierType=id.
package ogfake

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

// Server is the fake; URL is its API root (once listening), Faults
// injects generic failures before the API logic runs.
type Server struct {
	*fakehttp.Server
	// MaxLimit caps the page size (upstream: 100); lower it to page.
	MaxLimit int
	// ProcessAfter is how many status polls see a request unprocessed.
	ProcessAfter int

	jsm    bool
	auth   string
	prefix string

	mu      sync.Mutex
	seq     int
	hold    bool
	alerts  []*Alert
	notes   map[string][]Note
	pending map[string]*change
}

// Alert is the fake's alert state.
type Alert struct {
	ID, TinyID, Message, Priority, Alias, Entity string
	Status                                       string // open, closed
	Acknowledged                                 bool
	AckedBy                                      string
	CreatedAt                                    time.Time
}

// Note is an alert note.
type Note struct {
	Text, Owner string
	CreatedAt   time.Time
}

// Request is what the fake recorded of one request.
type Request = fakehttp.Request

type change struct {
	action, alertID, user, note string
	polls                       int
	done                        bool
	ok                          bool
	status                      string
}

// NewHandler returns a fake without a listener (for synctest bubbles).
// jsm selects JSM Ops (Basic email:key, /v1) instead of Opsgenie
// (GenieKey key, /v2).
func NewHandler(jsm bool, email, key string) *Server {
	s := &Server{jsm: jsm, MaxLimit: 100, ProcessAfter: 1, notes: map[string][]Note{}, pending: map[string]*change{}}
	s.auth, s.prefix = "GenieKey "+key, "/v2"
	if jsm {
		s.auth, s.prefix = "Basic "+base64.StdEncoding.EncodeToString([]byte(email+":"+key)), "/v1"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+s.prefix+"/alerts", s.list)
	mux.HandleFunc("GET "+s.prefix+"/alerts/{id}/{sub}", s.get)
	mux.HandleFunc("POST "+s.prefix+"/alerts/{id}/{action}", s.act)
	s.Server = fakehttp.New(fakehttp.Guard(func(r *http.Request) bool {
		return fakehttp.HeadersAre(r, "Authorization", s.auth)
	}, func(w http.ResponseWriter, _ *http.Request) {
		s.writeError(w, http.StatusUnauthorized, "Could not authenticate")
	}, mux))
	return s
}

// New starts a listening fake.
func New(t testing.TB, jsm bool, email, key string) *Server {
	s := NewHandler(jsm, email, key)
	s.Listen(t)
	return s
}

// Hold stops (true) or resumes (false) processing of changes.
func (s *Server) Hold(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = on
}

// Create opens an alert and returns its id.
func (s *Server) Create(a Alert) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	a.ID = fmt.Sprintf("70413a06-38d6-4c85-92b8-5ebc900d42e2-%d", s.seq)
	a.TinyID, a.Status = strconv.Itoa(s.seq), "open"
	if a.Priority == "" {
		a.Priority = "P3"
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	}
	s.alerts = append(s.alerts, &a)
	return a.ID
}

// Close closes an alert as its integration would.
func (s *Server) Close(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.find(id); a != nil {
		a.Status = "closed"
	}
}

// Alert returns a copy of the alert's state.
func (s *Server) Alert(id string) (Alert, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.find(id); a != nil {
		return *a, true
	}
	return Alert{}, false
}

// AddNote adds a note as a teammate would in the UI.
func (s *Server) AddNote(id, owner, text string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes[id] = append(s.notes[id], Note{Text: text, Owner: owner, CreatedAt: at})
}

// Notes returns the text of the alert's notes, oldest first.
func (s *Server) Notes(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, n := range s.notes[id] {
		out = append(out, n.Text)
	}
	return out
}

func (s *Server) find(id string) *Alert {
	for _, a := range s.alerts {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// get serves …/alerts/requests/{requestId} and …/alerts/{id}/notes.
func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.PathValue("id") == "requests":
		s.status(w, r, r.PathValue("sub"))
	case r.PathValue("sub") == "notes":
		s.listNotes(w, r)
	default:
		s.writeError(w, http.StatusNotFound, "Not found")
	}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	openOnly := strings.Contains(q.Get("query"), "status:open")
	s.mu.Lock()
	var match []map[string]any
	for i := len(s.alerts) - 1; i >= 0; i-- { // sort=createdAt order=desc
		if a := s.alerts[i]; !openOnly || a.Status == "open" {
			match = append(match, render(a))
		}
	}
	s.mu.Unlock()
	s.writePage(w, r, match)
}

// writePage pages by offset and limit (Opsgenie) or size (JSM).
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, all []map[string]any) {
	q := r.URL.Query()
	sizeKey := "limit"
	if s.jsm {
		sizeKey = "size"
	}
	limit := min(atoi(q.Get(sizeKey), 20), s.MaxLimit)
	offset := atoi(q.Get("offset"), 0)
	end := min(offset+limit, len(all))
	batch := []map[string]any{}
	if offset < len(all) {
		batch = all[offset:end]
	}
	next := ""
	if end < len(all) {
		q.Set("offset", strconv.Itoa(end))
		next = "http://" + r.Host + r.URL.Path + "?" + q.Encode()
	}
	if s.jsm {
		body := map[string]any{"values": batch, "count": len(all), "links": map[string]any{}}
		if next != "" {
			body["links"] = map[string]any{"next": next}
		}
		fakehttp.WriteJSON(w, http.StatusOK, body)
		return
	}
	paging := map[string]any{"first": "…", "last": "…"}
	if next != "" {
		paging["next"] = next
	}
	fakehttp.WriteJSON(w, http.StatusOK, map[string]any{"data": batch, "paging": paging, "took": 0.02, "requestId": "list"})
}

func render(a *Alert) map[string]any {
	rep := map[string]any{}
	if a.Acknowledged {
		rep = map[string]any{"ackTime": 15702, "acknowledgedBy": a.AckedBy}
	}
	return map[string]any{
		"id": a.ID, "tinyId": a.TinyID, "alias": a.Alias, "message": a.Message, "status": a.Status,
		"acknowledged": a.Acknowledged, "isSeen": true, "tags": []string{}, "snoozed": false, "count": 1,
		"lastOccurredAt": a.CreatedAt.Format(time.RFC3339Nano), "createdAt": a.CreatedAt.Format(time.RFC3339Nano),
		"updatedAt": a.CreatedAt.Format(time.RFC3339Nano), "source": "standby-test", "owner": "",
		"priority": a.Priority, "entity": a.Entity, "report": rep,
	}
}

func atoi(v string, d int) int {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n
	}
	return d
}

func (s *Server) writeError(w http.ResponseWriter, status int, msg string) {
	if s.jsm {
		fakehttp.WriteJSON(w, status, map[string]any{"errors": []map[string]any{{"title": msg, "code": status}}})
		return
	}
	fakehttp.WriteJSON(w, status, map[string]any{"message": msg, "took": 0.001, "requestId": "err"})
}
