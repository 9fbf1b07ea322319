package sourcehttp

import (
	"strings"
	"testing"
)

func TestParseBase(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://api.example.com/v1", ""},
		{"http://am:9093", ""},
		{"", `x source "a": URL "": want https://host`},
		{"ftp://host", `x source "a": URL "ftp://host": want https://host`},
		{"https://", `want https://host`},
		{"https://bob:hunter2@host", `x source "a": URL must not hold credentials; keep them in the keyring`},
	}
	for _, tt := range tests {
		base, err := ParseBase(`x source "a"`, tt.raw, "https://host")
		switch {
		case tt.want == "" && (err != nil || base.String() != tt.raw):
			t.Errorf("ParseBase(%q) = %v, %v; want the URL", tt.raw, base, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || base != nil):
			t.Errorf("ParseBase(%q) = %v, %v; want an error with %q", tt.raw, base, err, tt.want)
		case err != nil && strings.Contains(err.Error(), "hunter2"):
			t.Errorf("ParseBase(%q) error leaks the password: %v", tt.raw, err)
		}
	}
}
