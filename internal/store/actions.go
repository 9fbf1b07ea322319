package store

import (
	"context"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// Action is an upstream action (ack, unack, resolve, note) waiting to be
// sent, kept so that an ack made while offline is sent once on reconnect.
type Action struct {
	Seq       int64
	Page      page.ID
	Verb      string // "ack", "unack", "resolve", "note"
	Actor     string
	Email     string
	Text      string
	Created   time.Time
	Attempts  int
	LastError string
}

// EnqueueAction stores a pending action and returns its sequence number.
func (s *DB) EnqueueAction(ctx context.Context, a Action) (int64, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO actions(source, upstream, verb, actor, email, text, created)
		VALUES(?, ?, ?, ?, ?, ?, ?)`, a.Page.Source, a.Page.Upstream, a.Verb, a.Actor, a.Email, a.Text, unix(a.Created))
	if err != nil {
		return 0, fmt.Errorf("queueing %s of %s: %w", a.Verb, a.Page, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("queueing %s of %s: %w", a.Verb, a.Page, err)
	}
	return id, nil
}

// PendingActions lists the actions not yet done, oldest first.
func (s *DB) PendingActions(ctx context.Context) ([]Action, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, source, upstream, verb, actor, email, text, created, attempts, last_error
		FROM actions WHERE done IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("reading pending actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var created int64
		if err := rows.Scan(&a.Seq, &a.Page.Source, &a.Page.Upstream, &a.Verb, &a.Actor, &a.Email, &a.Text, &created, &a.Attempts, &a.LastError); err != nil {
			return nil, fmt.Errorf("reading pending actions: %w", err)
		}
		a.Created = fromUnix(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// DoneAction marks an action as sent (or given up).
func (s *DB) DoneAction(ctx context.Context, seq int64, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE actions SET done = ? WHERE id = ?", unix(at), seq); err != nil {
		return fmt.Errorf("completing action %d: %w", seq, err)
	}
	return nil
}

// FailedAttempt records a failed attempt to send an action.
func (s *DB) FailedAttempt(ctx context.Context, seq int64, msg string) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE actions SET attempts = attempts + 1, last_error = ? WHERE id = ?", msg, seq); err != nil {
		return fmt.Errorf("recording failure of action %d: %w", seq, err)
	}
	return nil
}
