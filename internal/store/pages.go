package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

const markNotifiedSQL = "INSERT INTO notified(source, upstream, at) VALUES(?, ?, ?) ON CONFLICT DO NOTHING"

const recordSeenSQL = `INSERT INTO history(source, upstream, title, service, opened, seen, decision)
	VALUES(?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT(source, upstream) DO UPDATE SET title = excluded.title, service = excluded.service,
		decision = CASE WHEN excluded.decision = '' THEN history.decision ELSE excluded.decision END`

// MarkNotified records that the page was notified at. It returns true the
// first time for a page and false ever after, so a page is shown exactly
// once, across restarts too.
func (s *DB) MarkNotified(ctx context.Context, id page.ID, at time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, markNotifiedSQL, id.Source, id.Upstream, unix(at))
	if err != nil {
		return false, fmt.Errorf("recording notification of %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("recording notification of %s: %w", id, err)
	}
	return n == 1, nil
}

// WasNotified reports whether the page was notified before.
func (s *DB) WasNotified(ctx context.Context, id page.ID) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1 FROM notified WHERE source = ? AND upstream = ?", id.Source, id.Upstream).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading notification of %s: %w", id, err)
	}
	return true, nil
}

// HistoryEntry is one page in the personal history.
type HistoryEntry struct {
	ID       page.ID
	Title    string
	Service  string
	Opened   time.Time
	Seen     time.Time
	Acked    time.Time
	Resolved time.Time
	Decision string
}

// RecordSeen adds the page to the history the first time it is seen and
// refreshes its title and decision afterwards.
func (s *DB) RecordSeen(ctx context.Context, p page.Page, now time.Time, decision string) error {
	_, err := s.db.ExecContext(ctx, recordSeenSQL,
		p.ID.Source, p.ID.Upstream, p.Title, p.Service, unix(p.OpenedAt), unix(now), decision)
	if err != nil {
		return fmt.Errorf("recording %s in history: %w", p.ID, err)
	}
	return nil
}

// RecordAcked stamps the ack time of a page in the history.
func (s *DB) RecordAcked(ctx context.Context, id page.ID, at time.Time) error {
	return s.stamp(ctx, "acked", id, at)
}

// RecordResolved stamps the resolve time of a page in the history.
func (s *DB) RecordResolved(ctx context.Context, id page.ID, at time.Time) error {
	return s.stamp(ctx, "resolved", id, at)
}

func (s *DB) stamp(ctx context.Context, col string, id page.ID, at time.Time) error {
	// col is one of two constants above, never user input.
	q := "UPDATE history SET " + col + " = ? WHERE source = ? AND upstream = ? AND " + col + " IS NULL"
	if _, err := s.db.ExecContext(ctx, q, unix(at), id.Source, id.Upstream); err != nil {
		return fmt.Errorf("recording %s of %s: %w", col, id, err)
	}
	return nil
}

// History returns the pages seen since from, newest first.
func (s *DB) History(ctx context.Context, from time.Time, limit int) ([]HistoryEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, upstream, title, service, opened, seen, acked, resolved, decision
		FROM history WHERE seen >= ? ORDER BY seen DESC LIMIT ?`, unix(from), limit)
	if err != nil {
		return nil, fmt.Errorf("reading history: %w", err)
	}
	defer rows.Close()
	return scanHistory(rows)
}

func scanHistory(rows *sql.Rows) ([]HistoryEntry, error) {
	var out []HistoryEntry
	for rows.Next() {
		var e HistoryEntry
		var opened, seen int64
		var acked, resolved sql.NullInt64
		if err := rows.Scan(&e.ID.Source, &e.ID.Upstream, &e.Title, &e.Service, &opened, &seen, &acked, &resolved, &e.Decision); err != nil {
			return nil, fmt.Errorf("reading history: %w", err)
		}
		e.Opened, e.Seen, e.Acked, e.Resolved = fromUnix(opened), fromUnix(seen), nullTime(acked), nullTime(resolved)
		out = append(out, e)
	}
	return out, rows.Err()
}
