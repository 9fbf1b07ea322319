package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartAtLoginRoundTrip: the choice is saved and read back; an
// undecided config writes no [app] table; a bad value is refused with
// its key.
func TestStartAtLoginRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := Save(path, Default()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "[app]") || strings.Contains(string(b), "start_at_login") {
		t.Errorf("an undecided config writes start_at_login:\n%s", b)
	}
	for _, choice := range []string{StartAtLoginOn, StartAtLoginOff} {
		c := Default()
		c.App.StartAtLogin = choice
		if err := Save(path, c); err != nil {
			t.Fatal(err)
		}
		res, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if res.Config.App.StartAtLogin != choice {
			t.Errorf("saved %q, read back %q", choice, res.Config.App.StartAtLogin)
		}
	}
	_, _, err = Parse([]byte("[app]\nstart_at_login = \"yes\"\n"))
	if err == nil || !strings.Contains(err.Error(), "app.start_at_login") || !strings.Contains(err.Error(), `"yes"`) {
		t.Errorf("bad start_at_login: error %v, want one naming the key and the value", err)
	}
}
