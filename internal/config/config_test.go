package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadMissingFileGivesDefaults(t *testing.T) {
	res, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Exists || res.Config.Version != CurrentVersion || len(res.Config.Quiet.Windows) != 2 {
		t.Fatalf("unexpected defaults: %+v", res)
	}
}

func TestParseErrorsNameLineAndKey(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"unknown key", "version = 1\n[user]\nnmae = \"x\"\n", []string{"line 3", "user.nmae"}},
		{"wrong type", "version = 1\n\n[user]\nname = 5\n", []string{"line 4", "user.name"}},
		{"bad syntax", "version = 1\n[user\n", []string{"line 2"}},
		{"bad duration", "[[sources]]\nname=\"a\"\nkind=\"demo\"\npoll=\"often\"\n", []string{"line 4", "sources.poll", "not a duration"}},
		{"bad kind", "[[sources]]\nname=\"a\"\nkind=\"pagerdoody\"\nurl=\"https://x\"\n", []string{"sources[0]", "kind", "pagerdoody"}},
		{"bad url", "[[sources]]\nname=\"a\"\nkind=\"alertmanager\"\nurl=\"ftp://x\"\n", []string{"sources[0]", "url", "scheme"}},
		{"bad zone", "[user]\nzone=\"Mars/Olympus\"\n", []string{"user.zone", "Mars/Olympus"}},
		{"dup names", "[[sources]]\nname=\"a\"\nkind=\"demo\"\n[[sources]]\nname=\"a\"\nkind=\"demo\"\n", []string{"used twice"}},
		{"newer version", "version = 9\n", []string{"newer Standby"}},
		{"bad me", "[[feeds]]\nname=\"f\"\nurl=\"/tmp/x.ics\"\nme=\"bob\"\n", []string{"feeds[0]", "me"}},
		{"bad team url", "[team]\nurls=[\"http://hub\"]\n", []string{"team.urls[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestBrokenFileKeepsDefaultsAndIsNotTouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	broken := []byte("[user\nname = 'x'\n")
	if err := os.WriteFile(path, broken, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("want an error naming the file, got %v", err)
	}
	if res.Config.Version != CurrentVersion || !res.Exists {
		t.Fatalf("want defaults with Exists, got %+v", res)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(broken) {
		t.Fatal("Load changed the user's file")
	}
}

func TestMigrateV0(t *testing.T) {
	cfg, migrated, err := Parse([]byte("[user]\nname=\"alice\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !migrated || cfg.Version != 1 || cfg.User.Name != "alice" {
		t.Fatalf("got %+v migrated=%v", cfg, migrated)
	}
}

func TestQuietSectionReplacesDefaults(t *testing.T) {
	cfg, _, err := Parse([]byte("version=1\n[quiet]\n[[quiet.windows]]\ndays=[\"mon\"]\nfrom=\"20:00\"\nto=\"06:00\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Quiet.Windows) != 1 || cfg.Quiet.Windows[0].From != "20:00" {
		t.Fatalf("got %+v", cfg.Quiet)
	}
}

func TestSaveRoundTripAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	cfg := Default()
	cfg.User = User{Name: "alice", Email: "alice@example.com", Zone: "Europe/Berlin"}
	cfg.Sources = []Source{{Name: "prod", Kind: "alertmanager", URL: "http://127.0.0.1:9093", Poll: Duration{45 * time.Second}, Matchers: []string{`team="payments"`}}}
	cfg.Feeds = []Feed{{Name: "primary", URL: "/tmp/x.ics", Me: "email:alice@example.com"}}
	if err := Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	res, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got := res.Config
	if got.User != cfg.User || got.Sources[0].Poll.D != 45*time.Second || got.Sources[0].Matchers[0] != `team="payments"` || got.Feeds[0].Me != cfg.Feeds[0].Me {
		t.Fatalf("round trip lost data: %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestSaveRefusesInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	cfg := Default()
	cfg.Sources = []Source{{Name: "bad name", Kind: "demo"}}
	if err := Save(path, cfg); err == nil {
		t.Fatal("want an error")
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("invalid config was written")
	}
}

func TestCloneIsDeep(t *testing.T) {
	cfg := Default()
	cfg.Sources = []Source{{Name: "a", Kind: "demo", Matchers: []string{"x"}}}
	c := cfg.Clone()
	c.Sources[0].Matchers[0] = "y"
	c.Quiet.Windows[0].Days[0] = "sat"
	if cfg.Sources[0].Matchers[0] != "x" || cfg.Quiet.Windows[0].Days[0] != "sun" {
		t.Fatal("Clone shares memory with the original")
	}
}

func TestRedact(t *testing.T) {
	got := Redact("https://user:pw@example.pagerduty.com/private/feed.ics?token=abc")
	if strings.Contains(got, "pw") || strings.Contains(got, "abc") {
		t.Fatalf("secret leaked: %s", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("version=1\n[user]\nname=\"a\"\n"))
	f.Add([]byte("[[sources]]\nname=\"a\"\nkind=\"demo\"\npoll=\"1s\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, _, err := Parse(b)
		if err == nil {
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("Parse accepted an invalid config: %v", verr)
			}
		}
	})
}

func TestSavedFileIsReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := Save(path, Default()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	for _, unwanted := range []string{"quiet_until", "resumed_until", "0001-01-01"} {
		if strings.Contains(string(b), unwanted) {
			t.Errorf("saved file carries %q:\n%s", unwanted, b)
		}
	}
	if _, err := Load(path); err != nil {
		t.Fatal(err)
	}
}

func TestQuietValidatedWithPath(t *testing.T) {
	_, _, err := Parse([]byte("[quiet]\n[[quiet.windows]]\ndays=[\"mon\"]\nfrom=\"25:00\"\nto=\"07:00\"\n"))
	if err == nil || !strings.Contains(err.Error(), "quiet.windows[0].from") {
		t.Fatalf("got %v", err)
	}
}
