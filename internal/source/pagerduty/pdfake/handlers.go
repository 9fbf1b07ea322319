package pdfake

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// check enforces the rules every endpoint shares: rate limit, token,
// Accept, and for changes JSON and a known From user.
func (s *Server) check(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		reset := s.throttle
		s.throttle = 0
		s.mu.Unlock()
		if reset > 0 {
			w.Header().Set("ratelimit-limit", "960")
			w.Header().Set("ratelimit-remaining", "0")
			w.Header().Set("ratelimit-reset", strconv.Itoa(reset))
			writeError(w, http.StatusTooManyRequests, 2020, "Rate Limit Exceeded")
			return
		}
		if !s.authorized(r) {
			writeError(w, http.StatusUnauthorized, 2006, "Invalid Credentials")
			return
		}
		if r.Header.Get("Accept") != Accept {
			writeError(w, http.StatusNotAcceptable, 2001, "Invalid Input Provided", "Accept must select API version 2")
			return
		}
		if r.Method != http.MethodGet && !s.checkChange(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) authorized(r *http.Request) bool {
	want := "Token token=" + s.token
	if s.oauth {
		want = "Bearer " + s.token
	}
	return r.Header.Get("Authorization") == want
}

// checkChange enforces JSON bodies and the From header on changes.
func (s *Server) checkChange(w http.ResponseWriter, r *http.Request) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, http.StatusBadRequest, 2001, "Invalid Input Provided", "Content-Type must be application/json")
		return false
	}
	from := r.Header.Get("From")
	if from == "" {
		writeError(w, http.StatusBadRequest, 2016,
			`You must specify a user's email address in the "From" header to perform this action`)
		return false
	}
	if _, ok := s.user(from); !ok {
		writeError(w, http.StatusBadRequest, 1008, "Requester User Not Found")
		return false
	}
	return true
}

func (s *Server) user(email string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[email]
	return u, ok
}

func (s *Server) listIncidents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := min(atoiDefault(q.Get("limit"), 25), s.MaxLimit)
	offset := atoiDefault(q.Get("offset"), 0)
	s.mu.Lock()
	var match []map[string]any
	for _, inc := range s.incidents {
		if matches(inc, q["statuses[]"], q["user_ids[]"], q["team_ids[]"]) {
			match = append(match, s.render(inc))
		}
	}
	s.mu.Unlock()
	end := min(offset+limit, len(match))
	page := []map[string]any{}
	if offset < len(match) {
		page = match[offset:end]
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": page, "limit": limit, "offset": offset,
		"more": end < len(match), "total": nil})
}

func matches(inc *Incident, statuses, users, teams []string) bool {
	if len(statuses) > 0 && !slices.Contains(statuses, inc.Status) {
		return false
	}
	if len(teams) > 0 && !slices.Contains(teams, inc.TeamID) {
		return false
	}
	if len(users) > 0 && !slices.ContainsFunc(inc.AssigneeIDs, func(id string) bool { return slices.Contains(users, id) }) {
		return false
	}
	return true
}

// render gives the incident in the API's shape (s.mu held).
func (s *Server) render(inc *Incident) map[string]any {
	acks := []any{}
	if inc.AckedBy != nil && inc.Status == "acknowledged" {
		acks = append(acks, map[string]any{"at": inc.AckedAt, "acknowledger": map[string]any{
			"id": inc.AckedBy.ID, "type": "user_reference", "summary": inc.AckedBy.Name}})
	}
	return map[string]any{
		"id": inc.ID, "type": "incident", "summary": fmt.Sprintf("[#%d] %s", inc.Number, inc.Title), "title": inc.Title,
		"incident_number": inc.Number, "status": inc.Status, "urgency": inc.Urgency,
		"html_url": "https://acme.pagerduty.com/incidents/" + inc.ID, "incident_key": inc.Key,
		"created_at":       inc.CreatedAt.Format(time.RFC3339),
		"service":          map[string]any{"id": inc.ServiceID, "type": "service_reference", "summary": inc.Service},
		"acknowledgements": acks,
	}
}

func (s *Server) updateIncidents(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Incidents []struct{ ID, Type, Status string } `json:"incidents"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Incidents) == 0 {
		writeError(w, http.StatusBadRequest, 2001, "Invalid Input Provided", "incidents must be a non-empty array")
		return
	}
	by, _ := s.user(r.Header.Get("From"))
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, ref := range req.Incidents {
		inc := s.find(ref.ID)
		switch {
		case inc == nil:
			writeError(w, http.StatusNotFound, 2100, "Not Found")
			return
		case ref.Type != "incident_reference" && ref.Type != "incident":
			writeError(w, http.StatusBadRequest, 2001, "Invalid Input Provided", "type must be incident_reference")
			return
		case ref.Status != "acknowledged" && ref.Status != "resolved":
			writeError(w, http.StatusBadRequest, 2001, "Invalid Input Provided", "status is invalid")
			return
		case inc.Status == "resolved":
			writeError(w, http.StatusBadRequest, 2001, "Invalid Input Provided", "Incident Already Resolved")
			return
		}
		inc.Status = ref.Status
		if ref.Status == "acknowledged" {
			inc.AckedBy, inc.AckedAt = &by, time.Now().UTC()
		}
		out = append(out, s.render(inc))
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": out})
}

func (s *Server) listNotes(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.find(id) == nil {
		writeError(w, http.StatusNotFound, 2100, "Not Found")
		return
	}
	notes := []any{}
	for _, n := range s.notes[id] {
		notes = append(notes, renderNote(n))
	}
	writeJSON(w, http.StatusOK, map[string]any{"notes": notes})
}

func renderNote(n Note) map[string]any {
	return map[string]any{"id": n.ID, "content": n.Content, "created_at": n.CreatedAt.Format(time.RFC3339),
		"user":    map[string]any{"id": n.User.ID, "type": "user_reference", "summary": n.User.Name},
		"channel": map[string]any{"summary": "The PagerDuty website or APIs"}}
}

func (s *Server) createNote(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Note struct{ Content string } `json:"note"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Note.Content == "" {
		writeError(w, http.StatusBadRequest, 2001, "Invalid Input Provided", "Note content is required")
		return
	}
	by, _ := s.user(r.Header.Get("From"))
	id := r.PathValue("id")
	if _, ok := s.Incident(id); !ok {
		writeError(w, http.StatusNotFound, 2100, "Not Found")
		return
	}
	s.AddNote(id, by, req.Note.Content, time.Now().UTC().Truncate(time.Second))
	s.mu.Lock()
	n := s.notes[id][len(s.notes[id])-1]
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"note": renderNote(n)})
}
