// Package app is Standby's composition root and application service: it
// builds config, secrets, store, sources, engine and policy, and offers the
// actions that both faces use — the tray/window (internal/ui) and the CLI
// (cmd/standby). There is no Fyne here.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/feeds"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/store"
)

// Options configure Open. Zero values pick the user's real paths.
type Options struct {
	// ConfigPath overrides config.DefaultPath (the CLI's --config).
	ConfigPath string
	// StatePath overrides store.DefaultPath.
	StatePath string
	// Demo forces the demo source.
	Demo bool
	// DemoPages is how many demo pages are open at start (0: a few).
	DemoPages int
	// Secrets is the keyring façade; nil means the OS keyring.
	Secrets *secrets.Store
	// Notify delivers a desktop notification; nil means none (the CLI).
	Notify func(title, body string, loud bool) error
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// HTTPClient is shared by all sources; nil: 20 s timeout.
	HTTPClient *http.Client
}

// Banner is a message the window shows above its tabs.
type Banner struct {
	// Level is "info", "warning" or "error".
	Level string
	Text  string
}

// Service is the application service. Create it with Open; Run starts its
// background work; its methods are safe for concurrent use.
type Service struct {
	opts       Options
	configPath string
	secrets    *secrets.Store
	db         *store.DB
	log        *slog.Logger
	http       *http.Client

	mu         sync.Mutex
	cfg        config.Config
	cfgErr     error    // the config file could not be read
	banners    []Banner // from loading; runtime banners are computed
	demo       bool
	eng        *engine.Engine
	kinds      map[string]string // source name → kind
	srcs       []source.Source
	notifyErr  error
	local      map[page.ID]page.Claim // my own claims when no team bus
	schedule   OnCallFunc
	feeds      *feeds.Feeds
	bus        *bus.Client
	busErr     error
	teamClaims map[page.ID]map[string]page.Claim
	syncer     *feeds.Syncer
	subs       map[int]chan struct{}
	reload     chan struct{}
	loud       []loudItem // loud notifications waiting for their batch
	loudTimer  bool
	nextSub    int
}

// OnCallFunc answers "am I on call at now" from the synced schedule.
type OnCallFunc func(now time.Time) quiet.OnCall

// Open loads the configuration (a broken file gives defaults and a
// banner, never a refusal to start), opens the state database and builds
// the sources and the engine. It does not start polling: call Run.
func Open(ctx context.Context, opts Options) (*Service, error) {
	s := &Service{opts: opts, log: opts.Logger, secrets: opts.Secrets, http: opts.HTTPClient,
		local: map[page.ID]page.Claim{}, teamClaims: map[page.ID]map[string]page.Claim{}, reload: make(chan struct{}, 1), subs: map[int]chan struct{}{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.http == nil {
		s.http = &http.Client{Timeout: 20 * time.Second}
	}
	if err := s.loadConfig(); err != nil {
		return nil, err
	}
	statePath := opts.StatePath
	if statePath == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, err
		}
		statePath = p
	}
	db, err := store.Open(ctx, statePath)
	if err != nil {
		return nil, err
	}
	s.db = db
	s.schedule = s.onCallFromFeeds
	s.buildSchedule(ctx, time.Now())
	s.eng = s.buildEngine(ctx)
	return s, nil
}

func (s *Service) loadConfig() error {
	path := s.opts.ConfigPath
	if path == "" {
		p, err := config.DefaultPath()
		if err != nil {
			return err
		}
		path = p
	}
	s.configPath = path
	res, err := config.Load(path)
	s.cfg = res.Config
	s.cfgErr = err
	if err != nil {
		s.log.Warn("config not loaded; using defaults", "err", err)
		s.banners = append(s.banners, Banner{Level: "error",
			Text: fmt.Sprintf("Your configuration could not be read, so Standby runs with defaults and will not overwrite it: %v", err)})
	}
	if res.Migrated {
		s.banners = append(s.banners, Banner{Level: "info", Text: "Your configuration is from an older Standby; it is read as is and upgraded the next time you save settings."})
	}
	s.demo = s.opts.Demo || s.cfg.Demo || len(s.cfg.Sources) == 0
	return nil
}

// ConfigErr is why the config file could not be read (nil when it was);
// the service then runs with defaults and refuses to save over the file.
func (s *Service) ConfigErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfgErr
}

// Close releases the state database.
func (s *Service) Close() error { return s.db.Close() }

// ConfigPath is the file the configuration comes from.
func (s *Service) ConfigPath() string { return s.configPath }

// Config returns a copy of the live configuration.
func (s *Service) Config() config.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.Clone()
}

// Demo reports whether the demo source is in use.
func (s *Service) Demo() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.demo
}

// Me is the user's name on the team.
func (s *Service) Me() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.me()
}

func (s *Service) me() string {
	if s.cfg.User.Name != "" {
		return s.cfg.User.Name
	}
	return "you"
}

func (s *Service) actor() source.Actor {
	s.mu.Lock()
	defer s.mu.Unlock()
	return source.Actor{Name: s.me(), Email: s.cfg.User.Email}
}

// Location is the user's zone.
func (s *Service) Location() *time.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.location()
}

func (s *Service) location() *time.Location {
	if s.cfg.User.Zone != "" {
		if loc, err := time.LoadLocation(s.cfg.User.Zone); err == nil {
			return loc
		}
	}
	return time.Local
}

// Run polls and keeps timers until ctx ends. It returns nil on a clean stop.
func (s *Service) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	syncErr := make(chan error, 1)
	go func() { syncErr <- s.syncer.Run(ctx) }()
	if s.teamConfigured() {
		go s.runTeam(ctx)
	}
	for {
		reload, err := s.runEngine(ctx)
		if err != nil || !reload {
			return err
		}
		select {
		case err := <-syncErr:
			return err
		default:
		}
		s.mu.Lock()
		s.eng = s.buildEngine(ctx)
		s.mu.Unlock()
		s.broadcast()
	}
}

// runEngine runs the current engine and the app's timers until ctx ends
// (false, nil) or the sources changed (true, nil).
func (s *Service) runEngine(ctx context.Context) (reload bool, err error) {
	eng := s.engine()
	ectx, cancel := context.WithCancel(ctx)
	states, stop := eng.Subscribe()
	done := make(chan error, 1)
	go func() { done <- eng.Run(ectx) }()
	defer func() {
		cancel()
		<-done
		stop()
	}()
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-states:
			s.broadcast()
		case <-s.feeds.Changed():
			s.broadcast()
		case <-s.reload:
			return true, nil
		case now := <-tick.C:
			s.deliverDigest(ctx, now)
			s.reminders(last, now)
			last = now
			s.broadcast() // relative times and quiet state move on
		case err := <-done:
			done <- err // for the deferred wait
			if ctx.Err() != nil {
				return false, nil
			}
			return false, err
		case <-ctx.Done():
			return false, nil
		}
	}
}

// requestReload makes Run rebuild the sources and the engine (after a
// source was added or removed).
func (s *Service) requestReload() {
	select {
	case s.reload <- struct{}{}:
	default:
	}
}

func (s *Service) sources() []source.Source {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srcs
}

func (s *Service) engine() *engine.Engine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng
}

// Changes returns a channel that receives a value whenever the snapshot
// may have changed (coalesced), and a cancel func.
func (s *Service) Changes() (<-chan struct{}, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{}, 1)
	id := s.nextSub
	s.nextSub++
	s.subs[id] = ch
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

func (s *Service) broadcast() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// errUnknownSource is returned for a page id whose source is not configured.
var errUnknownSource = errors.New("no such source")
