package ogfake

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

var actions = map[string]bool{"acknowledge": true, "unacknowledge": true, "close": true, "notes": true}

func (s *Server) act(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	if !actions[action] {
		s.writeError(w, http.StatusNotFound, "Not found")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		s.writeError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	if t := r.URL.Query().Get("identifierType"); t != "" && t != "id" {
		s.writeError(w, http.StatusUnprocessableEntity, "Standby uses ids only")
		return
	}
	var body struct{ User, Source, Note string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		s.writeError(w, http.StatusBadRequest, "Invalid JSON")
		return
	}
	if action == "notes" && body.Note == "" {
		s.writeError(w, http.StatusUnprocessableEntity, "Note should be provided")
		return
	}
	s.mu.Lock()
	s.seq++
	rid := fmt.Sprintf("43a29c5c-3dbf-4fa4-9c26-f4f71023e12%d", s.seq)
	s.pending[rid] = &change{action: action, alertID: r.PathValue("id"), user: body.User, note: body.Note}
	s.mu.Unlock()
	fakehttp.WriteJSON(w, http.StatusAccepted, map[string]any{"result": "Request will be processed", "took": 0.107, "requestId": rid})
}

func (s *Server) status(w http.ResponseWriter, _ *http.Request, rid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.pending[rid]
	if ok && !c.done && !s.hold {
		c.polls++
		if c.polls > s.ProcessAfter {
			s.process(c)
		}
	}
	if !ok || !c.done {
		s.writeError(w, http.StatusNotFound, "Request not found. It might not be processed, yet.")
		return
	}
	data := map[string]any{"success": c.ok, "action": actionName[c.action], "processedAt": time.Now().UTC().Format(time.RFC3339Nano),
		"integrationId": "c9cec2cb-e782-4ebb-bc1d-1b2fa703cf03", "isSuccess": c.ok, "status": c.status, "alertId": c.alertID}
	if s.jsm {
		fakehttp.WriteJSON(w, http.StatusOK, data)
		return
	}
	fakehttp.WriteJSON(w, http.StatusOK, map[string]any{"data": data, "took": 0.022, "requestId": rid})
}

var actionName = map[string]string{"acknowledge": "Acknowledge", "unacknowledge": "UnAcknowledge", "close": "Close", "notes": "AddNote"}

// process applies a change (s.mu held).
func (s *Server) process(c *change) {
	c.done = true
	a := s.find(c.alertID)
	if a == nil {
		c.status = "Alert does not exist"
		return
	}
	c.ok = true
	switch c.action {
	case "acknowledge":
		if a.Status == "closed" {
			c.ok, c.status = false, "Alert is already closed"
			return
		}
		a.Acknowledged, a.AckedBy, c.status = true, c.user, "Acknowledged"
	case "unacknowledge":
		a.Acknowledged, a.AckedBy, c.status = false, "", "UnAcknowledged"
	case "close":
		a.Status, c.status = "closed", "Closed"
	case "notes":
		s.notes[a.ID] = append(s.notes[a.ID], Note{Text: c.note, Owner: c.user, CreatedAt: time.Now().UTC()})
		c.status = "Added note"
	}
}

func (s *Server) listNotes(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	if s.find(id) == nil {
		s.mu.Unlock()
		s.writeError(w, http.StatusNotFound, "Alert with id ["+id+"] does not exist")
		return
	}
	out := []map[string]any{}
	for i, n := range s.notes[id] {
		out = append(out, map[string]any{"note": n.Text, "owner": n.Owner,
			"createdAt": n.CreatedAt.Format(time.RFC3339Nano), "offset": fmt.Sprint(i)})
	}
	s.mu.Unlock()
	s.writePage(w, r, out)
}
