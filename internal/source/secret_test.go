package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverPrints(t *testing.T) {
	const token = "u+abcdefSECRET"
	type cfg struct {
		Name  string
		Token Secret
	}
	c := cfg{Name: "pd", Token: Secret(token)}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("cfg", "token", c.Token, "cfg", c)
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", c),
		"%+v":  fmt.Sprintf("%+v", c),
		"%#v":  fmt.Sprintf("%#v", c),
		"%s":   fmt.Sprintf("%s", c.Token),
		"%q":   fmt.Sprintf("%q", c.Token),
		"%x":   fmt.Sprintf("%x", c.Token),
		"%d":   fmt.Sprintf("%d", c.Token),
		"json": string(js),
		"slog": logged.String(),
	}
	for name, out := range outputs {
		if strings.Contains(out, token) || strings.Contains(out, fmt.Sprintf("%x", token)) {
			t.Errorf("%s leaks the secret: %s", name, out)
		}
		if !strings.Contains(out, "redacted") {
			t.Errorf("%s = %q, want [redacted]", name, out)
		}
	}
	if c.Token.Reveal() != token {
		t.Errorf("Reveal() = %q", c.Token.Reveal())
	}
}

func TestClaimNote(t *testing.T) {
	tests := []struct {
		text string
		name string
		ok   bool
	}{
		{ClaimNoteText("alice"), "alice", true},
		{"standby: Bob Smith is looking", "Bob Smith", true},
		{"  standby: carol is looking\n", "carol", true},
		{"standby:  is looking", "", false},
		{"alice is looking", "", false},
		{"standby: alice acked", "", false},
		{"standby: a\nb is looking", "", false},
	}
	for _, tt := range tests {
		name, ok := ParseClaimNote(tt.text)
		if name != tt.name || ok != tt.ok {
			t.Errorf("ParseClaimNote(%q) = %q, %v; want %q, %v", tt.text, name, ok, tt.name, tt.ok)
		}
	}
}
