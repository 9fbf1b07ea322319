package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// ErrQueued is returned (wrapped, with the upstream error) when an action
// could not reach its source and was queued: it will be sent once when the
// source is reachable again. Callers may treat it as a soft success.
var ErrQueued = errors.New("source unreachable, action queued")

// ActionError is the last failed action on a page, kept for the UI.
type ActionError struct {
	Kind ActionKind
	Msg  string // the source's short message: "token rejected (401)"
	At   time.Time
}

// String renders the failure for the UI: "Ack failed: token rejected (401)".
func (a ActionError) String() string {
	return a.Kind.Title() + " failed: " + a.Msg
}

// Ack acknowledges the page upstream.
func (e *Engine) Ack(ctx context.Context, id page.ID, by source.Actor) error {
	return e.act(ctx, Action{Kind: ActAck, Page: id, By: by})
}

// Unack reverses an ack where the source allows it.
func (e *Engine) Unack(ctx context.Context, id page.ID, by source.Actor) error {
	return e.act(ctx, Action{Kind: ActUnack, Page: id, By: by})
}

// Resolve closes the page upstream.
func (e *Engine) Resolve(ctx context.Context, id page.ID, by source.Actor) error {
	return e.act(ctx, Action{Kind: ActResolve, Page: id, By: by})
}

// Note attaches text to the page upstream (the claim mirror).
func (e *Engine) Note(ctx context.Context, id page.ID, by source.Actor, text string) error {
	return e.act(ctx, Action{Kind: ActNote, Page: id, By: by, Text: text})
}

// act sends a to its source. On success the local state changes at once and
// a refresh follows; a retryable failure queues a (ErrQueued); any other
// failure is recorded on the page and returned.
func (e *Engine) act(ctx context.Context, a Action) error {
	w, ok := e.byName[a.Page.Source]
	if !ok {
		return fmt.Errorf("%s %s: %w %q", a.Kind, a.Page, ErrNoSource, a.Page.Source)
	}
	if a.By.Name == "" {
		a.By.Name = e.me
	}
	now := time.Now()
	a.At = now
	err := e.send(ctx, w, a)
	switch {
	case err == nil:
		e.dropQueued(ctx, a)
		e.succeeded(a, now)
		w.kick()
		return nil
	case source.Retryable(err) && ctx.Err() == nil:
		if qerr := e.enqueue(ctx, a); qerr != nil {
			e.failed(a, err, now)
			return fmt.Errorf("%s %s: %w (queueing failed: %w)", a.Kind, a.Page, err, qerr)
		}
		e.publish(now)
		return fmt.Errorf("%s %s: %w: %w", a.Kind, a.Page, ErrQueued, err)
	default:
		e.failed(a, err, now)
		return fmt.Errorf("%s %s: %w", a.Kind, a.Page, err)
	}
}

// send performs a upstream with the engine's call timeout.
func (e *Engine) send(ctx context.Context, w *worker, a Action) error {
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	switch a.Kind {
	case ActAck:
		return w.src.Ack(ctx, a.Page.Upstream, a.By)
	case ActUnack:
		return w.src.Unack(ctx, a.Page.Upstream, a.By)
	case ActResolve:
		return w.src.Resolve(ctx, a.Page.Upstream, a.By)
	case ActNote:
		return w.src.Note(ctx, a.Page.Upstream, a.By, a.Text)
	}
	return fmt.Errorf("unknown action %q", a.Kind)
}

// enqueue persists a unless the same action on the same page (other than a
// note) is already waiting.
func (e *Engine) enqueue(ctx context.Context, a Action) error {
	if e.alreadyQueued(a) {
		return nil
	}
	id, err := e.store.EnqueueAction(ctx, a)
	if err != nil {
		return fmt.Errorf("storing queued %s: %w", a.Kind, err)
	}
	a.ID = id
	e.mu.Lock()
	e.queued[id] = a
	e.mu.Unlock()
	return nil
}

func (e *Engine) alreadyQueued(a Action) bool {
	if a.Kind == ActNote {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, q := range e.queued {
		if q.Kind == a.Kind && q.Page == a.Page {
			return true
		}
	}
	return false
}

// dropQueued removes queued copies of a, which has just been sent, so that
// a click repeated after the source came back is not sent twice.
func (e *Engine) dropQueued(ctx context.Context, a Action) {
	if a.Kind == ActNote {
		return
	}
	var ids []int64
	e.mu.Lock()
	for id, q := range e.queued {
		if q.Kind == a.Kind && q.Page == a.Page {
			ids = append(ids, id)
			delete(e.queued, id)
		}
	}
	e.mu.Unlock()
	for _, id := range ids {
		if err := e.store.DoneAction(ctx, id); err != nil {
			e.log.Error("removing sent action from queue", "id", id, "err", err)
		}
	}
}

// loadQueue reads the actions queued by an earlier run.
func (e *Engine) loadQueue(ctx context.Context) error {
	pending, err := e.store.PendingActions(ctx)
	if err != nil {
		return fmt.Errorf("reading queued actions: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, a := range pending {
		e.queued[a.ID] = a
	}
	return nil
}

// drainQueue sends w's queued actions, oldest first, after a successful
// List. It stops at the first retryable failure; an action refused for good
// is dropped and recorded on its page.
func (e *Engine) drainQueue(ctx context.Context, w *worker, now time.Time) {
	for _, a := range e.queuedFor(w.name) {
		err := e.send(ctx, w, a)
		if err != nil && source.Retryable(err) {
			e.log.Info("queued action still failing", "action", a.Kind, "page", a.Page, "err", err)
			return
		}
		if derr := e.store.DoneAction(ctx, a.ID); derr != nil {
			e.log.Error("removing sent action from queue", "id", a.ID, "err", derr)
		}
		e.mu.Lock()
		delete(e.queued, a.ID)
		e.mu.Unlock()
		if err != nil {
			e.failed(a, err, now)
			continue
		}
		e.succeeded(a, now)
	}
}

func (e *Engine) queuedFor(name string) []Action {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Action
	for _, a := range e.queued {
		if a.Page.Source == name {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y Action) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// succeeded applies a to the local state at once (optimistic until the
// next List confirms it).
func (e *Engine) succeeded(a Action, now time.Time) {
	var resolved *page.Page
	e.mu.Lock()
	delete(e.actionErr, a.Page)
	if en := e.lookupLocked(a.Page); en != nil {
		switch a.Kind {
		case ActAck:
			en.p.Status, en.p.AckedBy = page.StatusAcknowledged, a.By.Name
		case ActUnack:
			en.p.Status, en.p.AckedBy = page.StatusTriggered, ""
		case ActResolve:
			p := en.p
			resolved = &p
			delete(e.pages[a.Page.Source], a.Page.Upstream)
			e.forgetLocked(a.Page)
		}
	}
	_, held := e.holds[a.Page]
	e.mu.Unlock()
	if held {
		e.Redecide() // an ack ends the hold
	}
	if resolved != nil {
		e.emit(Event{Kind: EventResolved, Page: *resolved, At: now})
	}
	e.publish(now)
}

// failed records a's failure on its page for the UI.
func (e *Engine) failed(a Action, err error, now time.Time) {
	msg := err.Error()
	var se *source.Error
	if errors.As(err, &se) && se.Msg != "" {
		msg = se.Msg
	}
	e.mu.Lock()
	if e.lookupLocked(a.Page) != nil { // a page already gone has nowhere to show it
		e.actionErr[a.Page] = ActionError{Kind: a.Kind, Msg: msg, At: now}
	}
	e.mu.Unlock()
	e.publish(now)
	e.log.Warn("action failed", "action", a.Kind, "page", a.Page, "err", err)
}
