// Package registry is the one list of the paging systems this build knows.
// For each kind it holds the name in words, the settings the kind takes
// (which are required, their defaults and help), how its severity words
// map to urgency, and how to build its adapter. Config validation, the
// app's builder, the CLI's flags and the Sources form read it, so adding a
// paging system is one adapter package and one entry here.
package registry

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/source"
)

// Field names one setting of a source, as its key in the config file.
type Field string

// The settings a source kind may take.
const (
	FieldURL        Field = "url"
	FieldToken      Field = "token" // kept in the keyring, never in the file
	FieldUsername   Field = "username"
	FieldAPIID      Field = "api_id"
	FieldCloudID    Field = "cloud_id"
	FieldGrafanaURL Field = "grafana_url"
	FieldReceiver   Field = "receiver"
	FieldMatchers   Field = "matchers"
	FieldUserIDs    Field = "user_ids"
	FieldTeamIDs    Field = "team_ids"
)

// Setting is one field a kind takes.
type Setting struct {
	Field Field
	// Label names the field in the Sources form ("Password").
	Label string
	// Help says what to put there (flag help, placeholder).
	Help     string
	Required bool
	// Default is used when the field is left empty.
	Default string
}

// Spec is what a constructor gets: the configured fields, the token from
// the keyring and the shared plumbing.
type Spec struct {
	Name, URL                            string
	Token                                source.Secret
	Username, APIID, CloudID, GrafanaURL string
	Receiver                             string
	Matchers, UserIDs, TeamIDs           []string
	HTTP                                 *http.Client
	Logger                               *slog.Logger
	Session                              source.Secret       // a kept login session (GoAlert)
	OnSession                            func(source.Secret) // keeps a renewed session
}

// Descriptor describes one kind.
type Descriptor struct {
	Kind source.Kind
	// Title is the system's name in words ("Grafana OnCall").
	Title    string
	Settings []Setting
	// Needs explains the required settings when one is missing.
	Needs string
	// Scale maps the kind's severity words to urgency (nil: the pages
	// state their own); it is source.ScaleOf(Kind).
	Scale source.Scale
	// Notice, if set, is a warning the window shows while a source of the
	// kind is configured (a product being retired…).
	Notice func(now time.Time) string
	// KeepsSession says the adapter logs in and wants its session kept
	// (Spec.Session, Spec.OnSession) in the keyring.
	KeepsSession bool
	// New builds the adapter.
	New func(Spec) (source.Source, error)
	// hidden kinds (the demo) are valid but not offered.
	hidden bool
}

// Setting returns the descriptor's setting for f.
func (d Descriptor) Setting(f Field) (Setting, bool) {
	i := slices.IndexFunc(d.Settings, func(s Setting) bool { return s.Field == f })
	if i < 0 {
		return Setting{}, false
	}
	return d.Settings[i], true
}

// Check reports the first required setting missing from set (which says,
// per field, whether it has a value), in the descriptor's words.
func (d Descriptor) Check(set func(Field) bool) error {
	for _, s := range d.Settings {
		if s.Required && s.Default == "" && s.Field != FieldToken && !set(s.Field) {
			if s.Field == FieldURL {
				return fmt.Errorf("url: missing")
			}
			return errors.New(d.Needs)
		}
	}
	return nil
}

// All returns the kinds a user can add, in the order they are offered.
func All() []Descriptor {
	out := make([]Descriptor, 0, len(kinds))
	for _, d := range kinds {
		if !d.hidden {
			out = append(out, d)
		}
	}
	return out
}

// Kinds returns the names of the kinds a user can add.
func Kinds() []source.Kind {
	var out []source.Kind
	for _, d := range All() {
		out = append(out, d.Kind)
	}
	return out
}

// Lookup returns the descriptor of k (the demo included).
func Lookup(k source.Kind) (Descriptor, bool) {
	i := slices.IndexFunc(kinds, func(d Descriptor) bool { return d.Kind == k })
	if i < 0 {
		return Descriptor{}, false
	}
	return kinds[i], true
}

// Names lists the kinds a user can add as "a, b or c".
func Names() string {
	ks := Kinds()
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = string(k)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
