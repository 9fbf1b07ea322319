// Package engine is where Standby's long-lived work happens. It polls every
// page source on its own cadence (never faster than the source allows, with
// jittered exponential backoff on failure and Retry-After honoured),
// reconciles the open pages, asks the policy about each new page and
// notifies it exactly once (also across restarts, through the Store, and
// after sleep, by detecting wall-clock jumps and catching up), routes user
// actions to the right source (queueing them while the source is
// unreachable) and publishes a coalesced State to subscribers.
//
// It is the only package that starts goroutines outliving a call: Run starts
// them all and they have all ended when Run returns. Timer behaviour is
// tested with testing/synctest against fake sources.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// DefaultPoll is the poll cadence of a source when none is configured.
const DefaultPoll = 30 * time.Second

// DefaultTimeout bounds each upstream call (List and actions).
const DefaultTimeout = 20 * time.Second

// Params is what New needs. Every field but Sources is optional.
type Params struct {
	// Sources are the configured paging systems; names must be unique.
	Sources []source.Source
	// Store remembers notified pages and queued actions; nil means a fresh
	// MemStore (nothing survives a restart).
	Store Store
	// Notify is called once per page ever seen (per Store); nil: no-op.
	Notify NotifyFunc
	// Deliver, if set, is called instead of Notify for a page's first
	// notification, which the Store has recorded with the page's mark
	// (MarkOpened): it brings the page to attention without recording it
	// again. Notify still handles the notifications at the end of a hold.
	Deliver NotifyFunc
	// Decide is the policy; nil means every page is Loud. Route, when
	// set, is used instead.
	Decide DecideFunc
	// Route is the team-aware policy, which may hold a page while a
	// teammate on call is rung first; nil means Decide, which never holds.
	// Router, when set, is used instead.
	Route RouteFunc
	// Router is Route with its inputs looked up once per pass; nil means
	// Route.
	Router RouterFunc
	// OnEvent, if set, is told about pages opening and resolving. It runs
	// on an engine goroutine and must return promptly.
	OnEvent func(Event)
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Me is the user's name on the team; it is the actor of actions whose
	// Actor has no name.
	Me string
	// Poll is the default cadence; zero means DefaultPoll.
	Poll time.Duration
	// PollBySource overrides Poll per source name.
	PollBySource map[string]time.Duration
	// Timeout bounds each upstream call; zero means DefaultTimeout.
	Timeout time.Duration
}

// Engine runs the polling and holds the current state. Create it with New,
// start it with Run; its methods are safe for concurrent use.
type Engine struct {
	store   Store
	notify  NotifyFunc
	deliver NotifyFunc
	router  RouterFunc
	onEvent func(Event)
	log     *slog.Logger
	me      string
	timeout time.Duration
	workers []*worker
	byName  map[string]*worker
	// wallNow reads the wall clock for jump detection; tests skew it.
	wallNow func() time.Time
	running atomic.Bool
	// holdWake asks the hold loop to re-decide the held pages now.
	holdWake chan struct{}

	mu        sync.Mutex // guards everything below and the workers' status fields
	pages     map[string]map[string]*entry
	claims    map[page.ID][]page.Claim
	actionErr map[page.ID]ActionError
	queued    map[int64]Action
	holds     map[page.ID]Hold // held pages, by deadline
	unstored  []page.ID        // holds ended but still in the Store
	started   time.Time
	seq       uint64

	subMu sync.Mutex
	subs  map[*subscriber]struct{}
}

// entry is one open page as the engine knows it.
type entry struct {
	p        page.Page
	external bool   // pushed with Upsert, not (yet) seen in a List
	gen      uint64 // the poll generation that last listed it
	decision Decision
}

// New builds an engine; nothing runs until Run.
func New(p Params) *Engine {
	e := &Engine{
		store:     p.Store,
		notify:    p.Notify,
		deliver:   p.Deliver,
		router:    routerOf(p),
		onEvent:   p.OnEvent,
		log:       p.Logger,
		me:        p.Me,
		timeout:   p.Timeout,
		byName:    make(map[string]*worker, len(p.Sources)),
		wallNow:   time.Now,
		pages:     make(map[string]map[string]*entry),
		claims:    make(map[page.ID][]page.Claim),
		actionErr: make(map[page.ID]ActionError),
		queued:    make(map[int64]Action),
		holds:     make(map[page.ID]Hold),
		holdWake:  make(chan struct{}, 1),
		started:   time.Now(),
		subs:      make(map[*subscriber]struct{}),
	}
	e.setDefaults()
	for _, s := range p.Sources {
		if _, dup := e.byName[s.Name()]; dup {
			e.log.Error("ignoring a second source with the same name", "source", s.Name())
			continue
		}
		w := newWorker(s, pollFor(p, s.Name()))
		e.workers = append(e.workers, w)
		e.byName[s.Name()] = w
	}
	return e
}

func (e *Engine) setDefaults() {
	if e.store == nil {
		e.store = &MemStore{}
	}
	if e.notify == nil {
		e.notify = func(context.Context, page.Page, Decision) {}
	}
	if e.deliver == nil {
		e.deliver = e.notify
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
}

// routerOf returns p.Router, else p.Route, else p.Decide (or
// loudByDefault) as a policy that never holds, each as a RouterFunc.
func routerOf(p Params) RouterFunc {
	if p.Router != nil {
		return p.Router
	}
	route := p.Route
	if route == nil {
		decide := p.Decide
		if decide == nil {
			decide = loudByDefault
		}
		route = func(pg page.Page, _, now time.Time) Decision { return decide(pg, now) }
	}
	return func(_ context.Context, now time.Time) Router {
		return func(pg page.Page, firstSeen time.Time) Decision { return route(pg, firstSeen, now) }
	}
}

func pollFor(p Params, name string) time.Duration {
	if d, ok := p.PollBySource[name]; ok && d > 0 {
		return d
	}
	if p.Poll > 0 {
		return p.Poll
	}
	return DefaultPoll
}

// ErrRunning is returned by Run when the engine is already running.
var ErrRunning = errors.New("engine already running")

// Run polls every source until ctx is cancelled, then waits for its
// goroutines to end and returns nil. It returns an error only when it
// cannot start (already running; store unreadable).
func (e *Engine) Run(ctx context.Context) error {
	if !e.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer e.running.Store(false)
	if err := e.loadQueue(ctx); err != nil {
		return fmt.Errorf("starting engine: %w", err)
	}
	if err := e.loadHolds(ctx, time.Now()); err != nil {
		return fmt.Errorf("starting engine: %w", err)
	}
	e.mu.Lock()
	e.started = time.Now()
	e.mu.Unlock()
	var wg sync.WaitGroup
	for _, w := range e.workers {
		wg.Go(func() { e.loop(ctx, w) })
	}
	wg.Go(func() { e.watchClock(ctx) })
	wg.Go(func() { e.holdLoop(ctx) })
	wg.Wait()
	return nil
}

// RefreshNow asks for an immediate poll of the named source (as soon as its
// MinPoll and any Retry-After allow). It does not wait for the poll.
func (e *Engine) RefreshNow(sourceName string) error {
	w, ok := e.byName[sourceName]
	if !ok {
		return fmt.Errorf("refresh %q: %w", sourceName, ErrNoSource)
	}
	w.kick()
	return nil
}

// ErrNoSource is returned for a source name that is not configured.
var ErrNoSource = errors.New("no such source")

// catchUp polls every source at once (after sleep or a clock jump).
func (e *Engine) catchUp() {
	for _, w := range e.workers {
		w.kick()
	}
	e.Redecide()
}

func (e *Engine) emit(ev Event) {
	if e.onEvent != nil {
		e.onEvent(ev)
	}
}
