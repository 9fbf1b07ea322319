package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// DefaultPath returns os.UserConfigDir()/standby/config.toml, so that
// XDG_CONFIG_HOME selects another directory on Linux.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory: %w", err)
	}
	return filepath.Join(dir, "standby", "config.toml"), nil
}

// LoadResult is what Load found.
type LoadResult struct {
	Config Config
	// Exists is false when there was no file (defaults are in use).
	Exists bool
	// Migrated is true when the file had an older schema; the migrated
	// config is in memory only until the user saves.
	Migrated bool
}

// Load reads path: defaults → decode → migrate → validate. A missing file
// is not an error. On a broken file it returns the defaults together with
// an error that names the line and the key, so the caller can start anyway
// and say so; the file itself is never touched.
func Load(path string) (LoadResult, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return LoadResult{Config: Default()}, nil
	}
	if err != nil {
		return LoadResult{Config: Default()}, fmt.Errorf("reading %s: %w", path, err)
	}
	cfg, migrated, err := Parse(data)
	if err != nil {
		return LoadResult{Config: Default(), Exists: true}, fmt.Errorf("%s: %w", path, err)
	}
	return LoadResult{Config: cfg, Exists: true, Migrated: migrated}, nil
}

// Parse decodes a config file's bytes on top of the defaults, migrates
// and validates it.
func Parse(data []byte) (Config, bool, error) {
	cfg := Default()
	cfg.Version = 0 // a file without the key predates versioning
	// A file that sets [quiet] replaces the default windows rather than
	// merging with them.
	cfg.Quiet.Windows = nil
	var probe struct {
		Quiet *struct{} `toml:"quiet"`
	}
	_ = toml.Unmarshal(data, &probe) // errors are reported by the strict decode below

	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, false, describe(err)
	}
	if probe.Quiet == nil {
		cfg.Quiet = Default().Quiet
	}
	// Ad-hoc quiet is state (kept in the store); never read it from here.
	cfg.Quiet.QuietUntil, cfg.Quiet.ResumedUntil = time.Time{}, time.Time{}
	migrated, err := migrate(&cfg)
	if err != nil {
		return Config{}, false, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, false, err
	}
	return cfg, migrated, nil
}

// describe turns go-toml's errors into one line naming the line and key.
func describe(err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		e := strict.Errors[0]
		row, _ := e.Position()
		return fmt.Errorf("line %d: unknown key %q", row, keyString(e.Key()))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		if k := keyString(de.Key()); k != "" {
			return fmt.Errorf("line %d, key %q: %s", row, k, de.Error())
		}
		return fmt.Errorf("line %d column %d: %s", row, col, de.Error())
	}
	return fmt.Errorf("decoding config: %w", err)
}

func keyString(k toml.Key) string {
	var b bytes.Buffer
	for i, p := range k {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// migrate upgrades older schemas in place and reports whether it did.
func migrate(cfg *Config) (bool, error) {
	switch {
	case cfg.Version == CurrentVersion:
		return false, nil
	case cfg.Version == 0:
		// Version 0 files were written before the version key existed;
		// their shape is the same.
		cfg.Version = 1
		return true, nil
	case cfg.Version > CurrentVersion:
		return false, fmt.Errorf("version %d was written by a newer Standby (this one reads up to %d)", cfg.Version, CurrentVersion)
	default:
		return false, fmt.Errorf("version %d is not a known config version", cfg.Version)
	}
}

// Save writes cfg to path atomically: a temporary file in the same
// directory, fsync, then rename over the old file.
func Save(path string, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("not saving an invalid config: %w", err)
	}
	cfg.Version = CurrentVersion
	cfg.Quiet.QuietUntil, cfg.Quiet.ResumedUntil = time.Time{}, time.Time{}
	var buf bytes.Buffer
	buf.WriteString("# Standby configuration. Secrets are kept in the OS keyring, never here.\n")
	enc := toml.NewEncoder(&buf)
	enc.SetIndentTables(true)
	if err := enc.Encode(cfg); err != nil {
		return fmt.Errorf("encoding config: %w", err)
	}
	return writeAtomic(path, buf.Bytes())
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".config-*.toml")
	if err != nil {
		return fmt.Errorf("creating temporary config: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("syncing %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return nil
}
