package engine

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// State is a consistent snapshot of what the engine knows. It is shared
// with every subscriber: treat it, and the maps and slices inside its
// pages, as read-only.
type State struct {
	// Seq grows with every published state.
	Seq uint64
	// At is when the state was computed.
	At time.Time
	// Pages are the open pages, high urgency first, then newest first.
	Pages []PageState
	// Sources are in configuration order.
	Sources []SourceStatus
}

// PageState is one open page with what the engine adds to it.
type PageState struct {
	// Page has the bus claims merged into its own.
	page.Page
	// Decision is the policy's verdict when the page was first seen in
	// this run (zero for pages not decided yet).
	Decision Decision
	// External is true for a page pushed by the hub and not (yet) listed
	// by its source.
	External bool
	// HeldSince is when the hold of a held page started (the FirstSeen
	// to pass to the policy to decide it again); zero when not held.
	HeldSince time.Time
	// Queued lists actions waiting for the source to be reachable.
	Queued []ActionKind
	// LastError is the last failed action on the page, nil if none (or
	// if a later action succeeded).
	LastError *ActionError
}

// Health is a source's polling health.
type Health int

const (
	// HealthPending: not polled yet.
	HealthPending Health = iota
	// HealthOK: the last List succeeded.
	HealthOK
	// HealthFailing: the last List failed, but one succeeded within two
	// poll intervals.
	HealthFailing
	// HealthStale: no successful List for two poll intervals; the pages
	// shown may be out of date.
	HealthStale
)

// String returns "pending", "ok", "failing" or "stale".
func (h Health) String() string {
	return [...]string{"pending", "ok", "failing", "stale"}[h]
}

// SourceStatus is one source's polling status for the Sources tab.
type SourceStatus struct {
	Name   string
	Health Health
	// Err is the last List error in words ("" after a success).
	Err         string
	LastSuccess time.Time // zero if never
	LastAttempt time.Time // zero if never
	NextPoll    time.Time
	Interval    time.Duration
	Pages       int
}

// Snapshot returns the current state.
func (e *Engine) Snapshot() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stateLocked(time.Now())
}

// stateLocked builds the State at now. Call with e.mu held.
func (e *Engine) stateLocked(now time.Time) State {
	st := State{Seq: e.seq, At: now}
	queued := make(map[page.ID][]ActionKind, len(e.queued))
	for _, a := range e.queued {
		queued[a.Page] = append(queued[a.Page], a.Kind)
	}
	total := 0
	for _, known := range e.pages {
		total += len(known)
	}
	st.Pages = make([]PageState, 0, total)
	for _, known := range e.pages {
		for _, en := range known {
			st.Pages = append(st.Pages, e.pageStateLocked(en, queued[en.p.ID]))
		}
	}
	slices.SortFunc(st.Pages, comparePages)
	for _, w := range e.workers {
		st.Sources = append(st.Sources, e.statusLocked(w, now))
	}
	return st
}

func (e *Engine) pageStateLocked(en *entry, queued []ActionKind) PageState {
	ps := PageState{
		Page:     mergeClaims(en.p, e.claims[en.p.ID]),
		Decision: en.decision,
		External: en.external,
		Queued:   queued,
	}
	if h, ok := e.holds[en.p.ID]; ok {
		ps.HeldSince = h.FirstSeen
	}
	if ae, ok := e.actionErr[en.p.ID]; ok {
		last := ae // only pages with an error pay for the allocation
		ps.LastError = &last
	}
	return ps
}

// comparePages orders by urgency (high first), then age (newest first),
// then id, so that the order is total and stable between snapshots.
func comparePages(a, b PageState) int {
	if c := cmp.Compare(a.Urgency, b.Urgency); c != 0 {
		return c
	}
	if c := b.OpenedAt.Compare(a.OpenedAt); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ID.Source, b.ID.Source); c != 0 {
		return c
	}
	return cmp.Compare(a.ID.Upstream, b.ID.Upstream)
}

func (e *Engine) statusLocked(w *worker, now time.Time) SourceStatus {
	s := SourceStatus{
		Name:        w.name,
		LastSuccess: w.lastOK,
		LastAttempt: w.lastTry,
		NextPoll:    w.next,
		Interval:    w.interval,
		Pages:       len(e.pages[w.name]),
	}
	if w.lastErr != nil {
		s.Err = w.lastErr.Error()
	}
	switch {
	case now.Sub(e.staleRef(w)) >= 2*w.interval:
		s.Health = HealthStale
	case w.lastErr != nil:
		s.Health = HealthFailing
	case !w.lastOK.IsZero():
		s.Health = HealthOK
	}
	return s
}

// subscriber holds at most one undelivered State: the latest.
type subscriber struct {
	mu      sync.Mutex
	ch      chan State
	lastSeq uint64
	closed  bool
}

// offer replaces any undelivered state with st, never blocking. States
// older than one already offered are dropped.
func (s *subscriber) offer(st State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || (st.Seq <= s.lastSeq && s.lastSeq != 0) {
		return
	}
	select {
	case <-s.ch:
	default:
	}
	s.ch <- st
	s.lastSeq = st.Seq
}

func (s *subscriber) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}

// Subscribe returns a channel that always holds the latest State not yet
// received (the current one first). A slow reader misses intermediate
// states, never the latest, and never slows the engine. cancel closes the
// channel; it is safe to call more than once.
func (e *Engine) Subscribe() (<-chan State, func()) {
	s := &subscriber{ch: make(chan State, 1)}
	e.subMu.Lock()
	e.subs[s] = struct{}{}
	e.subMu.Unlock()
	s.offer(e.Snapshot())
	cancel := func() {
		e.subMu.Lock()
		delete(e.subs, s)
		e.subMu.Unlock()
		s.close()
	}
	return s.ch, cancel
}

// publish bumps the sequence and offers the state at now to subscribers.
func (e *Engine) publish(now time.Time) {
	e.subMu.Lock()
	subs := make([]*subscriber, 0, len(e.subs))
	for s := range e.subs {
		subs = append(subs, s)
	}
	e.subMu.Unlock()
	e.mu.Lock()
	e.seq++
	if len(subs) == 0 {
		e.mu.Unlock()
		return
	}
	st := e.stateLocked(now)
	e.mu.Unlock()
	for _, s := range subs {
		s.offer(st)
	}
}
