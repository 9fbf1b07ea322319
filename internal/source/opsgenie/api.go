package opsgenie

import (
	"encoding/json"
	"time"
)

// Wire types of the Opsgenie Alert API v2 and JSM Ops alerts v1, reduced
// to what Standby reads.

type report struct {
	AckTime        int64  `json:"ackTime"`
	AcknowledgedBy string `json:"acknowledgedBy"`
	ClosedBy       string `json:"closedBy"`
}

type alert struct {
	ID           string    `json:"id"`
	TinyID       string    `json:"tinyId"`
	Alias        string    `json:"alias"`
	Message      string    `json:"message"`
	Status       string    `json:"status"` // open, closed
	Acknowledged bool      `json:"acknowledged"`
	Priority     string    `json:"priority"` // P1..P5
	Source       string    `json:"source"`
	Entity       string    `json:"entity"`
	Tags         []string  `json:"tags"`
	CreatedAt    time.Time `json:"createdAt"`
	Owner        string    `json:"owner"`
	Report       report    `json:"report"`
}

type links struct {
	Next string `json:"next"`
}

// listResponse reads Opsgenie's {"data", "paging"} and JSM's
// {"values", "links"}.
type listResponse[T any] struct {
	Data   []T   `json:"data"`
	Values []T   `json:"values"`
	Paging links `json:"paging"`
	Links  links `json:"links"`
}

func (r listResponse[T]) items() ([]T, bool) {
	if r.Data != nil {
		return r.Data, true
	}
	return r.Values, r.Values != nil
}

func (r listResponse[T]) next() string {
	if r.Paging.Next != "" {
		return r.Paging.Next
	}
	return r.Links.Next
}

type note struct {
	Note      string    `json:"note"`
	Owner     string    `json:"owner"`
	CreatedAt time.Time `json:"createdAt"`
}

// actionRequest is the body of acknowledge, unacknowledge, close and
// notes: {"user", "source", "note"}.
type actionRequest struct {
	User   string `json:"user,omitempty"`
	Source string `json:"source,omitempty"`
	Note   string `json:"note,omitempty"`
}

// accepted is the 202 answer: {"result", "took", "requestId"}.
type accepted struct {
	Result    string `json:"result"`
	RequestID string `json:"requestId"`
}

type requestStatus struct {
	Action    string `json:"action"`
	IsSuccess *bool  `json:"isSuccess"`
	Success   *bool  `json:"success"`
	Status    string `json:"status"`
	AlertID   string `json:"alertId"`
}

// statusResponse reads Opsgenie's {"data": {...}} and a bare object.
type statusResponse struct {
	Data *requestStatus `json:"data"`
	requestStatus
}

func (r statusResponse) status() requestStatus {
	if r.Data != nil {
		return *r.Data
	}
	return r.requestStatus
}

// vendorMessage reads the error body, {"message": "…"} (Opsgenie) or
// {"errors": [{"title"|"message": …}]} (Atlassian).
func vendorMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
		Errors  []struct {
			Title   string `json:"title"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return ""
	}
	if e.Message != "" {
		return e.Message
	}
	for _, x := range e.Errors {
		if x.Title != "" {
			return x.Title
		}
		if x.Message != "" {
			return x.Message
		}
	}
	return ""
}
