package app

import (
	"context"
	"fmt"

	"github.com/standby-oncall/standby/internal/app/settings"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/registry"
)

// newSource builds the adapter of sc's kind from the registry.
func newSource(sc config.Source, token source.Secret, s *Service) (source.Source, error) {
	d, ok := registry.Lookup(source.Kind(sc.Kind))
	if !ok {
		return nil, fmt.Errorf("unknown kind %q", sc.Kind)
	}
	spec := registry.Spec{Name: sc.Name, URL: sc.URL, Token: token, Username: sc.Username, APIID: sc.APIID,
		CloudID: sc.CloudID, GrafanaURL: sc.GrafanaURL, Receiver: sc.Receiver, Matchers: sc.Matchers,
		UserIDs: sc.UserIDs, TeamIDs: sc.TeamIDs, HTTP: s.http, Logger: s.log}
	if d.KeepsSession {
		spec.Session = s.storedSession(sc.Name)
		spec.OnSession = func(t source.Secret) { s.saveSession(sc.Name, t) }
	}
	return d.New(spec)
}

// storedSession returns a GoAlert session token kept in the keyring.
func (s *Service) storedSession(name string) source.Secret {
	ctx, cancel := context.WithTimeout(context.Background(), secrets.DefaultTimeout)
	defer cancel()
	v, err := s.settings.Secret(ctx, settings.SessionKey(name))
	if err != nil {
		return ""
	}
	return source.Secret(v)
}

// saveSession keeps a renewed GoAlert session token in the keyring.
func (s *Service) saveSession(name string, t source.Secret) {
	ctx, cancel := context.WithTimeout(context.Background(), secrets.DefaultTimeout)
	defer cancel()
	if err := s.settings.KeepSecret(ctx, settings.SessionKey(name), t.Reveal()); err != nil {
		s.log.Warn("GoAlert session not kept", "source", name, "err", err)
	}
}
