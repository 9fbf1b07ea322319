package store

import (
	"context"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// eventsSchema is migration 3: what happened to each page, in order, for
// the interruption report and the shift handoff. The settings row records
// when this history began, so a report can say which weeks it covers.
const eventsSchema = `CREATE TABLE page_events (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	source TEXT NOT NULL, upstream TEXT NOT NULL,
	at INTEGER NOT NULL, kind TEXT NOT NULL,
	quiet INTEGER NOT NULL DEFAULT 0, who TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '');
CREATE INDEX page_events_at ON page_events(at);
INSERT INTO settings(key, value) VALUES('events_since', CAST(unixepoch('subsec') * 1000 AS INTEGER))
	ON CONFLICT(key) DO NOTHING;`

// Event kinds. The decision kinds are the engine's levels, recorded when a
// page is first brought to attention and again when a hold ends in a ring.
const (
	EventLoud       = "loud"       // rang (a notification with sound)
	EventQuiet      = "quiet"      // shown silently
	EventDeferred   = "deferred"   // kept for the digest after quiet hours
	EventSuppressed = "suppressed" // not brought to attention
	EventHeld       = "held"       // held, silent, for a teammate on call
	EventClaimed    = "claimed"    // I claimed it ("I'm looking")
	EventAcked      = "acked"      // I acked it
	EventResolved   = "resolved"   // I resolved it
	EventNote       = "note"       // I wrote a note on it (Text)
)

// PageEvent is one thing that happened to a page.
type PageEvent struct {
	Page page.ID
	At   time.Time
	Kind string
	// Quiet says the user was in quiet hours at At.
	Quiet bool
	// Who is the person concerned, when not the user; Text a note's text.
	Who, Text string
}

const recordEventSQL = `INSERT INTO page_events(source, upstream, at, kind, quiet, who, text)
	VALUES(?, ?, ?, ?, ?, ?, ?)`

// RecordEvent appends e to the page history.
func (s *DB) RecordEvent(ctx context.Context, e PageEvent) error {
	_, err := s.db.ExecContext(ctx, recordEventSQL, e.Page.Source, e.Page.Upstream, unix(e.At), e.Kind, e.Quiet, e.Who, e.Text)
	if err != nil {
		return fmt.Errorf("recording %s of %s: %w", e.Kind, e.Page, err)
	}
	return nil
}

// PageEvents returns the events in [from, to), oldest first.
func (s *DB) PageEvents(ctx context.Context, from, to time.Time) ([]PageEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, upstream, at, kind, quiet, who, text FROM page_events
		WHERE at >= ? AND at < ? ORDER BY at, seq`, unix(from), unix(to))
	if err != nil {
		return nil, fmt.Errorf("reading page events: %w", err)
	}
	defer rows.Close()
	var out []PageEvent
	for rows.Next() {
		var e PageEvent
		var at int64
		if err := rows.Scan(&e.Page.Source, &e.Page.Upstream, &at, &e.Kind, &e.Quiet, &e.Who, &e.Text); err != nil {
			return nil, fmt.Errorf("reading page events: %w", err)
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// EventsSince is when this database began recording page events (the
// migration that added them); zero if unknown.
func (s *DB) EventsSince(ctx context.Context) (time.Time, error) {
	v, err := s.Setting(ctx, "events_since")
	if err != nil || v == "" {
		return time.Time{}, err
	}
	var ms int64
	if _, err := fmt.Sscan(v, &ms); err != nil {
		return time.Time{}, fmt.Errorf("reading events_since %q: %w", v, err)
	}
	return fromUnix(ms), nil
}

// HistoryBetween returns the pages first seen in [from, to), oldest first.
func (s *DB) HistoryBetween(ctx context.Context, from, to time.Time) ([]HistoryEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, upstream, title, service, opened, seen, acked, resolved, decision
		FROM history WHERE seen >= ? AND seen < ? ORDER BY seen`, unix(from), unix(to))
	if err != nil {
		return nil, fmt.Errorf("reading history: %w", err)
	}
	defer rows.Close()
	return scanHistory(rows)
}
