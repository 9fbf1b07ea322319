// Package secrets keeps API tokens, feed URLs with tokens and hub
// credentials in the OS keyring, and nowhere else.
//
// Every call has a timeout, because a locked keyring can block for as long
// as its unlock prompt is open; callers run it off the UI goroutine. There is
// no plaintext fallback: where no keyring service exists the error says so.
// Secret values never appear in errors, logs or panics from this package.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// DefaultTimeout bounds each keyring call.
const DefaultTimeout = 5 * time.Second

// ErrNotFound means no secret is stored under that key.
var ErrNotFound = errors.New("no secret stored")

// ErrUnavailable means the OS has no usable keyring service (for example
// Linux without a Secret Service such as GNOME Keyring or KWallet).
var ErrUnavailable = errors.New("no OS keyring available: install and unlock a Secret Service provider (GNOME Keyring, KWallet or KeePassXC) — Standby never stores secrets in plain files")

// ErrTimeout means the keyring did not answer in time (often a locked
// keyring waiting for its unlock prompt).
var ErrTimeout = errors.New("the OS keyring did not answer in time (is it locked?)")

// Backend is the keyring operations Store needs; go-keyring's package
// functions satisfy it through Keyring.
type Backend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// Keyring is the OS keyring through go-keyring (mocked in tests with
// keyring.MockInit).
type Keyring struct{}

// Get reads a secret.
func (Keyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }

// Set writes a secret.
func (Keyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}

// Delete removes a secret.
func (Keyring) Delete(service, user string) error { return keyring.Delete(service, user) }

// Store is the façade: one service name, bounded calls, classified errors.
type Store struct {
	Service string
	Backend Backend
	Timeout time.Duration
}

// New returns a Store over the OS keyring for service.
func New(service string) *Store {
	return &Store{Service: service, Backend: Keyring{}, Timeout: DefaultTimeout}
}

// SourceKey is the keyring key of a source's API token.
func SourceKey(name string) string { return "source/" + name }

// FeedKey is the keyring key of a calendar feed's URL.
func FeedKey(name string) string { return "feed/" + name }

// TeamKey is the keyring key of the team bus member token.
const TeamKey = "team/token"

// Get returns the secret stored under key.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	var v string
	err := s.call(ctx, "reading", key, func() error {
		var err error
		v, err = s.Backend.Get(s.Service, key)
		return err
	})
	return v, err
}

// Set stores value under key.
func (s *Store) Set(ctx context.Context, key, value string) error {
	if value == "" {
		return fmt.Errorf("storing %s: empty secret", key)
	}
	return s.call(ctx, "storing", key, func() error { return s.Backend.Set(s.Service, key, value) })
}

// Delete removes key; deleting a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.call(ctx, "deleting", key, func() error { return s.Backend.Delete(s.Service, key) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs f with the timeout. f runs in its own goroutine so a hung
// keyring cannot hold the caller; the goroutine ends when f returns.
func (s *Store) call(ctx context.Context, verb, key string, f func() error) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			// A backend panic must not carry a secret into a crash log.
			if r := recover(); r != nil {
				done <- errors.New("keyring backend panicked")
			}
		}()
		done <- f()
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s secret %s: %w", verb, key, classify(err))
		}
		return nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%s secret %s: %w", verb, key, ErrTimeout)
		}
		return fmt.Errorf("%s secret %s: %w", verb, key, ctx.Err())
	}
}

// classify maps backend errors to this package's errors without keeping
// the backend's text, which on some platforms can echo the request.
func classify(err error) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return ErrUnavailable
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return errors.New("secret too large for the OS keyring")
	}
	// go-keyring on Linux reports a missing Secret Service as a D-Bus error
	// ("The name org.freedesktop.secrets was not provided by any .service
	// files" or no session bus at all).
	return fmt.Errorf("%w (%s)", ErrUnavailable, firstLine(err.Error()))
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	if len(s) > 200 {
		return s[:200]
	}
	return s
}
