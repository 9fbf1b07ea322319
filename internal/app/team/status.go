package team

import (
	"context"
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
	if members, err := c.Online(octx); err == nil {
		for _, p := range members {
			st.Online = append(st.Online, p.Member)
		}
	}
	return st
}
