package team

import (
	"context"
	"fmt"
	"time"
)

// Status is the team bus state for the window and `standby team status`.
type Status struct {
	Configured bool     `json:"configured"`
	Connected  bool     `json:"connected"`
	URL        string   `json:"url,omitempty"` // redacted
	Member     string   `json:"member,omitempty"`
	Err        string   `json:"error,omitempty"`
	Online     []string `json:"online,omitempty"`
	// Members are the online members' routing fields, with online asked.
	Members []Member `json:"members,omitempty"`
	// WatchErr is why the presence watch could not start ("" when it did).
	WatchErr string `json:"watch_error,omitempty"`
	// Hint says what to do next when working alone or failing.
	Hint string `json:"hint,omitempty"`
}

const joinHint = "Working alone: claims stay on this computer. Ask whoever runs standby-hub for a member token (`standby-hub add-member NAME`) and run `standby team join --token-stdin`."

const notConnectedHint = "Claims stay on this computer until the hub is reachable; check the URL and token with `standby team join`."

// Status reports the connection; with online it also asks the hub who is
// online (at most 3 s), otherwise it asks nothing (for snapshots).
func (t *Team) Status(ctx context.Context, online bool) Status {
	st := Status{Configured: t.Configured()}
	if !st.Configured {
		st.Hint = joinHint
		return st
	}
	t.mu.Lock()
	c, err := t.bus, t.busErr
	t.mu.Unlock()
	if c == nil {
		st.Err = "not connected"
		if err != nil {
			st.Err = err.Error()
		}
		st.Hint = notConnectedHint
		return st
	}
	st.Connected, st.URL, st.Member = c.Connected(), c.ConnectedURL(), c.Me()
	if !online {
		return st
	}
	octx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	members, err := c.Online(octx)
	if err != nil {
		st.WatchErr = fmt.Sprintf("watching presence: %v", err)
		return st
	}
	for _, p := range members {
		st.Online = append(st.Online, p.Member)
		st.Members = append(st.Members, Member{Name: p.Member, Online: true, OnCall: p.OnCall,
			OnCallUntil: p.OnCallUntil, Schedule: p.Schedule, Ringable: p.Ringable, Seen: p.Seen})
	}
	return st
}

// Member is one online teammate as `standby team status` lists them.
type Member struct {
	Name        string    `json:"name"`
	Online      bool      `json:"online"`
	OnCall      bool      `json:"on_call"`
	OnCallUntil time.Time `json:"on_call_until,omitzero"`
	Schedule    string    `json:"schedule,omitempty"`
	Ringable    bool      `json:"ringable"`
	// Seen is the hub's time of the member's last heartbeat.
	Seen time.Time `json:"seen"`
}
