// Package config is Standby's typed configuration: every key and its default
// in one place, loaded as defaults → decode → migrate → validate, and saved
// atomically (write a temporary file, then rename).
//
// The file never holds secrets: tokens and feed URLs with tokens live in the
// OS keyring (package secrets) under keys derived from the names here.
package config

import (
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/quiet"
)

// CurrentVersion is the schema version this build writes.
const CurrentVersion = 1

// Config is the whole user configuration.
type Config struct {
	// Version is the schema version of the file; older files are migrated.
	Version int `toml:"version"`
	// Demo forces the demo source even when real sources are configured.
	Demo bool `toml:"demo,omitempty"`
	// User says who "me" is on the team and in the paging systems.
	User User `toml:"user"`
	// Sources are the paging systems to poll.
	Sources []Source `toml:"sources,omitempty"`
	// Feeds are the on-call calendars.
	Feeds []Feed `toml:"feeds,omitempty"`
	// Notify tunes desktop notifications.
	Notify Notify `toml:"notify"`
	// Team is the team bus connection; empty Hub means working alone.
	Team Team `toml:"team"`
	// Quiet holds the quiet-hours rules. Ad-hoc "quiet for 2 h" is state,
	// kept in the store, not here.
	Quiet quiet.Rules `toml:"quiet"`
	// Incident configures declaring incidents (the living-document link).
	Incident Incident `toml:"incident,omitempty"`
	// App holds choices about the app itself (start at login).
	App App `toml:"app,omitempty"`
}

// User identifies the person using this app.
type User struct {
	// Name is the short name teammates see ("alice").
	Name string `toml:"name"`
	// Email is used for PagerDuty's From header and calendar matching.
	Email string `toml:"email,omitempty"`
	// Zone is an IANA time zone; empty means the system zone.
	Zone string `toml:"zone,omitempty"`
}

// Source is one configured paging system. Its token is in the keyring
// under secrets.SourceKey(Name).
type Source struct {
	Name string `toml:"name"`
	// Kind is the adapter: see Kinds.
	Kind string `toml:"kind"`
	URL  string `toml:"url,omitempty"`
	// Poll is the poll cadence; 0 means the default (30 s).
	Poll Duration `toml:"poll,omitempty"`
	// Receiver filters Alertmanager alerts by receiver (regexp).
	Receiver string `toml:"receiver,omitempty"`
	// Matchers filter Alertmanager alerts (`severity="critical"`).
	Matchers []string `toml:"matchers,omitempty"`
	// UserIDs and TeamIDs scope PagerDuty incidents.
	UserIDs []string `toml:"user_ids,omitempty"`
	TeamIDs []string `toml:"team_ids,omitempty"`
	// Username is the GoAlert login, the Splunk On-Call user name, or the
	// Atlassian account e-mail for JSM Ops.
	Username string `toml:"username,omitempty"`
	// APIID is the Splunk On-Call API id (not secret; the key is).
	APIID string `toml:"api_id,omitempty"`
	// CloudID is the Atlassian site's cloud id (JSM Ops).
	CloudID string `toml:"cloud_id,omitempty"`
	// GrafanaURL is the Grafana stack URL sent to Grafana Cloud IRM.
	GrafanaURL string `toml:"grafana_url,omitempty"`
	// HasToken records that a token was stored in the keyring.
	HasToken bool `toml:"has_token,omitempty"`
}

// Feed is one on-call calendar. A URL carrying a token is stored in the
// keyring (secrets.FeedKey(Name)) and URL here is left empty.
type Feed struct {
	Name string `toml:"name"`
	// URL is a file path or an http(s)/webcal URL without secrets.
	URL string `toml:"url,omitempty"`
	// SecretURL says the URL is in the keyring.
	SecretURL bool `toml:"secret_url,omitempty"`
	// Me says which events are mine: "all", "email:ADDR" or "name:TEXT".
	Me string `toml:"me,omitempty"`
	// Refresh is the refresh cadence; 0 means 15 min.
	Refresh Duration `toml:"refresh,omitempty"`
}

// Notify tunes notifications and reminders.
type Notify struct {
	// Sound plays the alarm for loud pages: repeating for a high-urgency
	// page while on call, once for the others.
	Sound bool `toml:"sound"`
	// RingOnce makes the alarm ring once for every loud page, never
	// repeating.
	RingOnce bool `toml:"ring_once"`
	// EveningBefore is the local time of the evening-before shift reminder ("" = off).
	EveningBefore string `toml:"evening_before"`
	// HourBefore, AtStart and AtEnd switch the other shift reminders.
	HourBefore bool `toml:"hour_before"`
	AtStart    bool `toml:"at_start"`
	AtEnd      bool `toml:"at_end"`
}

// Team is the connection to a standby-hub or a team's own NATS cluster.
// The member token is in the keyring under secrets.TeamKey.
type Team struct {
	// URLs are nats:// or tls:// server URLs; empty means no team bus.
	URLs []string `toml:"urls,omitempty"`
	// ClaimTTL is how long "I'm looking" lasts; 0 means 30 min.
	ClaimTTL Duration `toml:"claim_ttl,omitempty"`
	// HoldHigh is how long a high urgency page is held, silent, while a
	// teammate who is on call is rung first; "0s" turns routing off for
	// high urgency (every page rings at once, as before routing). Always
	// written, so that "0s" survives a save.
	HoldHigh Duration `toml:"hold_high"`
	// HoldLow is HoldHigh for low urgency pages.
	HoldLow Duration `toml:"hold_low"`
	// ShareLoad publishes my weekly counts (pages, loud, at night; no
	// titles) to the team hub for the team's load view. Off by default.
	ShareLoad bool `toml:"share_load,omitempty"`
}

// Default returns the configuration used when there is no file.
func Default() Config {
	return Config{
		Version: CurrentVersion,
		Notify: Notify{
			Sound:         true,
			EveningBefore: "18:00",
			HourBefore:    true,
			AtStart:       true,
			AtEnd:         false,
		},
		Quiet: defaultQuiet(),
		Team:  Team{HoldHigh: Duration{DefaultHoldHigh}, HoldLow: Duration{DefaultHoldLow}},
	}
}

func defaultQuiet() quiet.Rules {
	r := quiet.DefaultRules()
	r.Windows = []quiet.Window{
		// A window belongs to the day it starts on: the nights that start
		// Sunday to Friday, so that Sunday night keeps Monday morning quiet.
		{Days: []string{"sun", "mon", "tue", "wed", "thu", "fri"}, From: "22:00", To: "07:00"},
		{Days: []string{"sat", "sun"}, AllDay: true},
	}
	return r
}

// DefaultPoll is the poll cadence when a source sets none.
const DefaultPoll = 30 * time.Second

// DefaultRefresh is the feed refresh cadence when a feed sets none.
const DefaultRefresh = 15 * time.Minute

// DefaultHoldHigh and DefaultHoldLow are how long a page is held while a
// teammate on call is rung first, when the file sets nothing.
const (
	DefaultHoldHigh = 2 * time.Minute
	DefaultHoldLow  = 10 * time.Minute
)

// MaxHold bounds team.hold_high and team.hold_low: a longer hold would leave
// a page that its responder missed unrung for too long.
const MaxHold = time.Hour

// DefaultClaimTTL is how long a claim lives when the team sets none.
const DefaultClaimTTL = 30 * time.Minute

// PollOf returns the effective poll cadence of s.
func (s Source) PollOf() time.Duration {
	if s.Poll.D > 0 {
		return s.Poll.D
	}
	return DefaultPoll
}

// SourceByName returns the source named name.
func (c Config) SourceByName(name string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

// FeedByName returns the feed named name.
func (c Config) FeedByName(name string) (Feed, bool) {
	for _, f := range c.Feeds {
		if f.Name == name {
			return f, true
		}
	}
	return Feed{}, false
}

// Clone returns a deep copy, so that a settings form can edit a draft
// without touching the live configuration.
func (c Config) Clone() Config {
	out := c
	out.Sources = cloneSlice(c.Sources, func(s Source) Source {
		s.Matchers = append([]string(nil), s.Matchers...)
		s.UserIDs = append([]string(nil), s.UserIDs...)
		s.TeamIDs = append([]string(nil), s.TeamIDs...)
		return s
	})
	out.Feeds = append([]Feed(nil), c.Feeds...)
	out.Team.URLs = append([]string(nil), c.Team.URLs...)
	out.Quiet.Windows = cloneSlice(c.Quiet.Windows, func(w quiet.Window) quiet.Window {
		w.Days = append([]string(nil), w.Days...)
		return w
	})
	if c.Quiet.Urgency != nil {
		out.Quiet.Urgency = make(map[string]map[string]string, len(c.Quiet.Urgency))
		for k, m := range c.Quiet.Urgency {
			inner := make(map[string]string, len(m))
			for kk, v := range m {
				inner[kk] = v
			}
			out.Quiet.Urgency[k] = inner
		}
	}
	return out
}

func cloneSlice[T any](in []T, f func(T) T) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// Duration is a time.Duration written as "30s" / "15m" in the file.
type Duration struct{ D time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like 30s or 15m", string(b))
	}
	d.D = v
	return nil
}

// MarshalText writes the Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.D.String()), nil }

// IsZero lets omitempty drop unset durations.
func (d Duration) IsZero() bool { return d.D == 0 }
