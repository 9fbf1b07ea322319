package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Modes of the state database and its directory: the history of pages and
// actions is the user's alone.
const (
	fileMode = 0o600
	dirMode  = 0o700
)

// DataDir returns the directory for Standby's data: $XDG_DATA_HOME/standby
// (default ~/.local/share/standby) on Linux and other Unix systems,
// ~/Library/Application Support/standby on macOS and
// %LocalAppData%\standby on Windows.
func DataDir() (string, error) {
	switch runtime.GOOS {
	case "darwin", "ios":
		dir, err := os.UserConfigDir() // ~/Library/Application Support
		if err != nil {
			return "", fmt.Errorf("finding the data directory: %w", err)
		}
		return filepath.Join(dir, "standby"), nil
	case "windows":
		if dir := os.Getenv("LocalAppData"); dir != "" {
			return filepath.Join(dir, "standby"), nil
		}
		return "", errors.New("finding the data directory: %LocalAppData% is not set")
	}
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "standby"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the data directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "standby"), nil
}

// DefaultPath returns DataDir()/state.db. Open moves a database that an
// older Standby kept in the config directory (LegacyPath) there.
func DefaultPath() (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "state.db"), nil
}

// LegacyPath is where Standby kept the state database before it moved to
// the data directory: os.UserConfigDir()/standby/state.db.
func LegacyPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory: %w", err)
	}
	return filepath.Join(dir, "standby", "state.db"), nil
}

// prepareDefault makes the default path's directory private and moves the
// legacy database there when nothing is there yet. Other paths (tests, the
// --state of scripts) are left as they are.
func prepareDefault(ctx context.Context, path string) error {
	def, err := DefaultPath()
	if err != nil || path != def {
		return nil
	}
	if err := privateDir(filepath.Dir(def)); err != nil {
		return err
	}
	legacy, err := LegacyPath()
	if err != nil || legacy == def {
		return nil
	}
	return Move(ctx, legacy, def)
}

// Move moves the state database at from, with whatever its -wal file still
// holds, to to, unless to already exists or from does not. The copy is made
// by SQLite (VACUUM INTO) in to's directory, made private (0600) and then
// renamed into place; only then are from and its -wal and -shm files
// removed, so an interruption at any point leaves one complete database.
func Move(ctx context.Context, from, to string) error {
	if _, err := os.Stat(to); !errors.Is(err, fs.ErrNotExist) {
		return nil // already moved (or unreadable: Open will say so)
	}
	if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := privateDir(filepath.Dir(to)); err != nil {
		return err
	}
	tmp := to + ".moving"
	os.Remove(tmp) // a leftover of an interrupted move
	if err := vacuumInto(ctx, from, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("moving state database %s to %s: %w", from, to, err)
	}
	if err := os.Chmod(tmp, fileMode); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("moving state database: %w", err)
	}
	if err := os.Rename(tmp, to); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("moving state database: %w", err)
	}
	var errs []error
	for _, f := range []string{from, from + "-wal", from + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("state database moved to %s, but the old copy stays: %w", to, err)
	}
	return nil
}

// vacuumInto writes a consistent copy of the database at from (including
// committed transactions still in its WAL) to the new file to.
func vacuumInto(ctx context.Context, from, to string) error {
	db, err := sql.Open("sqlite", "file:"+from+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", to)
	return err
}

// privateDir creates dir (and its parents) and makes dir itself 0700.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("creating state directory: %w", err)
	}
	if err := os.Chmod(dir, dirMode); err != nil {
		return fmt.Errorf("making state directory private: %w", err)
	}
	return nil
}

// privateFiles creates the database file 0600 when it does not exist (so
// SQLite, which gives its -wal and -shm files the database's mode, never
// makes them readable by others) and makes existing ones 0600.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return fmt.Errorf("opening state database %s: %w", path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, fileMode); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("making %s private: %w", p, err)
		}
	}
	return nil
}
