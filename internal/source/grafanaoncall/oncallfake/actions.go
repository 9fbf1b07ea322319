package oncallfake

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

// refusal is the engine's 400 for an action in the wrong state.
func refusal(action, state string) string {
	switch {
	case state == "resolved" && action != "resolve":
		return "Can't " + action + " a resolved alert group"
	case action == "acknowledge" && state == "acknowledged":
		return "Can't acknowledge an acknowledged alert group"
	case action == "unacknowledge" && state != "acknowledged":
		return "Can't unacknowledge an unacknowledged alert group"
	case action == "resolve" && state == "resolved":
		return "Can't resolve a resolved alert group"
	case action == "silence" && state == "acknowledged":
		return "Can't silence an acknowledged alert group"
	}
	return ""
}

var nextState = map[string]string{"acknowledge": "acknowledged", "unacknowledge": "new", "resolve": "resolved", "silence": "silenced"}

func (s *Server) act(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	to, ok := nextState[action]
	if !ok {
		fakehttp.WriteJSON(w, http.StatusNotFound, map[string]any{"detail": "Not found."})
		return
	}
	if len(s.token) > 5 && s.token[:5] == "glsa_" {
		fakehttp.WriteJSON(w, http.StatusForbidden, map[string]any{"detail": "Service accounts are not allowed to " + action + " alert groups"})
		return
	}
	var body struct {
		Delay *int `json:"delay"`
	}
	if action == "silence" {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Delay == nil || *body.Delay < -1 {
			fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]any{"detail": "delay is required"})
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.find(r.PathValue("id"))
	if g == nil {
		fakehttp.WriteJSON(w, http.StatusNotFound, map[string]any{"detail": "Not found."})
		return
	}
	if msg := refusal(action, g.State); msg != "" {
		fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]any{"detail": msg})
		return
	}
	g.State = to
	g.AckedBy = ""
	if to == "acknowledged" {
		g.AckedBy = s.owner.ID
	}
	if body.Delay != nil {
		g.SilenceDelay = *body.Delay
	}
	w.WriteHeader(http.StatusOK) // the engine answers with an empty body
}

func (s *Server) listNotes(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("alert_group_id")
	s.mu.Lock()
	var out []map[string]any
	for _, n := range s.notes {
		if id == "" || n.GroupID == id {
			out = append(out, renderNote(n))
		}
	}
	s.mu.Unlock()
	s.writePage(w, r, out)
}

func renderNote(n Note) map[string]any {
	return map[string]any{"id": n.ID, "alert_group_id": n.GroupID, "author": n.Author, "source": "web",
		"created_at": n.CreatedAt.Format(time.RFC3339Nano), "text": n.Text}
}

func (s *Server) createNote(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AlertGroupID string `json:"alert_group_id"`
		Text         string `json:"text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.AlertGroupID == "" || req.Text == "" {
		fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]any{"text": []string{"This field is required."}})
		return
	}
	if _, ok := s.Group(req.AlertGroupID); !ok {
		fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]any{"alert_group_id": []string{"Alert group does not exist"}})
		return
	}
	s.AddNote(req.AlertGroupID, s.owner, req.Text, time.Now().UTC())
	s.mu.Lock()
	n := s.notes[len(s.notes)-1]
	s.mu.Unlock()
	fakehttp.WriteJSON(w, http.StatusCreated, renderNote(n))
}
