package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// FeedCache is the last good copy of a calendar feed and its sync cursor.
type FeedCache struct {
	Name         string
	ETag         string
	LastModified string
	Body         []byte
	Fetched      time.Time // when Body was last replaced
	Checked      time.Time // when the feed was last asked
	LastError    string    // the last refresh error, "" when fine
}

// Feed returns the cached feed; ok is false when there is none.
func (s *DB) Feed(ctx context.Context, name string) (FeedCache, bool, error) {
	var f FeedCache
	var fetched, checked int64
	err := s.db.QueryRowContext(ctx, `SELECT name, etag, last_modified, body, fetched, checked, last_error FROM feeds WHERE name = ?`, name).
		Scan(&f.Name, &f.ETag, &f.LastModified, &f.Body, &fetched, &checked, &f.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return FeedCache{}, false, nil
	}
	if err != nil {
		return FeedCache{}, false, fmt.Errorf("reading feed %s: %w", name, err)
	}
	f.Fetched, f.Checked = fromUnix(fetched), fromUnix(checked)
	return f, true, nil
}

// PutFeed stores a new good copy of a feed.
func (s *DB) PutFeed(ctx context.Context, f FeedCache) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO feeds(name, etag, last_modified, body, fetched, checked, last_error)
		VALUES(?, ?, ?, ?, ?, ?, '')
		ON CONFLICT(name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			body = excluded.body, fetched = excluded.fetched, checked = excluded.checked, last_error = ''`,
		f.Name, f.ETag, f.LastModified, f.Body, unix(f.Fetched), unix(f.Checked))
	if err != nil {
		return fmt.Errorf("storing feed %s: %w", f.Name, err)
	}
	return nil
}

// MarkFeedChecked records a refresh that kept the cached copy: errMsg is
// "" for 304 Not Modified and the error in words for a failure.
func (s *DB) MarkFeedChecked(ctx context.Context, name string, at time.Time, errMsg string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO feeds(name, checked, last_error) VALUES(?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET checked = excluded.checked, last_error = excluded.last_error`,
		name, unix(at), errMsg)
	if err != nil {
		return fmt.Errorf("updating feed %s: %w", name, err)
	}
	return nil
}

// DeleteFeed forgets a feed's cache.
func (s *DB) DeleteFeed(ctx context.Context, name string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM feeds WHERE name = ?", name); err != nil {
		return fmt.Errorf("deleting feed %s: %w", name, err)
	}
	return nil
}

// Deferred is a notification held back by quiet hours.
type Deferred struct {
	Page      page.ID
	Title     string
	Until     time.Time
	Reason    string
	Delivered time.Time // zero while pending
}

// Defer stores a deferred notification; deferring the same page again
// keeps the first entry.
func (s *DB) Defer(ctx context.Context, d Deferred) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO deferred(source, upstream, title, until, reason) VALUES(?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, d.Page.Source, d.Page.Upstream, d.Title, unix(d.Until), d.Reason)
	if err != nil {
		return fmt.Errorf("deferring %s: %w", d.Page, err)
	}
	return nil
}

// DueDeferred lists pending deferred notifications due at now.
func (s *DB) DueDeferred(ctx context.Context, now time.Time) ([]Deferred, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, upstream, title, until, reason FROM deferred
		WHERE delivered IS NULL AND until <= ? ORDER BY until, source, upstream`, unix(now))
	if err != nil {
		return nil, fmt.Errorf("reading deferred notifications: %w", err)
	}
	defer rows.Close()
	var out []Deferred
	for rows.Next() {
		var d Deferred
		var until int64
		if err := rows.Scan(&d.Page.Source, &d.Page.Upstream, &d.Title, &until, &d.Reason); err != nil {
			return nil, fmt.Errorf("reading deferred notifications: %w", err)
		}
		d.Until = fromUnix(until)
		out = append(out, d)
	}
	return out, rows.Err()
}

// MarkDelivered marks deferred notifications as delivered in one
// transaction, so a digest is never shown twice.
func (s *DB) MarkDelivered(ctx context.Context, ids []page.ID, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE deferred SET delivered = ? WHERE source = ? AND upstream = ? AND delivered IS NULL",
				unix(at), id.Source, id.Upstream); err != nil {
				return fmt.Errorf("marking %s delivered: %w", id, err)
			}
		}
		return nil
	})
}
