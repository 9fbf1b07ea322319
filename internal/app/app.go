// Package app is Standby's composition root and application service: it
// builds config, secrets, store, sources, engine and policy, and offers the
// actions that both faces use — the tray/window (internal/ui) and the CLI
// (cmd/standby). There is no Fyne here.
//
// The work is done by feature services with one job each, composed here:
// settings (the one writer of the configuration and its secrets), team (the
// bus, claims and hub pages), alerting (notifications, digest, reminders),
// the schedule (feeds), and the pages and actions kept in this package
// around the engine. Service is the façade the UI and the CLI call.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/standby-oncall/standby/internal/app/alerting"
	"github.com/standby-oncall/standby/internal/app/settings"
	"github.com/standby-oncall/standby/internal/app/team"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/feeds"
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
	// DemoEvery is how often the demo opens a new page (0: its default).
	DemoEvery time.Duration
	// Secrets is the keyring façade; nil means the OS keyring.
	Secrets *secrets.Store
	// Notifier shows desktop bubbles (notify.Desktop); nil means none
	// (the CLI). Hand its action clicks to Service.NotificationAction.
	Notifier Notifier
	// Alarm rings the alarm sound for loud pages (alarm.Player); nil means
	// none (the CLI).
	Alarm Alarm
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// HTTPClient is shared by all sources; nil: 20 s timeout.
	HTTPClient *http.Client
	// Login is the entry that starts this binary at login (an
	// autostart.Entry); nil means none (tests, and builds without one).
	Login LoginEntry
}

// Banner is a message the window shows above its tabs.
type Banner struct {
	// Level is "info", "warning" or "error".
	Level string
	Text  string
}

// Service is the application service. Create it with Open; Run (or
// StartEngine) starts its background work and Close stops it; its methods
// are safe for concurrent use.
type Service struct {
	opts     Options
	settings *settings.Settings
	secrets  *secrets.Store
	db       *store.DB
	log      *slog.Logger
	http     *http.Client
	alert    *alerting.Alerting
	team     *team.Team
	subs     subscribers
	life     *lifetime
	reload   chan struct{}
	acks     pendingAcks
	open     atomic.Pointer[openHook] // a bubble's Open action
	login    loginStart
	// alarmTold is the last failure AlarmFailed signalled (nil once a
	// snapshot saw the alarm heard).
	alarmTold atomic.Pointer[string]

	pages  atomic.Pointer[built] // the sources and engine in use
	oncall atomic.Pointer[OnCallFunc]

	// Set by Open and read-only afterwards.
	banners []Banner // from loading the schedule
	feeds   *feeds.Feeds
	syncer  *feeds.Syncer

	cfg atomic.Pointer[configView] // the live configuration as read here
}

// OnCallFunc answers "am I on call at now" from the synced schedule.
type OnCallFunc func(now time.Time) quiet.OnCall

// Open loads the configuration (a broken file gives defaults and a
// banner, never a refusal to start), opens the state database and builds
// the sources and the engine. It does not start polling: call Run.
func Open(ctx context.Context, opts Options) (*Service, error) {
	s := &Service{opts: opts, log: opts.Logger, secrets: opts.Secrets, http: opts.HTTPClient, reload: make(chan struct{}, 1)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.http == nil {
		s.http = &http.Client{Timeout: 20 * time.Second}
	}
	if err := s.openSettings(); err != nil {
		return nil, err
	}
	db, err := openStore(ctx, opts.StatePath)
	if err != nil {
		return nil, err
	}
	s.db = db
	s.life = newLifetime()
	s.alert = alerting.New(s.alertingParams(db))
	s.team = team.New(s.teamParams())
	s.SetOnCall(s.onCallFromFeeds)
	s.buildSchedule(ctx, time.Now())
	s.acks.load(ctx, db)
	s.install(s.buildPages(ctx, s.Config(), s.Demo()))
	return s, nil
}

func openStore(ctx context.Context, path string) (*store.DB, error) {
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	return store.Open(ctx, path)
}

func (s *Service) openSettings() error {
	path := s.opts.ConfigPath
	if path == "" {
		p, err := config.DefaultPath()
		if err != nil {
			return err
		}
		path = p
	}
	var sec settings.Secrets
	if s.secrets != nil {
		sec = s.secrets
	}
	s.settings = settings.Open(path, sec)
	if err := s.settings.LoadErr(); err != nil {
		s.log.Warn("config not loaded; using defaults", "err", err)
	}
	s.cfg.Store(s.viewOf(s.settings.Config()))
	s.settings.Watch(s.configChanged)
	return nil
}

// demoFor reports whether cfg runs the demo: when asked, or when there is
// neither a source nor a team (a team member sees the hub's real pages).
func (s *Service) demoFor(cfg config.Config) bool {
	return s.opts.Demo || cfg.Demo || (len(cfg.Sources) == 0 && len(cfg.Team.URLs) == 0)
}

// configView is the live configuration as the service reads it, with what
// is derived from it once per change. It is replaced, never changed.
type configView struct {
	cfg  config.Config
	demo bool
	loc  *time.Location
	me   string
}

func (s *Service) viewOf(c config.Config) *configView {
	v := &configView{cfg: c, demo: s.demoFor(c), loc: time.Local, me: c.User.Name}
	if c.User.Zone != "" {
		if loc, err := time.LoadLocation(c.User.Zone); err == nil {
			v.loc = loc
		}
	}
	if v.me == "" {
		v.me = "you"
	}
	return v
}

// view is the configuration view in use.
func (s *Service) view() *configView { return s.cfg.Load() }

// configChanged follows a committed configuration: the view used here, and
// a rebuild of the engine when the sources or the demo changed. Settings
// calls it from its one writer, so views are replaced in order.
func (s *Service) configChanged(c config.Config) {
	old, v := s.view(), s.viewOf(c)
	s.cfg.Store(v)
	rebuild := v.demo != old.demo || !sameSources(old.cfg.Sources, c.Sources)
	if rebuild {
		s.requestReload()
	}
	s.broadcast()
	s.presenceChanged()
}

func sameSources(a, b []config.Source) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// ConfigErr is why the config file could not be read (nil when it was);
// the service then runs with defaults and refuses to save over the file.
func (s *Service) ConfigErr() error { return s.settings.LoadErr() }

// Close stops everything the service started (engine, timers, feed sync,
// team followers), waits for it, and only then closes the state database.
func (s *Service) Close() error {
	s.life.end()
	s.team.Close()
	return s.db.Close()
}

// ConfigPath is the file the configuration comes from.
func (s *Service) ConfigPath() string { return s.settings.Path() }

// Config returns a copy of the live configuration.
func (s *Service) Config() config.Config { return s.settings.Config() }

// Demo reports whether the demo source is in use.
func (s *Service) Demo() bool { return s.view().demo }

// Me is the user's name on the team.
func (s *Service) Me() string { return s.view().me }

func (s *Service) actor() source.Actor {
	v := s.view()
	return source.Actor{Name: v.me, Email: v.cfg.User.Email}
}

// Location is the user's zone.
func (s *Service) Location() *time.Location { return s.view().loc }

// writable is the refusal to save over a file that could not be read, for
// callers that check before doing anything else.
func (s *Service) writable() error {
	if err := s.ConfigErr(); err != nil {
		return fmt.Errorf("not saving: %s has an error Standby could not read (%w); fix it or move it away first", s.ConfigPath(), err)
	}
	return nil
}

// errUnknownSource is returned for a page id whose source is not configured.
var errUnknownSource = errors.New("no such source")

// Changes returns a channel that receives a value whenever something
// happened that may change the snapshot (coalesced), and a cancel func.
// What moves with the clock alone (ages, quiet windows, claims lapsing)
// is not signalled: a view recomputes it on its own clock.
func (s *Service) Changes() (<-chan struct{}, func()) { return s.subs.add() }

func (s *Service) broadcast() { s.subs.signal() }

// AlarmFailed is told by the alarm's owner that a sound could not be
// played, and why: the views look again at once, so the banner that says
// so does not wait for the next refresh. The same failure told again —
// the alarm repeats every 30 s while nothing can play it — changes
// nothing on screen and signals nothing, until a snapshot saw a sound
// heard in between.
func (s *Service) AlarmFailed(err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if old := s.alarmTold.Swap(&msg); old != nil && *old == msg {
		return
	}
	s.broadcast()
}

// subscribers are the Changes channels.
type subscribers struct {
	mu   sync.Mutex
	next int
	chs  map[int]chan struct{}
}

func (b *subscribers) add() (<-chan struct{}, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.chs == nil {
		b.chs = map[int]chan struct{}{}
	}
	ch := make(chan struct{}, 1)
	id := b.next
	b.next++
	b.chs[id] = ch
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.chs, id)
	}
}

func (b *subscribers) signal() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.chs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
