package app

import (
	"context"
	"errors"

	"github.com/standby-oncall/standby/internal/app/team"
	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/secrets"
)

// TeamStatus is the team bus state for the window and `standby team status`.
type TeamStatus = team.Status

// TeamMember is one online teammate in TeamStatus: on call, ringable.
type TeamMember = team.Member

func (s *Service) teamParams() team.Params {
	return team.Params{
		URLs:      func() []string { return s.Config().Team.URLs },
		Me:        s.Me,
		Token:     func(ctx context.Context) (string, error) { return s.settings.Secret(ctx, secrets.TeamKey) },
		Overrides: s.urgencyOverrides,
		Changed:   s.broadcast,
		Presence:  s.presenceFields,
		Routing:   s.teamRoutingChanged,
		Logger:    s.log,
	}
}

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
	if !s.settings.HasKeyring() {
		return bus.Token{}, errors.New("no keyring available to store the team token")
	}
	return tok, s.settings.JoinTeam(ctx, token, tok.Member, urls)
}

// ConnectTeam joins the team bus and follows claims and pages until ctx
// ends or Close. It waits until the claims and pages the hub holds are
// applied, so a one-shot command sees them; the watch goes on in the
// background.
func (s *Service) ConnectTeam(ctx context.Context) error {
	if !s.settings.HasKeyring() {
		return nil
	}
	return s.team.Connect(ctx)
}

// TeamStatus reports the connection and who is online.
func (s *Service) TeamStatus(ctx context.Context) TeamStatus {
	return s.team.Status(ctx, true)
}
