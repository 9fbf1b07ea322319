// Package settings is the one writer of Standby's configuration and of the
// keyring entries it refers to.
//
// Every change is read-modify-write under one lock: the draft is a copy of
// the live configuration, it is validated, then its secrets are stored, then
// the file is saved, and only then does it become live. Readers never wait
// on a writer (and so never on the keyring or the disk): Config returns a
// copy of the last committed configuration.
package settings

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/standby-oncall/standby/internal/config"
)

// Secrets is the keyring the settings write to; *secrets.Store implements it.
type Secrets interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
}

// ErrNoKeyring is returned when a change needs the keyring and there is none.
var ErrNoKeyring = errors.New("no keyring available")

// Settings holds the live configuration and is its only writer.
type Settings struct {
	path    string
	secrets Secrets // nil: no keyring

	write sync.Mutex // serialises writers: one read-modify-write at a time

	mu       sync.RWMutex // guards the fields below
	cur      config.Config
	loadErr  error
	migrated bool
	watchers []func(config.Config)
}

// Open loads path. A file that cannot be read gives the defaults and
// LoadErr says why; Settings then refuses to save over it.
func Open(path string, sec Secrets) *Settings {
	res, err := config.Load(path)
	return &Settings{path: path, secrets: sec, cur: res.Config, loadErr: err, migrated: res.Migrated}
}

// Path is the configuration file.
func (s *Settings) Path() string { return s.path }

// Config returns a copy of the live configuration.
func (s *Settings) Config() config.Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur.Clone()
}

// LoadErr is why the file could not be read at start (nil when it was).
func (s *Settings) LoadErr() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.loadErr
}

// Migrated reports whether the file had an older schema.
func (s *Settings) Migrated() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.migrated
}

// HasKeyring reports whether secrets can be stored.
func (s *Settings) HasKeyring() bool { return s.secrets != nil }

// Secret reads a keyring entry.
func (s *Settings) Secret(ctx context.Context, key string) (string, error) {
	if s.secrets == nil {
		return "", ErrNoKeyring
	}
	return s.secrets.Get(ctx, key)
}

// KeepSecret writes a keyring entry that the configuration does not name
// (a renewed session); it takes no lock.
func (s *Settings) KeepSecret(ctx context.Context, key, value string) error {
	if s.secrets == nil {
		return ErrNoKeyring
	}
	return s.secrets.Set(ctx, key, value)
}

// Watch calls f with the new configuration after every committed change,
// on the writer's goroutine, in order.
func (s *Settings) Watch(f func(config.Config)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watchers = append(s.watchers, f)
}

// Update edits a copy of the configuration, validates it and saves it; only
// then does it become live. It refuses to overwrite a file that could not
// be read.
func (s *Settings) Update(ctx context.Context, edit func(*config.Config) error) error {
	return s.change(ctx, Change{Edit: edit})
}

// Change is one read-modify-write: Edit runs on the draft, Store is
// written to the keyring once the draft is valid (before the file is
// saved), and Drop is deleted from the keyring once the file is saved.
type Change struct {
	Edit  func(*config.Config) error
	Store map[string]string
	Drop  []string
}

func (s *Settings) change(ctx context.Context, c Change) error {
	s.write.Lock()
	defer s.write.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	draft := s.Config()
	if err := c.Edit(&draft); err != nil {
		return err
	}
	if err := draft.Validate(); err != nil {
		return fmt.Errorf("invalid settings: %w", err)
	}
	undo, err := s.store(ctx, c.Store)
	if err != nil {
		return err
	}
	if err := config.Save(s.path, draft); err != nil {
		undo(ctx)
		return err
	}
	s.commit(draft)
	return s.drop(ctx, c.Drop)
}

func (s *Settings) writable() error {
	if err := s.LoadErr(); err != nil {
		return fmt.Errorf("not saving: %s has an error Standby could not read (%w); fix it or move it away first", s.path, err)
	}
	return nil
}

func (s *Settings) commit(c config.Config) {
	s.mu.Lock()
	s.cur = c
	watchers := append([]func(config.Config){}, s.watchers...)
	s.mu.Unlock()
	for _, f := range watchers {
		f(c.Clone())
	}
}
