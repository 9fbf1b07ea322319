package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// Store is the persistence the engine needs. The SQLite store implements it;
// MemStore is the in-memory version for tests and for running without disk.
type Store interface {
	// MarkNotified records that id was notified at at. It reports first=true
	// only the first time it is ever called for id, so that a page is
	// notified once across restarts.
	MarkNotified(ctx context.Context, id page.ID, at time.Time) (first bool, err error)
	// MarkOpened records the first notification of the new pages of one
	// pass, in one transaction where the store has them: for each page not
	// marked before, its hold when it is held, and its mark. first[i]
	// reports whether os[i] was marked now for the first time, as
	// MarkNotified would. A store may keep more of a first notification
	// (a history) in the same transaction. On error it recorded nothing.
	MarkOpened(ctx context.Context, os []Opening) (first []bool, err error)
	// EnqueueAction persists an action to send when its source is reachable
	// again and returns the id it was stored under (> 0).
	EnqueueAction(ctx context.Context, a Action) (int64, error)
	// PendingActions returns every action not yet marked done, oldest first.
	PendingActions(ctx context.Context) ([]Action, error)
	// DoneAction removes a queued action (sent, or refused for good).
	DoneAction(ctx context.Context, id int64) error
	// PutHold stores a held page's deadline, replacing an earlier one.
	PutHold(ctx context.Context, h Hold) error
	// DeleteHold forgets a page's hold; an unknown page is not an error.
	DeleteHold(ctx context.Context, id page.ID) error
	// Holds returns every stored hold.
	Holds(ctx context.Context) ([]Hold, error)
}

// Opening is a page new to this run, decided, as MarkOpened records it.
type Opening struct {
	Page     page.Page
	Decision Decision
	// At is the time of the pass; FirstSeen is where a hold starts.
	At, FirstSeen time.Time
}

// Hold returns the hold to store with the page's mark, when it is held.
func (o Opening) Hold() (Hold, bool) {
	if o.Decision.Level != Held {
		return Hold{}, false
	}
	return Hold{Page: o.Page.ID, FirstSeen: o.FirstSeen, Until: o.Decision.Until}, true
}

// ActionKind names what an action does upstream.
type ActionKind string

const (
	// ActAck acknowledges the page.
	ActAck ActionKind = "ack"
	// ActUnack reverses an ack.
	ActUnack ActionKind = "unack"
	// ActResolve closes the page.
	ActResolve ActionKind = "resolve"
	// ActNote attaches Action.Text to the page (the claim mirror).
	ActNote ActionKind = "note"
)

// Title returns the capitalised verb for messages ("Ack").
func (k ActionKind) Title() string {
	switch k {
	case ActAck:
		return "Ack"
	case ActUnack:
		return "Un-ack"
	case ActResolve:
		return "Resolve"
	case ActNote:
		return "Note"
	default:
		return string(k)
	}
}

// Action is one user action on a page, as queued in the Store.
type Action struct {
	ID   int64 // assigned by Store.EnqueueAction; 0 until queued
	Kind ActionKind
	Page page.ID
	By   source.Actor
	Text string // for ActNote
	At   time.Time
}

// MemStore is an in-memory Store. The zero value is ready to use. Sharing
// one MemStore between two Engines simulates a restart.
type MemStore struct {
	mu       sync.Mutex
	notified map[page.ID]time.Time
	actions  map[int64]Action
	lastID   int64
	holds    map[page.ID]Hold
}

// MarkNotified implements Store.
func (m *MemStore) MarkNotified(_ context.Context, id page.ID, at time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.notified[id]; ok {
		return false, nil
	}
	if m.notified == nil {
		m.notified = make(map[page.ID]time.Time)
	}
	m.notified[id] = at
	return true, nil
}

// MarkOpened implements Store.
func (m *MemStore) MarkOpened(_ context.Context, os []Opening) ([]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	first := make([]bool, len(os))
	for i, o := range os {
		if _, ok := m.notified[o.Page.ID]; ok {
			continue
		}
		if h, held := o.Hold(); held {
			if m.holds == nil {
				m.holds = make(map[page.ID]Hold)
			}
			m.holds[h.Page] = h
		}
		if m.notified == nil {
			m.notified = make(map[page.ID]time.Time)
		}
		m.notified[o.Page.ID] = o.At
		first[i] = true
	}
	return first, nil
}

// EnqueueAction implements Store.
func (m *MemStore) EnqueueAction(_ context.Context, a Action) (int64, error) {
	if a.Page.IsZero() {
		return 0, fmt.Errorf("enqueue %s: empty page id", a.Kind)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.actions == nil {
		m.actions = make(map[int64]Action)
	}
	m.lastID++
	a.ID = m.lastID
	m.actions[a.ID] = a
	return a.ID, nil
}

// PendingActions implements Store.
func (m *MemStore) PendingActions(context.Context) ([]Action, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Action, 0, len(m.actions))
	for _, a := range m.actions {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Action) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// DoneAction implements Store.
func (m *MemStore) DoneAction(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.actions, id)
	return nil
}

// PutHold implements Store.
func (m *MemStore) PutHold(_ context.Context, h Hold) error {
	if h.Page.IsZero() {
		return errors.New("storing a hold: empty page id")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.holds == nil {
		m.holds = make(map[page.ID]Hold)
	}
	m.holds[h.Page] = h
	return nil
}

// DeleteHold implements Store.
func (m *MemStore) DeleteHold(_ context.Context, id page.ID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.holds, id)
	return nil
}

// Holds implements Store.
func (m *MemStore) Holds(context.Context) ([]Hold, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Collect(maps.Values(m.holds)), nil
}
