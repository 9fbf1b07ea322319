package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// Opened is the first notification of a page, as MarkOpened records it.
type Opened struct {
	Page page.Page
	// At is when it was notified: its mark, its history's "seen" and its
	// event's time.
	At time.Time
	// Hold is its hold when it is held, stored with its mark; nil otherwise.
	Hold *Hold
	// Decision is the reason kept in the history (as RecordSeen's).
	Decision string
	// Kind and Quiet are its page event's (EventLoud…; in quiet hours).
	Kind  string
	Quiet bool
}

// MarkOpened records the first notification of many pages (the new pages
// of one poll) in one transaction: for each page not notified before, its
// hold if any, its notified mark, its history entry (as RecordSeen) and its
// page event; a page notified before gets none of these. first[i] reports
// whether os[i] was marked now for the first time, as MarkNotified does.
// On error nothing is recorded.
func (s *DB) MarkOpened(ctx context.Context, os []Opened) (first []bool, err error) {
	first = make([]bool, len(os))
	err = s.tx(ctx, func(tx *sql.Tx) error {
		st, err := prepareOpened(ctx, tx)
		if err != nil {
			return err
		}
		defer st.close()
		for i, o := range os {
			if first[i], err = st.record(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recording %d new pages: %w", len(os), err)
	}
	return first, nil
}

// openedStmts are MarkOpened's statements, prepared once per transaction.
type openedStmts struct {
	mark, hold, seen, event *sql.Stmt
}

func prepareOpened(ctx context.Context, tx *sql.Tx) (*openedStmts, error) {
	st := &openedStmts{}
	for _, p := range []struct {
		to  **sql.Stmt
		sql string
	}{{&st.mark, markNotifiedSQL}, {&st.hold, putHoldSQL}, {&st.seen, recordSeenSQL}, {&st.event, recordEventSQL}} {
		stmt, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("preparing: %w", err), st.close())
		}
		*p.to = stmt
	}
	return st, nil
}

func (st *openedStmts) close() error {
	var errs []error
	for _, s := range []*sql.Stmt{st.mark, st.hold, st.seen, st.event} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}

// record writes o's mark and, when it is the first, its hold, history
// entry and event. It reports whether the mark is the first.
func (st *openedStmts) record(ctx context.Context, o Opened) (bool, error) {
	id := o.Page.ID
	res, err := st.mark.ExecContext(ctx, id.Source, id.Upstream, unix(o.At))
	if err != nil {
		return false, fmt.Errorf("recording notification of %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if h := o.Hold; h != nil {
		if _, err := st.hold.ExecContext(ctx, h.Page.Source, h.Page.Upstream, unix(h.FirstSeen), unix(h.Until)); err != nil {
			return false, fmt.Errorf("storing the hold of %s: %w", h.Page, err)
		}
	}
	p := o.Page
	if _, err := st.seen.ExecContext(ctx, id.Source, id.Upstream, p.Title, p.Service, unix(p.OpenedAt), unix(o.At), o.Decision); err != nil {
		return false, fmt.Errorf("recording %s in history: %w", id, err)
	}
	if _, err := st.event.ExecContext(ctx, id.Source, id.Upstream, unix(o.At), o.Kind, o.Quiet, "", ""); err != nil {
		return false, fmt.Errorf("recording %s of %s: %w", o.Kind, id, err)
	}
	return true, nil
}
