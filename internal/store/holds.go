package store

import (
	"context"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// holdsSchema is migration 2.
const holdsSchema = `CREATE TABLE holds (
	source TEXT NOT NULL, upstream TEXT NOT NULL,
	first_seen INTEGER NOT NULL, until INTEGER NOT NULL,
	PRIMARY KEY (source, upstream));`

// Hold is a page held, silent, while a teammate on call is rung first: it
// rings at Until unless someone claims, acks or resolves it before. Kept so
// that a restart neither loses the escalation nor rings twice.
type Hold struct {
	Page page.ID
	// FirstSeen is when the page was first seen: the hold's start.
	FirstSeen time.Time
	// Until is the deadline.
	Until time.Time
}

const putHoldSQL = `INSERT INTO holds(source, upstream, first_seen, until) VALUES(?, ?, ?, ?)
	ON CONFLICT(source, upstream) DO UPDATE SET first_seen = excluded.first_seen, until = excluded.until`

// PutHold stores h, replacing the page's earlier deadline if any.
func (s *DB) PutHold(ctx context.Context, h Hold) error {
	_, err := s.db.ExecContext(ctx, putHoldSQL, h.Page.Source, h.Page.Upstream, unix(h.FirstSeen), unix(h.Until))
	if err != nil {
		return fmt.Errorf("storing the hold of %s: %w", h.Page, err)
	}
	return nil
}

// DeleteHold forgets the page's hold (it rang, or it ended silently). An
// unknown page is not an error.
func (s *DB) DeleteHold(ctx context.Context, id page.ID) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM holds WHERE source = ? AND upstream = ?", id.Source, id.Upstream); err != nil {
		return fmt.Errorf("removing the hold of %s: %w", id, err)
	}
	return nil
}

// Holds returns every stored hold, earliest deadline first.
func (s *DB) Holds(ctx context.Context) ([]Hold, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT source, upstream, first_seen, until FROM holds ORDER BY until, source, upstream")
	if err != nil {
		return nil, fmt.Errorf("reading holds: %w", err)
	}
	defer rows.Close()
	var out []Hold
	for rows.Next() {
		var h Hold
		var first, until int64
		if err := rows.Scan(&h.Page.Source, &h.Page.Upstream, &first, &until); err != nil {
			return nil, fmt.Errorf("reading holds: %w", err)
		}
		h.FirstSeen, h.Until = fromUnix(first), fromUnix(until)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading holds: %w", err)
	}
	return out, nil
}
