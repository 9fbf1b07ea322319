package app

import (
	"context"
	"fmt"

	"github.com/standby-oncall/standby/internal/app/settings"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/demo"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/alertmanager"
	"github.com/standby-oncall/standby/internal/source/goalert"
	"github.com/standby-oncall/standby/internal/source/grafanaoncall"
	"github.com/standby-oncall/standby/internal/source/opsgenie"
	"github.com/standby-oncall/standby/internal/source/pagerduty"
	"github.com/standby-oncall/standby/internal/source/splunkoncall"
)

func newSource(sc config.Source, token source.Secret, s *Service) (source.Source, error) {
	switch sc.Kind {
	case "alertmanager":
		return alertmanager.New(alertmanager.Config{
			Name: sc.Name, URL: sc.URL, Token: token, Receiver: sc.Receiver, Filter: sc.Matchers, Logger: s.log,
		}, s.http)
	case "pagerduty":
		return pagerduty.New(pagerduty.Config{
			Name: sc.Name, URL: sc.URL, Token: token, UserIDs: sc.UserIDs, TeamIDs: sc.TeamIDs,
		}, s.http)
	case "opsgenie", "jsm_ops":
		flavor := opsgenie.Opsgenie
		if sc.Kind == "jsm_ops" {
			flavor = opsgenie.JSMOps
		}
		return opsgenie.New(opsgenie.Config{Name: sc.Name, Flavor: flavor, URL: sc.URL, CloudID: sc.CloudID, Email: sc.Username, Key: token}, s.http)
	case "goalert":
		return goalert.New(goalert.Config{Name: sc.Name, URL: sc.URL, Username: sc.Username, Password: token,
			Session: s.storedSession(sc.Name), OnSession: func(t source.Secret) { s.saveSession(sc.Name, t) }}, s.http)
	case "grafana_oncall":
		return grafanaoncall.New(grafanaoncall.Config{Name: sc.Name, URL: sc.URL, Token: token, GrafanaURL: sc.GrafanaURL}, s.http)
	case "splunk_oncall":
		return splunkoncall.New(splunkoncall.Config{Name: sc.Name, URL: sc.URL, APIID: sc.APIID, APIKey: token, UserName: sc.Username}, s.http)
	case "demo":
		return demo.New(sc.Name, demo.Options{}), nil
	default:
		return nil, fmt.Errorf("unknown kind %q", sc.Kind)
	}
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
