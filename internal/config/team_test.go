package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTeamHoldDefaults(t *testing.T) {
	cfg, _, err := Parse([]byte("version=1\n[user]\nname=\"alice\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Team.HoldHigh.D != 2*time.Minute || cfg.Team.HoldLow.D != 10*time.Minute {
		t.Fatalf("holds = %s / %s, want 2m / 10m", cfg.Team.HoldHigh.D, cfg.Team.HoldLow.D)
	}
}

func TestTeamHoldParsed(t *testing.T) {
	cfg, _, err := Parse([]byte("version=1\n[team]\nhold_high=\"45s\"\nhold_low=\"0s\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Team.HoldHigh.D != 45*time.Second || cfg.Team.HoldLow.D != 0 {
		t.Fatalf("holds = %s / %s, want 45s / 0s", cfg.Team.HoldHigh.D, cfg.Team.HoldLow.D)
	}
}

// "0s" turns routing off; a save must not drop it and bring the default back.
func TestTeamHoldOffSurvivesSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	cfg := Default()
	cfg.Team.HoldHigh = Duration{}
	cfg.Team.HoldLow = Duration{}
	if err := Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	res, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if res.Config.Team.HoldHigh.D != 0 || res.Config.Team.HoldLow.D != 0 {
		t.Fatalf("after save: %s / %s, want 0s / 0s", res.Config.Team.HoldHigh.D, res.Config.Team.HoldLow.D)
	}
}

func TestTeamHoldValidated(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"[team]\nhold_high=\"-1m\"\n", "team.hold_high: -1m0s is negative"},
		{"[team]\nhold_low=\"2h\"\n", "team.hold_low: 2h0m0s is longer than 1h0m0s"},
		{"[team]\nhold_low=\"soon\"\n", "hold_low"},
	} {
		_, _, err := Parse([]byte("version=1\n" + tc.file))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want it to contain %q", tc.file, err, tc.want)
		}
	}
}
