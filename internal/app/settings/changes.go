package settings

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/secrets"
)

// SessionKey is the keyring key of a source's session (GoAlert logs in
// with a password and keeps the session it gets).
func SessionKey(source string) string { return secrets.SourceKey(source) + "/session" }

// AddSource adds or replaces a source. The draft is validated before token
// (if any) is stored in the keyring, so a bad source leaves no token
// behind; the token never reaches the file. A new token ends any session
// kept for the old one.
func (s *Settings) AddSource(ctx context.Context, sc config.Source, token string) error {
	if err := config.ValidName(sc.Name); err != nil {
		return fmt.Errorf("source name: %w", err)
	}
	c := Change{Edit: func(cfg *config.Config) error {
		upsertSource(cfg, sc, token != "")
		return nil
	}}
	if token != "" {
		c.Store = map[string]string{secrets.SourceKey(sc.Name): token}
		c.Drop = []string{SessionKey(sc.Name)}
	}
	return s.change(ctx, c)
}

func upsertSource(cfg *config.Config, sc config.Source, newToken bool) {
	sc.HasToken = newToken
	for i, old := range cfg.Sources {
		if old.Name == sc.Name {
			sc.HasToken = newToken || old.HasToken
			cfg.Sources[i] = sc
			return
		}
	}
	cfg.Sources = append(cfg.Sources, sc)
}

// RemoveSource deletes the source, then its token and session.
func (s *Settings) RemoveSource(ctx context.Context, name string) error {
	return s.change(ctx, Change{
		Edit: func(cfg *config.Config) error {
			i := slices.IndexFunc(cfg.Sources, func(sc config.Source) bool { return sc.Name == name })
			if i < 0 {
				return fmt.Errorf("no source named %q", name)
			}
			cfg.Sources = slices.Delete(cfg.Sources, i, i+1)
			return nil
		},
		Drop: []string{secrets.SourceKey(name), SessionKey(name)},
	})
}

// AddFeed adds or replaces a calendar feed. A URL (which usually carries a
// token) goes to the keyring; a local file path stays in the file.
func (s *Settings) AddFeed(ctx context.Context, name, rawURL, me string) error {
	if err := config.ValidName(name); err != nil {
		return fmt.Errorf("feed name: %w", err)
	}
	if _, err := schedule.ParseMe(me); err != nil {
		return err
	}
	if err := config.ValidFeedURL(rawURL); err != nil {
		return fmt.Errorf("feed url: %w", err)
	}
	f := config.Feed{Name: name, Me: me, URL: rawURL}
	c := Change{}
	if SecretURL(rawURL) {
		f.URL, f.SecretURL = "", true
		c.Store = map[string]string{secrets.FeedKey(name): rawURL}
	}
	c.Edit = func(cfg *config.Config) error {
		i := slices.IndexFunc(cfg.Feeds, func(o config.Feed) bool { return o.Name == name })
		if i < 0 {
			cfg.Feeds = append(cfg.Feeds, f)
		} else {
			cfg.Feeds[i] = f
		}
		return nil
	}
	if !f.SecretURL {
		c.Drop = []string{secrets.FeedKey(name)}
	}
	return s.change(ctx, c)
}

// SecretURL reports whether a feed address goes to the keyring: any URL
// but a file:// one.
func SecretURL(raw string) bool {
	return strings.Contains(raw, "://") && !strings.HasPrefix(raw, "file://")
}

// JoinTeam stores the member token and points the file at the hub urls;
// the user's name defaults to member.
func (s *Settings) JoinTeam(ctx context.Context, token, member string, urls []string) error {
	return s.change(ctx, Change{
		Edit: func(cfg *config.Config) error {
			cfg.Team.URLs = slices.Clone(urls)
			if cfg.User.Name == "" {
				cfg.User.Name = member
			}
			return nil
		},
		Store: map[string]string{secrets.TeamKey: token},
	})
}
