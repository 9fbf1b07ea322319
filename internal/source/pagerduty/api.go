package pagerduty

import (
	"strings"
	"time"
)

// Wire types of the PagerDuty REST API v2, reduced to what Standby reads.

type reference struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Summary string `json:"summary"`
}

type acknowledgement struct {
	At           time.Time `json:"at"`
	Acknowledger reference `json:"acknowledger"`
}

type incident struct {
	ID               string            `json:"id"`
	Title            string            `json:"title"`
	Summary          string            `json:"summary"`
	IncidentNumber   int               `json:"incident_number"`
	Status           string            `json:"status"`  // triggered, acknowledged, resolved
	Urgency          string            `json:"urgency"` // high, low
	HTMLURL          string            `json:"html_url"`
	IncidentKey      string            `json:"incident_key"`
	CreatedAt        time.Time         `json:"created_at"`
	Service          reference         `json:"service"`
	Priority         *reference        `json:"priority"`
	Acknowledgements []acknowledgement `json:"acknowledgements"`
}

type listIncidentsResponse struct {
	Incidents []incident `json:"incidents"`
	Limit     int        `json:"limit"`
	Offset    int        `json:"offset"`
	More      bool       `json:"more"`
}

type incidentRef struct {
	ID     string `json:"id"`
	Type   string `json:"type"` // incident_reference
	Status string `json:"status"`
}

type updateIncidentsRequest struct {
	Incidents []incidentRef `json:"incidents"`
}

type updateIncidentsResponse struct {
	Incidents []incident `json:"incidents"`
}

type note struct {
	ID        string    `json:"id,omitempty"`
	User      reference `json:"user,omitzero"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"created_at,omitzero"`
}

type noteRequest struct {
	Note note `json:"note"`
}

type noteResponse struct {
	Note note `json:"note"`
}

type listNotesResponse struct {
	Notes []note `json:"notes"`
}

// errorBody is PagerDuty's error shape:
// {"error":{"message":"Invalid Input Provided","code":2001,"errors":["…"]}}.
type errorBody struct {
	Error struct {
		Message string   `json:"message"`
		Code    int      `json:"code"`
		Errors  []string `json:"errors"`
	} `json:"error"`
}

// text renders PagerDuty's error body for a message.
func (e errorBody) text() string {
	msg := e.Error.Message
	if len(e.Error.Errors) > 0 {
		msg += ": " + strings.Join(e.Error.Errors, "; ")
	}
	return msg
}
