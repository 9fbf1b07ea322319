package store

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// userDirs points the user's config and data directories into a temp dir.
func userDirs(t *testing.T) (configDir, dataDir string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the XDG directories are Linux's")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "cfg"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	return filepath.Join(home, "cfg", "standby"), filepath.Join(home, "data", "standby")
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultPathIsInTheDataDir(t *testing.T) {
	_, data := userDirs(t)
	p, err := DefaultPath()
	if err != nil || p != filepath.Join(data, "state.db") {
		t.Fatalf("DefaultPath = %q, %v; want %s", p, err, filepath.Join(data, "state.db"))
	}
}

// TestOpenDefaultMovesLegacy: a database an older Standby left in the
// config directory, 0644, with a committed write still only in its WAL (as
// after a kill -9), is moved to the data directory, private, with the write.
func TestOpenDefaultMovesLegacy(t *testing.T) {
	cfgDir, dataDir := userDirs(t)
	ctx := context.Background()
	// Write through a database that stays open, and copy its files as a
	// crash would leave them.
	scratch := filepath.Join(t.TempDir(), "state.db")
	old, err := Open(ctx, scratch)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if _, err := old.db.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		t.Fatal(err)
	}
	if err := old.SetSetting(ctx, "quiet_until", "kept"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	legacy := filepath.Join(cfgDir, "state.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		copyFile(t, scratch+suffix, legacy+suffix)
	}
	if st, err := os.Stat(legacy + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("the legacy WAL is empty (%v): the test would not show that it is carried over", err)
	}

	def, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.Setting(ctx, "quiet_until"); err != nil || v != "kept" {
		t.Errorf("setting after the move = %q, %v; want the write that was only in the WAL", v, err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(legacy + suffix); !os.IsNotExist(err) {
			t.Errorf("legacy %s still there (%v)", filepath.Base(legacy+suffix), err)
		}
	}
	if m := mode(t, def); m != 0o600 {
		t.Errorf("state.db mode %v, want 0600", m)
	}
	if m := mode(t, dataDir); m != 0o700 {
		t.Errorf("data dir mode %v, want 0700", m)
	}
	if err := db.SetSetting(ctx, "x", "y"); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if m := mode(t, def+suffix); m&0o077 != 0 {
			t.Errorf("state.db%s mode %v, want private", suffix, m)
		}
	}
}

func TestMoveLeavesAnExistingDatabase(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	from, to := filepath.Join(dir, "old.db"), filepath.Join(dir, "new", "state.db")
	for _, p := range []string{from, to} {
		db, err := Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetSetting(ctx, "which", p); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	if err := Move(ctx, from, to); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.Setting(ctx, "which"); v != to {
		t.Errorf("the database already at the new place was replaced (has %q)", v)
	}
	if _, err := os.Stat(from); err != nil {
		t.Errorf("the old database was removed without being moved: %v", err)
	}
}

func TestMoveFailureKeepsTheOld(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "old.db"), filepath.Join(dir, "new", "state.db")
	junk := []byte("not a database, and not to be lost either")
	if err := os.WriteFile(from, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Move(context.Background(), from, to); err == nil {
		t.Fatal("Move of a file that is no database succeeded")
	}
	if b, err := os.ReadFile(from); err != nil || string(b) != string(junk) {
		t.Errorf("the old file was changed or removed: %q, %v", b, err)
	}
	if _, err := os.Stat(to); !os.IsNotExist(err) {
		t.Errorf("a half-made database is at the new place: %v", err)
	}
}

func TestOpenMakesAnExistingDatabasePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if m := mode(t, path); m != 0o600 {
		t.Errorf("mode after Open %v, want 0600", m)
	}
}
