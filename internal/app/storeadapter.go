package app

import (
	"context"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/store"
)

// engineStore adapts the SQLite store to what the engine needs.
type engineStore struct{ db *store.DB }

// MarkNotified records that id was notified; false when it was before.
func (e engineStore) MarkNotified(ctx context.Context, id page.ID, at time.Time) (bool, error) {
	return e.db.MarkNotified(ctx, id, at)
}

// MarkOpened records the first notifications of a pass in one
// transaction: for each page not notified before, its hold when held, its
// mark, its history entry and its page event (the decision, and whether
// quiet hours ran as the policy saw them).
func (e engineStore) MarkOpened(ctx context.Context, os []engine.Opening) ([]bool, error) {
	rows := make([]store.Opened, len(os))
	for i, o := range os {
		d := o.Decision
		rows[i] = store.Opened{Page: o.Page, At: o.At, Decision: d.Reason, Kind: decisionKind(d.Level), Quiet: d.QuietHours}
		if h, held := o.Hold(); held {
			rows[i].Hold = &store.Hold{Page: h.Page, FirstSeen: h.FirstSeen, Until: h.Until}
		}
	}
	return e.db.MarkOpened(ctx, rows)
}

// EnqueueAction stores an action to send later.
func (e engineStore) EnqueueAction(ctx context.Context, a engine.Action) (int64, error) {
	return e.db.EnqueueAction(ctx, store.Action{Page: a.Page, Verb: string(a.Kind), Actor: a.By.Name,
		Email: a.By.Email, Text: a.Text, Created: a.At})
}

// PendingActions returns the actions not sent yet, oldest first.
func (e engineStore) PendingActions(ctx context.Context) ([]engine.Action, error) {
	rows, err := e.db.PendingActions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]engine.Action, 0, len(rows))
	for _, r := range rows {
		out = append(out, engine.Action{ID: r.Seq, Kind: engine.ActionKind(r.Verb), Page: r.Page,
			By: source.Actor{Name: r.Actor, Email: r.Email}, Text: r.Text, At: r.Created})
	}
	return out, nil
}

// DoneAction removes a sent (or refused) action from the queue.
func (e engineStore) DoneAction(ctx context.Context, id int64) error {
	return e.db.DoneAction(ctx, id, time.Now())
}

// PutHold stores a held page's deadline.
func (e engineStore) PutHold(ctx context.Context, h engine.Hold) error {
	return e.db.PutHold(ctx, store.Hold{Page: h.Page, FirstSeen: h.FirstSeen, Until: h.Until})
}

// DeleteHold forgets a hold.
func (e engineStore) DeleteHold(ctx context.Context, id page.ID) error {
	return e.db.DeleteHold(ctx, id)
}

// Holds returns the stored holds.
func (e engineStore) Holds(ctx context.Context) ([]engine.Hold, error) {
	rows, err := e.db.Holds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]engine.Hold, 0, len(rows))
	for _, r := range rows {
		out = append(out, engine.Hold{Page: r.Page, FirstSeen: r.FirstSeen, Until: r.Until})
	}
	return out, nil
}
