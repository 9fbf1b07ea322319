// Package store is Standby's local state on SQLite (modernc.org/sqlite, pure
// Go): which pages were notified, actions waiting to be sent, deferred
// notifications, cached calendar feeds, page history and small settings.
//
// Every write is one transaction in WAL mode, so a kill -9 at any moment
// loses nothing that was committed. The schema is versioned with SQLite's
// user_version and migrated forward on Open.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is an open state database.
type DB struct {
	db *sql.DB
}

// Open opens (creating if needed) the database at path and migrates it.
// The file and its -wal and -shm files are made 0600 (a new directory
// 0700). Opening the DefaultPath also makes its directory 0700 and first
// moves a database that an older Standby left in the config directory.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := prepareDefault(ctx, path); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return nil, fmt.Errorf("creating state directory: %w", err)
	}
	if err := privateFiles(path); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=busy_timeout(5000)&_pragma=foreign_keys(ON)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening state database %s: %w", path, err)
	}
	// One writer connection avoids SQLITE_BUSY between our own goroutines.
	db.SetMaxOpenConns(1)
	s := &DB{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating state database %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

// migrations are applied in order; index i brings the schema to version i+1.
// Never edit a released entry: append a new one.
var migrations = []string{
	`CREATE TABLE notified (
		source TEXT NOT NULL, upstream TEXT NOT NULL, at INTEGER NOT NULL,
		PRIMARY KEY (source, upstream));
	CREATE TABLE actions (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		source TEXT NOT NULL, upstream TEXT NOT NULL, verb TEXT NOT NULL,
		actor TEXT NOT NULL, email TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '',
		created INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '', done INTEGER);
	CREATE TABLE deferred (
		source TEXT NOT NULL, upstream TEXT NOT NULL, title TEXT NOT NULL,
		until INTEGER NOT NULL, reason TEXT NOT NULL, delivered INTEGER,
		PRIMARY KEY (source, upstream));
	CREATE TABLE feeds (
		name TEXT PRIMARY KEY, etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '',
		body BLOB, fetched INTEGER NOT NULL DEFAULT 0, checked INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '');
	CREATE TABLE history (
		source TEXT NOT NULL, upstream TEXT NOT NULL, title TEXT NOT NULL,
		service TEXT NOT NULL DEFAULT '', opened INTEGER NOT NULL, seen INTEGER NOT NULL,
		acked INTEGER, resolved INTEGER, decision TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (source, upstream));
	CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
	// 2: hold deadlines of pages held for a teammate on call (holds.go).
	holdsSchema,
	// 3: page events for the report and the handoff (events.go).
	eventsSchema,
}

func (s *DB) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this Standby knows (%d)", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("applying migration %d: %w", i+1, err)
		}
	}
	return nil
}

// tx runs f in one transaction, committing on nil and rolling back otherwise.
func (s *DB) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	if err := f(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

func unix(t time.Time) int64 { return t.UnixMilli() }

func fromUnix(ms int64) time.Time { return time.UnixMilli(ms) }

func nullTime(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromUnix(n.Int64)
}

// Setting returns a small named value ("" when unset).
func (s *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores a small named value; an empty value deletes it.
func (s *DB) SetSetting(ctx context.Context, key, value string) error {
	var err error
	if value == "" {
		_, err = s.db.ExecContext(ctx, "DELETE FROM settings WHERE key = ?", key)
	} else {
		_, err = s.db.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	}
	if err != nil {
		return fmt.Errorf("writing setting %s: %w", key, err)
	}
	return nil
}
