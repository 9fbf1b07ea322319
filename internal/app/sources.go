package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source"
)

// UpdateConfig edits a copy of the configuration with edit, validates it
// and saves it atomically; only then does it become live. It refuses to
// overwrite a file that could not be read, so the user's work is never
// lost silently.
func (s *Service) UpdateConfig(edit func(*config.Config) error, after ...func()) error {
	s.mu.Lock()
	if err := s.notWritableLocked(); err != nil {
		s.mu.Unlock()
		return err
	}
	draft := s.cfg.Clone()
	s.mu.Unlock()
	if err := edit(&draft); err != nil {
		return err
	}
	if err := draft.Validate(); err != nil {
		return fmt.Errorf("invalid settings: %w", err)
	}
	if err := config.Save(s.configPath, draft); err != nil {
		return err
	}
	s.mu.Lock()
	s.cfg = draft
	if !s.opts.Demo && !s.cfg.Demo {
		s.demo = len(s.cfg.Sources) == 0
	}
	s.mu.Unlock()
	for _, f := range after {
		f()
	}
	s.broadcast()
	return nil
}

// notWritableLocked is the refusal to save over a file that could not be
// read (s.mu held).
func (s *Service) notWritableLocked() error {
	if s.cfgErr != nil {
		return fmt.Errorf("not saving: %s has an error Standby could not read (%w); fix it or move it away first", s.configPath, s.cfgErr)
	}
	return nil
}

// writable reports, before a secret is stored, whether the configuration
// that would refer to it can be saved, so no orphan is left in the keyring.
func (s *Service) writable() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notWritableLocked()
}

// AddSource stores token (if any) in the keyring, then adds or replaces
// the source in the configuration. The token never reaches the file.
func (s *Service) AddSource(ctx context.Context, sc config.Source, token string) error {
	if err := config.ValidName(sc.Name); err != nil {
		return fmt.Errorf("source name: %w", err)
	}
	if err := s.writable(); err != nil {
		return err
	}
	if token != "" {
		if s.secrets == nil {
			return errors.New("no keyring available to store the token")
		}
		if err := s.secrets.Set(ctx, secrets.SourceKey(sc.Name), token); err != nil {
			return err
		}
		sc.HasToken = true
	}
	return s.UpdateConfig(func(c *config.Config) error {
		for i, old := range c.Sources {
			if old.Name == sc.Name {
				if token == "" {
					sc.HasToken = old.HasToken
				}
				c.Sources[i] = sc
				return nil
			}
		}
		c.Sources = append(c.Sources, sc)
		return nil
	}, s.requestReload)
}

// RemoveSource deletes the source and its token.
func (s *Service) RemoveSource(ctx context.Context, name string) error {
	if _, ok := s.Config().SourceByName(name); !ok {
		return fmt.Errorf("no source named %q", name)
	}
	if err := s.UpdateConfig(func(c *config.Config) error {
		out := c.Sources[:0]
		for _, sc := range c.Sources {
			if sc.Name != name {
				out = append(out, sc)
			}
		}
		c.Sources = out
		return nil
	}, s.requestReload); err != nil {
		return err
	}
	if s.secrets != nil {
		if err := s.secrets.Delete(ctx, secrets.SourceKey(name)); err != nil {
			return fmt.Errorf("source removed, but its token could not be deleted from the keyring: %w", err)
		}
	}
	return nil
}

// TestResult is the outcome of TestSource.
type TestResult struct {
	Name    string        `json:"name"`
	OK      bool          `json:"ok"`
	Pages   int           `json:"pages"`
	Message string        `json:"message"`
	Took    time.Duration `json:"took"`
}

// TestSource builds the named source and lists its pages once, reporting
// the outcome in words ("token rejected (401)").
func (s *Service) TestSource(ctx context.Context, name string) TestResult {
	res := TestResult{Name: name}
	var src source.Source
	if name == DemoSourceName && s.Demo() {
		src = s.sources()[0]
	} else {
		sc, ok := s.Config().SourceByName(name)
		if !ok {
			res.Message = fmt.Sprintf("no source named %q", name)
			return res
		}
		var err error
		if src, err = s.buildSource(ctx, sc); err != nil {
			res.Message = err.Error()
			return res
		}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	pages, err := src.List(ctx)
	res.Took = time.Since(start)
	if err != nil {
		res.Message = describeSourceError(err)
		return res
	}
	res.OK, res.Pages = true, len(pages)
	res.Message = fmt.Sprintf("ok: %d open pages", len(pages))
	return res
}

func describeSourceError(err error) string {
	var se *source.Error
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}
