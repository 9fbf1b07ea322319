package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/registry"
)

// Kinds lists the source kinds this build knows, the demo last.
//
// Deprecated: read registry.All, which also has each kind's settings.
var Kinds = kindNames()

func kindNames() []string {
	var out []string
	for _, k := range registry.Kinds() {
		out = append(out, string(k))
	}
	return append(out, string(source.KindDemo))
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// ValidName reports whether s can name a source or a feed (it is used in
// page ids and keyring keys, so it has no slashes or spaces).
func ValidName(s string) error {
	if !namePattern.MatchString(s) {
		return fmt.Errorf("%q: use letters, digits, '.', '_' or '-' (at most 64)", s)
	}
	return nil
}

// Validate checks every field and names the first bad one by its path in
// the file ("sources[1].url: …").
func (c Config) Validate() error {
	var errs []error
	if c.User.Zone != "" {
		if _, err := time.LoadLocation(c.User.Zone); err != nil {
			errs = append(errs, fmt.Errorf("user.zone: %q is not an IANA time zone", c.User.Zone))
		}
	}
	seen := map[string]bool{}
	for i, s := range c.Sources {
		if err := s.validate(); err != nil {
			errs = append(errs, fmt.Errorf("sources[%d]: %w", i, err))
		}
		if seen[s.Name] {
			errs = append(errs, fmt.Errorf("sources[%d].name: %q is used twice", i, s.Name))
		}
		seen[s.Name] = true
	}
	seen = map[string]bool{}
	for i, f := range c.Feeds {
		if err := f.validate(); err != nil {
			errs = append(errs, fmt.Errorf("feeds[%d]: %w", i, err))
		}
		if seen[f.Name] {
			errs = append(errs, fmt.Errorf("feeds[%d].name: %q is used twice", i, f.Name))
		}
		seen[f.Name] = true
	}
	for i, u := range c.Team.URLs {
		if !strings.HasPrefix(u, "nats://") && !strings.HasPrefix(u, "tls://") {
			errs = append(errs, fmt.Errorf("team.urls[%d]: %q must start with nats:// or tls://", i, u))
		}
	}
	errs = append(errs, checkHold("team.hold_high", c.Team.HoldHigh.D), checkHold("team.hold_low", c.Team.HoldLow.D))
	if c.Notify.EveningBefore != "" {
		if _, err := time.Parse("15:04", c.Notify.EveningBefore); err != nil {
			errs = append(errs, fmt.Errorf("notify.evening_before: %q is not HH:MM", c.Notify.EveningBefore))
		}
	}
	if err := c.Quiet.Validate(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.Incident.validate(), c.App.validate())
	return errors.Join(errs...)
}

// checkHold rejects a negative hold and one longer than MaxHold; nil when
// d is fine (0 turns routing off).
func checkHold(key string, d time.Duration) error {
	switch {
	case d < 0:
		return fmt.Errorf("%s: %s is negative (use \"0s\" to turn routing off)", key, d)
	case d > MaxHold:
		return fmt.Errorf("%s: %s is longer than %s", key, d, MaxHold)
	}
	return nil
}

func (s Source) validate() error {
	if err := ValidName(s.Name); err != nil {
		return fmt.Errorf("name: %w", err)
	}
	d, ok := registry.Lookup(source.Kind(s.Kind))
	if !ok {
		return fmt.Errorf("kind: %q is not one of %s", s.Kind, strings.Join(Kinds, ", "))
	}
	if u, ok := d.Setting(registry.FieldURL); s.URL != "" || (ok && u.Required && u.Default == "") {
		if err := checkURL(s.URL, "http", "https"); err != nil {
			return fmt.Errorf("url: %w", err)
		}
	}
	if err := d.Check(s.has); err != nil {
		return err
	}
	if s.Poll.D != 0 && s.Poll.D < time.Second {
		return fmt.Errorf("poll: %s is too fast (at least 1s)", s.Poll.D)
	}
	return nil
}

// has reports whether the setting f has a value (the token is in the
// keyring and not checked here).
func (s Source) has(f registry.Field) bool {
	switch f {
	case registry.FieldURL:
		return s.URL != ""
	case registry.FieldUsername:
		return s.Username != ""
	case registry.FieldAPIID:
		return s.APIID != ""
	case registry.FieldCloudID:
		return s.CloudID != ""
	case registry.FieldGrafanaURL:
		return s.GrafanaURL != ""
	case registry.FieldReceiver:
		return s.Receiver != ""
	case registry.FieldMatchers:
		return len(s.Matchers) > 0
	case registry.FieldUserIDs:
		return len(s.UserIDs) > 0
	case registry.FieldTeamIDs:
		return len(s.TeamIDs) > 0
	}
	return false
}

func (f Feed) validate() error {
	if err := ValidName(f.Name); err != nil {
		return fmt.Errorf("name: %w", err)
	}
	if f.URL == "" && !f.SecretURL {
		return errors.New("url: missing")
	}
	if f.URL != "" {
		if err := ValidFeedURL(f.URL); err != nil {
			return fmt.Errorf("url: %w", err)
		}
	}
	switch {
	case f.Me == "", f.Me == "all":
	case strings.HasPrefix(f.Me, "email:") && len(f.Me) > len("email:"):
	case strings.HasPrefix(f.Me, "name:") && len(f.Me) > len("name:"):
	default:
		return fmt.Errorf("me: %q must be all, email:ADDRESS or name:TEXT", f.Me)
	}
	return nil
}

// ValidFeedURL checks a calendar's address: a local path, or an http(s),
// webcal or file URL with a host. Errors never show the URL's secrets.
func ValidFeedURL(raw string) error {
	if raw == "" {
		return errors.New("missing")
	}
	if !strings.Contains(raw, "://") {
		return nil
	}
	return checkURL(raw, "http", "https", "webcal", "file")
}

func checkURL(raw string, schemes ...string) error {
	if raw == "" {
		return errors.New("missing")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if !slices.Contains(schemes, u.Scheme) {
		return fmt.Errorf("%q: scheme must be one of %s", Redact(raw), strings.Join(schemes, ", "))
	}
	if u.Host == "" && u.Scheme != "file" {
		return fmt.Errorf("%q has no host", Redact(raw))
	}
	return nil
}

// Redact hides credentials and query strings in a URL for logs and the UI.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	if u.User != nil {
		u.User = url.User("***")
	}
	if u.RawQuery != "" {
		u.RawQuery = "***"
	}
	return u.String()
}
