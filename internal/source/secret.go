package source

import (
	"fmt"
	"log/slog"
)

// redacted is what a Secret prints as, whatever the verb or encoder.
const redacted = "[redacted]"

// Secret is an API token, password or other credential. It comes from the OS
// keyring, never from config files, and it never prints: fmt (every verb,
// including %#v and inside structs), slog, encoding/json and encoding/text
// all render it as "[redacted]". Only Reveal returns the value, and only the
// code that builds the HTTP request should call it.
type Secret string

// Reveal returns the secret value, for the Authorization header only.
func (s Secret) Reveal() string { return string(s) }

// IsZero reports whether no secret is set.
func (s Secret) IsZero() bool { return s == "" }

// String returns "[redacted]" (or "" when the secret is unset).
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return `source.Secret("` + s.String() + `")` }

// Format renders the secret as String does for every fmt verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue renders the secret as String does in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText renders the secret as String does, so that it is never
// written to a file by accident.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
