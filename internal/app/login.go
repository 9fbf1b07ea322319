package app

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/standby-oncall/standby/internal/autostart"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/source"
)

// LoginEntry is the system's entry that starts this binary in the tray at
// login (an autostart.Entry: XDG autostart, the Windows Run key or a
// LaunchAgent). Options.Login nil means this build or test has none.
type LoginEntry interface {
	Enable() error
	Disable() error
	Check() (autostart.Status, error)
}

// LoginNotice is what Standby says when it turned start at login on by
// itself, with the first real source.
const LoginNotice = "Standby will start when you log in; change it in Settings or with `standby autostart off`."

// errNoLogin is the reason when Options.Login is nil.
var errNoLogin = fmt.Errorf("%w: this build of Standby has no login entry", autostart.ErrUnsupported)

// LoginState is Settings' "Start Standby when I log in".
type LoginState struct {
	// On is true when the entry is there and the desktop will run it.
	On bool
	// Choice is what the user decided ([app] start_at_login): "" (not
	// yet: the first real source turns it on), "on" or "off".
	Choice string
	// Where is the entry's file or registry value; Command what it runs.
	Where, Command string
	// Stale is true when the entry starts another binary.
	Stale bool
	// Unsupported is why start at login cannot be set here ("" when it
	// can): the checkbox is disabled and shows it.
	Unsupported string
}

// loginStart is the service's part in starting at login: one change to
// the entry and the recorded choice at a time, and the notice shown after
// Standby turned it on by itself.
type loginStart struct {
	mu     sync.Mutex
	notice atomic.Pointer[Banner]
}

// LoginStart reads the entry and the recorded choice; it touches the
// disk (or the registry), so the UI calls it off its goroutine.
func (s *Service) LoginStart() (LoginState, error) {
	st := LoginState{Choice: s.Config().App.StartAtLogin}
	if s.opts.Login == nil {
		st.Unsupported = errNoLogin.Error()
		return st, nil
	}
	es, err := s.opts.Login.Check()
	if errors.Is(err, autostart.ErrUnsupported) {
		st.Unsupported = err.Error()
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.On, st.Where, st.Command, st.Stale = es.On, es.Where, es.Command, es.Stale
	return st, nil
}

// SetLoginStart is the user's decision: it writes or removes the entry,
// then records "on" or "off" so that Standby never decides again. A
// config file that could not be read stops it before anything changes.
func (s *Service) SetLoginStart(on bool) error {
	if s.opts.Login == nil {
		return errNoLogin
	}
	s.login.mu.Lock()
	defer s.login.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	choice, change := config.StartAtLoginOff, s.opts.Login.Disable
	if on {
		choice, change = config.StartAtLoginOn, s.opts.Login.Enable
	}
	if err := change(); err != nil {
		return err
	}
	s.login.notice.Store(nil) // decided by the user: nothing to tell
	if err := s.UpdateConfig(func(c *config.Config) error { c.App.StartAtLogin = choice; return nil }); err != nil {
		return fmt.Errorf("start at login is %s, but the choice was not saved: %w", choice, err)
	}
	return nil
}

// LoginStartNotice returns the notice when this service turned start at
// login on by itself (the first real source) and the user has not
// decided since: the window shows it as a banner, the CLI prints it.
func (s *Service) LoginStartNotice() (Banner, bool) {
	if b := s.login.notice.Load(); b != nil {
		return *b, true
	}
	return Banner{}, false
}

// sourceAdded turns start at login on when a real source was added and
// the user has not decided: the entry first, then "on" recorded and the
// notice set. Adding the source has succeeded whatever happens here.
func (s *Service) sourceAdded(sc config.Source) {
	if s.opts.Login == nil || sc.Kind == string(source.KindDemo) {
		return
	}
	s.login.mu.Lock()
	defer s.login.mu.Unlock()
	if s.Config().App.StartAtLogin != "" {
		return
	}
	if err := s.opts.Login.Enable(); err != nil {
		if !errors.Is(err, autostart.ErrUnsupported) {
			s.log.Warn("start at login not turned on", "err", err)
			s.login.notice.Store(&Banner{Level: "warning",
				Text: fmt.Sprintf("Standby could not set itself to start when you log in (%v); turn it on in Settings or with `standby autostart on`.", err)})
		}
		return
	}
	s.login.notice.Store(&Banner{Level: "info", Text: LoginNotice})
	err := s.UpdateConfig(func(c *config.Config) error {
		if c.App.StartAtLogin == "" {
			c.App.StartAtLogin = config.StartAtLoginOn
		}
		return nil
	})
	if err != nil {
		s.log.Warn("start at login is on, but the choice was not saved", "err", err)
	}
}

// keepLoginStart points the entry at this binary again when the user
// chose "on" and the entry starts another one (the app moved or was
// reinstalled elsewhere). The desktop app calls it at start.
func (s *Service) keepLoginStart() {
	if s.opts.Login == nil || s.Config().App.StartAtLogin != config.StartAtLoginOn {
		return
	}
	s.login.mu.Lock()
	defer s.login.mu.Unlock()
	st, err := s.opts.Login.Check()
	if err != nil || !st.Stale {
		if err != nil && !errors.Is(err, autostart.ErrUnsupported) {
			s.log.Warn("reading the login entry", "err", err)
		}
		return
	}
	if err := s.opts.Login.Enable(); err != nil {
		s.log.Warn("login entry not pointed at this binary", "was", st.Command, "err", err)
		return
	}
	s.log.Info("login entry pointed at this binary", "was", st.Command)
}
