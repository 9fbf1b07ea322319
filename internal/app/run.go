package app

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/standby-oncall/standby/internal/engine"
)

// lifetime owns the goroutines the service starts: end cancels them and
// waits for them, so nothing runs when the store closes.
type lifetime struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex // guards ended and the wait group's Add
	ended  bool
	wg     sync.WaitGroup
}

func newLifetime() *lifetime {
	ctx, cancel := context.WithCancel(context.Background())
	return &lifetime{ctx: ctx, cancel: cancel}
}

// enter registers one unit of work and returns a context that ends with
// ctx or with the lifetime, and the func to call when the work is over
// (it also releases the context). ok is false once the lifetime ended.
func (l *lifetime) enter(ctx context.Context) (wctx context.Context, exit func(), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return nil, nil, false
	}
	l.wg.Add(1)
	wctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(l.ctx, cancel)
	return wctx, func() { stop(); cancel(); l.wg.Done() }, true
}

// end cancels every unit of work and waits for all of them.
func (l *lifetime) end() {
	l.mu.Lock()
	l.ended = true
	l.mu.Unlock()
	l.cancel()
	l.wg.Wait()
}

// Run polls, syncs feeds, follows the team and keeps timers (among them
// the after-the-shift ones: handoff, shared load) until ctx ends or
// Close. It rebuilds the engine when sources are added or removed.
// It returns nil on a clean stop. At start it points a stale login entry
// at this binary when the user chose to start at login.
func (s *Service) Run(ctx context.Context) error {
	ctx, exit, ok := s.life.enter(ctx)
	if !ok {
		return nil
	}
	defer exit()
	s.keepLoginStart()
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.syncer.Run(ctx) })
	g.Go(func() error { return s.alert.Run(ctx) })
	g.Go(func() error { s.team.Run(ctx); return nil })
	g.Go(func() error { return s.runEngines(ctx) })
	g.Go(func() error { return s.runAfterShift(ctx) })
	return g.Wait()
}

// runEngines runs the engine in use, and a new one after each reload,
// until ctx ends. With a team it first waits briefly for the team to come
// into view, so held pages are not rung at start for want of it.
func (s *Service) runEngines(ctx context.Context) error {
	s.team.WaitView(ctx, startupViewWait)
	for {
		reload, err := s.runEngine(ctx)
		if err != nil || !reload {
			return err
		}
		s.install(s.buildPages(ctx, s.Config(), s.Demo()))
		s.broadcast()
	}
}

// runEngine runs the current engine and the app's timers until ctx ends
// (false, nil) or the sources changed (true, nil).
func (s *Service) runEngine(ctx context.Context) (reload bool, err error) {
	eng := s.engine()
	ectx, cancel := context.WithCancel(ctx)
	states, stop := eng.Subscribe()
	done := make(chan error, 1)
	go func() { done <- eng.Run(ectx) }()
	defer func() {
		cancel()
		<-done
		stop()
	}()
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case st := <-states:
			s.stateChanged(ctx, st)
		case <-s.feeds.Changed():
			s.broadcast()
			s.presenceChanged()
		case <-s.reload:
			return true, nil
		case now := <-tick.C:
			s.deliverDigest(ctx, now)
			s.reminders(last, now)
			last = now
		case err := <-done:
			done <- err // for the deferred wait
			if ctx.Err() != nil {
				return false, nil
			}
			return false, err
		case <-ctx.Done():
			return false, nil
		}
	}
}

// stateChanged follows a new engine state: queued acks that went through
// are told to the team, bubbles and alarms of pages claimed, acked or
// resolved end, and the window is told.
func (s *Service) stateChanged(ctx context.Context, st engine.State) {
	s.acks.sent(ctx, st, s.tellAcked)
	s.alert.Settled(st, time.Now())
	s.broadcast()
}

// requestReload makes Run rebuild the sources and the engine (after a
// source was added or removed).
func (s *Service) requestReload() {
	select {
	case s.reload <- struct{}{}:
	default:
	}
}

// StartEngine starts polling and notification batching without the app's
// other timers (for CLI commands and tests) and returns a stop func that
// waits for them to finish. Close stops them too.
func (s *Service) StartEngine(ctx context.Context) (stop func()) {
	ctx, exit, ok := s.life.enter(ctx)
	if !ok {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	eng := s.engine()
	states, unsubscribe := eng.Subscribe()
	var wg sync.WaitGroup
	wg.Go(func() { _ = eng.Run(ctx) })
	wg.Go(func() { _ = s.alert.Run(ctx) })
	wg.Go(func() {
		for st := range states {
			s.stateChanged(ctx, st)
		}
	})
	go func() {
		<-ctx.Done()
		unsubscribe()
	}()
	var once sync.Once
	finished := make(chan struct{})
	go func() { wg.Wait(); exit(); close(finished) }()
	return func() {
		once.Do(cancel)
		<-finished
	}
}

// WaitPolled waits until every source has been polled once, or wait has
// passed, so a CLI command run in a fresh process sees current pages.
func (s *Service) WaitPolled(ctx context.Context, wait time.Duration) {
	eng := s.engine()
	states, stop := eng.Subscribe()
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	if allPolled(eng.Snapshot()) {
		return
	}
	for {
		select {
		case st := <-states:
			if allPolled(st) {
				return
			}
		case <-ctx.Done():
			return
		}
	}
}

func allPolled(st engine.State) bool {
	for _, src := range st.Sources {
		if src.Health == engine.HealthPending {
			return false
		}
	}
	return true
}
