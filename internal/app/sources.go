package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/source"
)

// UpdateConfig edits a copy of the configuration with edit, validates it
// and saves it atomically; only then does it become live. Edits never get
// lost: one writer at a time reads, modifies and writes. It refuses to
// overwrite a file that could not be read, so the user's work is never
// lost silently.
func (s *Service) UpdateConfig(edit func(*config.Config) error, after ...func()) error {
	if err := s.settings.Update(context.Background(), edit); err != nil {
		return err
	}
	for _, f := range after {
		f()
	}
	return nil
}

// AddSource adds or replaces the source; its token (if any) is stored in
// the keyring once the source is known to be valid, and never reaches the
// file. The engine is rebuilt with it. While the user has not decided
// about starting at login, a real source turns it on (LoginStartNotice
// then says so).
func (s *Service) AddSource(ctx context.Context, sc config.Source, token string) error {
	if token != "" && !s.settings.HasKeyring() {
		return errors.New("no keyring available to store the token")
	}
	if err := s.settings.AddSource(ctx, sc, token); err != nil {
		return err
	}
	s.sourceAdded(sc)
	return nil
}

// RemoveSource deletes the source, then its token and session.
func (s *Service) RemoveSource(ctx context.Context, name string) error {
	return s.settings.RemoveSource(ctx, name)
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
