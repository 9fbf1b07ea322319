package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/secrets"
)

// TeamStatus is the team bus state for the window and `standby team status`.
type TeamStatus struct {
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

// TeamJoin stores the member token in the keyring and points the config at
// the hub URLs it carries. The user's name defaults to the token's member.
func (s *Service) TeamJoin(ctx context.Context, token string, urls []string) (bus.Token, error) {
	tok, err := bus.ParseToken(token)
	if err != nil {
		return bus.Token{}, err
	}
	if len(urls) == 0 {
		urls = tok.URLs
	}
	if s.secrets == nil {
		return bus.Token{}, errors.New("no keyring available to store the team token")
	}
	if err := s.writable(); err != nil {
		return bus.Token{}, err
	}
	if err := s.secrets.Set(ctx, secrets.TeamKey, token); err != nil {
		return bus.Token{}, err
	}
	err = s.UpdateConfig(func(c *config.Config) error {
		c.Team.URLs = urls
		if c.User.Name == "" {
			c.User.Name = tok.Member
		}
		return nil
	})
	return tok, err
}

// teamConfigured reports whether a team bus is set up.
func (s *Service) teamConfigured() bool { return len(s.Config().Team.URLs) > 0 }

// ConnectTeam joins the team bus and follows claims and pages until ctx
// ends. It waits until the claims known at connect time are applied, so a
// one-shot command sees them; the watch goes on in the background.
func (s *Service) ConnectTeam(ctx context.Context) error {
	if !s.teamConfigured() || s.secrets == nil {
		return nil
	}
	token, err := s.secrets.Get(ctx, secrets.TeamKey)
	if err != nil {
		return s.teamFailed(fmt.Errorf("reading the team token: %w", err))
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := bus.Connect(cctx, bus.Config{URLs: s.Config().Team.URLs, Token: token, Name: "standby " + s.Me()})
	if err != nil {
		return s.teamFailed(err)
	}
	s.mu.Lock()
	s.bus, s.busErr = c, nil
	s.mu.Unlock()
	go func() {
		<-ctx.Done()
		c.Close()
		s.mu.Lock()
		if s.bus == c {
			s.bus = nil
		}
		s.mu.Unlock()
	}()
	claims, err := c.WatchClaims(ctx)
	if err != nil {
		return s.teamFailed(err)
	}
	synced := make(chan struct{})
	go s.followClaims(claims, synced)
	if pages, err := c.WatchPages(ctx, 0); err == nil {
		go s.followPages(ctx, pages)
	}
	select {
	case <-synced:
	case <-cctx.Done():
	}
	s.broadcast()
	return nil
}

func (s *Service) teamFailed(err error) error {
	s.mu.Lock()
	s.busErr = err
	s.mu.Unlock()
	s.broadcast()
	return err
}

// runTeam keeps trying to join the team bus until it succeeds or ctx ends.
func (s *Service) runTeam(ctx context.Context) {
	wait := time.Second
	for ctx.Err() == nil {
		if err := s.ConnectTeam(ctx); err == nil {
			return
		} else {
			s.log.Warn("team bus not reachable", "err", err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, time.Minute)
	}
}

func (s *Service) followClaims(events <-chan bus.ClaimEvent, synced chan struct{}) {
	once := false
	for ev := range events {
		if ev.Op == bus.ClaimsSynced {
			if !once {
				once = true
				close(synced)
			}
			continue
		}
		id := ev.Claim.Page
		s.mu.Lock()
		m := s.teamClaims[id]
		if m == nil {
			m = map[string]page.Claim{}
			s.teamClaims[id] = m
		}
		if ev.Op == bus.ClaimSet {
			c := ev.Claim
			c.Origin = page.OriginBus
			m[c.By] = c
		} else {
			delete(m, ev.Claim.By)
		}
		s.mu.Unlock()
		s.pushClaims(id)
		if once {
			s.broadcast()
		}
	}
}

func (s *Service) followPages(ctx context.Context, events <-chan bus.PageEvent) {
	for ev := range events {
		if ev.Page.Status == page.StatusResolved {
			s.engine().Close(ev.Page.ID)
			s.broadcast()
			continue
		}
		if err := s.engine().Upsert(ctx, ev.Page); err != nil {
			s.log.Warn("page from the hub not taken", "page", ev.Page.ID.String(), "err", err)
		}
		s.broadcast()
	}
}

// pushClaims gives the engine every claim known on a page: the team's
// and, when not on a team bus, my local one.
func (s *Service) pushClaims(id page.ID) {
	s.mu.Lock()
	var all []page.Claim
	for _, c := range s.teamClaims[id] {
		all = append(all, c)
	}
	if c, ok := s.local[id]; ok && s.bus == nil {
		all = append(all, c)
	}
	s.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].At.Before(all[j].At) })
	s.engine().SetClaims(id, all)
}

func (s *Service) busClient() *bus.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bus
}

// TeamStatus reports the connection and who is online.
func (s *Service) TeamStatus(ctx context.Context) TeamStatus {
	return s.teamStatus(ctx, true)
}

// teamStatus is TeamStatus; with online=false it asks the hub nothing
// (for snapshots, which must stay cheap).
func (s *Service) teamStatus(ctx context.Context, online bool) TeamStatus {
	st := TeamStatus{Configured: s.teamConfigured()}
	if !st.Configured {
		st.Hint = joinHint
		return st
	}
	s.mu.Lock()
	c, err := s.bus, s.busErr
	s.mu.Unlock()
	if c == nil {
		st.Err = "not connected"
		if err != nil {
			st.Err = err.Error()
		}
		st.Hint = "Claims stay on this computer until the hub is reachable; check the URL and token with `standby team join`."
		return st
	}
	st.Connected, st.URL, st.Member = c.Connected(), c.ConnectedURL(), c.Me()
	if !online {
		return st
	}
	octx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if online, err := c.Online(octx); err == nil {
		for _, p := range online {
			st.Online = append(st.Online, p.Member)
		}
	}
	return st
}
