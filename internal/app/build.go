package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/demo"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source"
)

// DemoSourceName is the name of the demo source.
const DemoSourceName = "demo"

// built is one generation of sources and the engine that polls them.
type built struct {
	eng   *engine.Engine
	kinds map[string]string // source name → kind
	srcs  []source.Source
	// banners say which sources did not start, and why.
	banners []Banner
}

// buildPages makes the sources and the engine for cfg. It reads tokens from
// the keyring, so it runs with no lock held.
func (s *Service) buildPages(ctx context.Context, cfg config.Config, demoMode bool) built {
	b := built{kinds: map[string]string{}}
	polls := map[string]time.Duration{}
	if demoMode {
		b.srcs = append(b.srcs, demo.New(DemoSourceName, demo.Options{Initial: s.opts.DemoPages, Interval: s.opts.DemoEvery}))
		b.kinds[DemoSourceName] = "demo"
		polls[DemoSourceName] = 30 * time.Second // the default cadence; a demo page comes every 75 s
	} else {
		for _, sc := range cfg.Sources {
			src, err := s.buildSource(ctx, sc)
			if err != nil {
				s.log.Warn("source not started", "source", sc.Name, "err", err)
				b.banners = append(b.banners, Banner{Level: "error", Text: fmt.Sprintf("Source %s is not running: %v", sc.Name, err)})
				continue
			}
			b.srcs = append(b.srcs, src)
			b.kinds[sc.Name] = sc.Kind
			polls[sc.Name] = sc.PollOf()
		}
	}
	b.eng = engine.New(engine.Params{
		Sources:      b.srcs,
		Store:        engineStore{s.db},
		Notify:       s.notifyRecorded,
		Deliver:      s.alert.Deliver, // the first notification: engineStore.MarkOpened recorded it
		OnEvent:      s.alert.Event,
		Router:       s.routerForEngine,
		Logger:       s.log,
		Me:           cfg.User.Name,
		PollBySource: polls,
	})
	return b
}

// install makes b the generation in use and gives its engine every claim
// and hub page the team knows, so none is lost until the next event.
func (s *Service) install(b built) {
	s.pages.Store(&b)
	s.team.Attach(s.life.ctx, b.eng)
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
	src, err := newSource(sc, token, s)
	if err != nil {
		return nil, err
	}
	return mapped{Source: src, kind: source.Kind(sc.Kind), url: sc.URL, svc: s}, nil
}

// SetOnCall installs the schedule's answer to "am I on call".
func (s *Service) SetOnCall(f OnCallFunc) {
	s.oncall.Store(&f)
	s.presenceChanged()
}

func (s *Service) onCall(now time.Time) quiet.OnCall {
	if f := s.oncall.Load(); f != nil && *f != nil {
		return (*f)(now)
	}
	return quiet.OnCall{}
}

func (s *Service) engine() *engine.Engine { return s.pages.Load().eng }

func (s *Service) sources() []source.Source { return s.pages.Load().srcs }

func (s *Service) kindOf(name string) (string, bool) {
	k, ok := s.pages.Load().kinds[name]
	return k, ok
}
