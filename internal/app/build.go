package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/demo"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/alertmanager"
	"github.com/standby-oncall/standby/internal/source/goalert"
	"github.com/standby-oncall/standby/internal/source/grafanaoncall"
	"github.com/standby-oncall/standby/internal/source/opsgenie"
	"github.com/standby-oncall/standby/internal/source/pagerduty"
	"github.com/standby-oncall/standby/internal/source/splunkoncall"
)

// DemoSourceName is the name of the demo source.
const DemoSourceName = "demo"

// buildEngine makes the sources and the engine from the current config.
func (s *Service) buildEngine(ctx context.Context) *engine.Engine {
	var srcs []source.Source
	kinds := map[string]string{}
	polls := map[string]time.Duration{}
	if s.demo {
		srcs = append(srcs, demo.New(DemoSourceName, demo.Options{Initial: s.opts.DemoPages}))
		kinds[DemoSourceName] = "demo"
		polls[DemoSourceName] = 30 * time.Second // the default cadence; a demo page comes every 75 s
	}
	if !s.demo {
		for _, sc := range s.cfg.Sources {
			src, err := s.buildSource(ctx, sc)
			if err != nil {
				s.log.Warn("source not started", "source", sc.Name, "err", err)
				s.banners = append(s.banners, Banner{Level: "error", Text: fmt.Sprintf("Source %s is not running: %v", sc.Name, err)})
				continue
			}
			srcs = append(srcs, src)
			kinds[sc.Name] = sc.Kind
			polls[sc.Name] = sc.PollOf()
		}
	}
	s.kinds = kinds
	s.srcs = srcs
	return engine.New(engine.Params{
		Sources:      srcs,
		Store:        engineStore{s.db},
		Notify:       s.notifyPage,
		Decide:       s.decideForEngine,
		Logger:       s.log,
		Me:           s.me(),
		PollBySource: polls,
	})
}

// buildSource makes one adapter, with its token from the keyring.
func (s *Service) buildSource(ctx context.Context, sc config.Source) (source.Source, error) {
	var token source.Secret
	if sc.HasToken {
		if s.secrets == nil {
			return nil, errors.New("its token is in the keyring, but no keyring is available")
		}
		v, err := s.secrets.Get(ctx, secrets.SourceKey(sc.Name))
		if err != nil {
			return nil, err
		}
		token = source.Secret(v)
	}
	return newSource(sc, token, s)
}

func newSource(sc config.Source, token source.Secret, s *Service) (source.Source, error) {
	switch sc.Kind {
	case "alertmanager":
		return alertmanager.New(alertmanager.Config{
			Name: sc.Name, URL: sc.URL, Token: token, Receiver: sc.Receiver, Filter: sc.Matchers,
			Urgency: func(sev string) page.Urgency { return quiet.MapUrgency("alertmanager", sev, s.Config().Quiet) },
			Logger:  s.log,
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
	if s.secrets == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), secrets.DefaultTimeout)
	defer cancel()
	v, err := s.secrets.Get(ctx, secrets.SourceKey(name)+"/session")
	if err != nil {
		return ""
	}
	return source.Secret(v)
}

// saveSession keeps a renewed GoAlert session token in the keyring.
func (s *Service) saveSession(name string, t source.Secret) {
	if s.secrets == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), secrets.DefaultTimeout)
	defer cancel()
	if err := s.secrets.Set(ctx, secrets.SourceKey(name)+"/session", t.Reveal()); err != nil {
		s.log.Warn("GoAlert session not kept", "source", name, "err", err)
	}
}

// SetOnCall installs the schedule's answer to "am I on call".
func (s *Service) SetOnCall(f OnCallFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.schedule = f
}

func (s *Service) onCall(now time.Time) quiet.OnCall {
	s.mu.Lock()
	f := s.schedule
	s.mu.Unlock()
	if f == nil {
		return quiet.OnCall{}
	}
	return f(now)
}
