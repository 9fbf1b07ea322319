package feeds

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// DefaultEvery is the default refresh cadence of a feed.
const DefaultEvery = 15 * time.Minute

// maxIdle is the longest the Syncer sleeps, so the expansion window moves
// on even when every feed refreshes rarely.
const maxIdle = time.Hour

// Cached is the last good copy of a feed and its sync cursor.
type Cached struct {
	Name         string
	ETag         string
	LastModified string
	Body         []byte
	Fetched      time.Time // when Body was last replaced
	Checked      time.Time // when the feed was last asked
	LastError    string    // the last refresh error, "" when fine
}

// Cache keeps the last good copy of each feed across restarts. The app
// adapts its state database to it; this package does no storage itself.
type Cache interface {
	// Feed returns the cached copy; ok is false when there is none.
	Feed(ctx context.Context, name string) (c Cached, ok bool, err error)
	// PutFeed stores a new good copy (and clears LastError).
	PutFeed(ctx context.Context, c Cached) error
	// MarkFeedChecked records a refresh that kept the cached copy: errMsg
	// is "" for 304 Not Modified and the error in words for a failure.
	MarkFeedChecked(ctx context.Context, name string, at time.Time, errMsg string) error
}

// Spec is one feed to sync.
type Spec struct {
	Name string
	// URL is the feed URL with its secret (the keyring's copy when
	// config.Feed.SecretURL); only RedactURL(URL) is ever shown.
	URL string
	// Every is the refresh cadence; 0 means DefaultEvery.
	Every time.Duration
}

func (s Spec) every() time.Duration {
	if s.Every > 0 {
		return s.Every
	}
	return DefaultEvery
}

// Params are the Syncer's collaborators.
type Params struct {
	// Getter fetches feeds: a *Fetcher, or a fake in tests.
	Getter Getter
	// Cache keeps last good copies across restarts.
	Cache Cache
	// Feeds receives the parsed state.
	Feeds *Feeds
	// Log receives one line per failed refresh; nil discards.
	Log *slog.Logger
}

// Syncer refreshes feeds on their cadence in one goroutine, Run.
type Syncer struct {
	p    Params
	wake chan struct{}

	mu      sync.Mutex
	specs   []Spec
	pending map[string]bool // RefreshNow requests; "" = all
}

// NewSyncer returns a Syncer for specs; call Run to start it.
func NewSyncer(p Params, specs []Spec) *Syncer {
	if p.Log == nil {
		p.Log = slog.New(slog.DiscardHandler)
	}
	return &Syncer{p: p, wake: make(chan struct{}, 1), specs: slices.Clone(specs), pending: map[string]bool{}}
}

// SetFeeds replaces the feeds to sync (after a config change). New feeds
// are refreshed at once; removed ones leave the Feeds state.
func (s *Syncer) SetFeeds(specs []Spec) {
	s.mu.Lock()
	s.specs = slices.Clone(specs)
	s.mu.Unlock()
	s.poke()
}

// RefreshNow asks Run to refresh the named feed ("" for all) as soon as
// the refresh in progress, if any, is done. It does not block.
func (s *Syncer) RefreshNow(name string) {
	s.mu.Lock()
	s.pending[name] = true
	s.mu.Unlock()
	s.poke()
}

func (s *Syncer) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// take returns the current specs and the refresh requests, clearing them.
func (s *Syncer) take() ([]Spec, map[string]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	forced := s.pending
	s.pending = map[string]bool{}
	return slices.Clone(s.specs), forced
}

// Run loads the cached copies, then refreshes each feed when it is due or
// asked for, until ctx is done. It is the only goroutine of the Syncer and
// returns nil when ctx is cancelled.
func (s *Syncer) Run(ctx context.Context) error {
	next := map[string]time.Time{}
	loaded := map[string]bool{}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		specs, forced := s.take()
		s.p.Feeds.Keep(names(specs))
		for _, sp := range specs {
			if !loaded[sp.Name] {
				loaded[sp.Name] = true
				s.loadCached(ctx, sp)
			}
			if forced[""] || forced[sp.Name] || !time.Now().Before(next[sp.Name]) {
				s.refresh(ctx, sp)
				next[sp.Name] = time.Now().Add(sp.every())
			}
			if ctx.Err() != nil {
				return nil
			}
		}
		s.p.Feeds.Advance(time.Now())
		timer.Reset(sleepFor(specs, next, time.Now()))
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-s.wake:
		}
	}
}

// sleepFor is the time until the next feed is due, at most maxIdle.
func sleepFor(specs []Spec, next map[string]time.Time, now time.Time) time.Duration {
	d := maxIdle
	for _, sp := range specs {
		d = min(d, next[sp.Name].Sub(now))
	}
	return max(d, 0)
}

func names(specs []Spec) []string {
	out := make([]string, len(specs))
	for i, sp := range specs {
		out[i] = sp.Name
	}
	return out
}

// loadCached puts the cached copy of a feed into the state, still stale.
func (s *Syncer) loadCached(ctx context.Context, sp Spec) {
	c, ok, err := s.p.Cache.Feed(ctx, sp.Name)
	if err != nil {
		s.p.Log.Warn("feed cache unreadable", "feed", sp.Name, "err", err)
		return
	}
	if !ok || len(c.Body) == 0 {
		return
	}
	now := time.Now()
	if err := s.p.Feeds.Set(sp.Name, sp.URL, c.Body, false, now); err != nil {
		s.p.Log.Warn("cached feed does not parse", "feed", sp.Name, "url", RedactURL(sp.URL), "err", err)
		return
	}
	switch {
	case c.LastError != "":
		s.p.Feeds.Fail(sp.Name, sp.URL, c.LastError, c.Checked)
	case now.Sub(c.Checked) <= 2*sp.every():
		// The last refresh succeeded recently: the copy is current.
		s.p.Feeds.Unchanged(sp.Name, sp.URL, c.Checked)
	default:
		s.p.Feeds.Fail(sp.Name, sp.URL, "not refreshed since "+s.p.Feeds.when(c.Checked), c.Checked)
	}
}

// refresh fetches one feed and records the outcome in the cache and state.
func (s *Syncer) refresh(ctx context.Context, sp Spec) {
	now := time.Now()
	req := Request{URL: sp.URL}
	c, ok, err := s.p.Cache.Feed(ctx, sp.Name)
	if err != nil {
		s.p.Log.Warn("feed cache unreadable", "feed", sp.Name, "err", err)
	}
	if ok && len(c.Body) > 0 {
		req.ETag, req.LastModified = c.ETag, c.LastModified
	}
	fctx, cancel := context.WithTimeout(ctx, 2*DefaultTimeout)
	resp, err := s.p.Getter.Fetch(fctx, req)
	cancel()
	if ctx.Err() != nil {
		return // shutting down: not the feed's fault
	}
	if err == nil {
		err = s.apply(ctx, sp, c, resp, now)
	}
	if err != nil {
		s.fail(ctx, sp, err, now)
	}
}

// apply stores a successful answer.
func (s *Syncer) apply(ctx context.Context, sp Spec, cached Cached, resp Response, now time.Time) error {
	if resp.NotModified {
		if st, _ := s.p.Feeds.Get(sp.Name); st.Calendar == nil && len(cached.Body) > 0 {
			if err := s.p.Feeds.Set(sp.Name, sp.URL, cached.Body, true, now); err != nil {
				return fmt.Errorf("%s: cached copy: %w", RedactURL(sp.URL), err)
			}
		}
		s.p.Feeds.Unchanged(sp.Name, sp.URL, now)
		if err := s.p.Cache.MarkFeedChecked(ctx, sp.Name, now, ""); err != nil {
			s.p.Log.Warn("feed cache not updated", "feed", sp.Name, "err", err)
		}
		return nil
	}
	if err := s.p.Feeds.Set(sp.Name, sp.URL, resp.Body, true, now); err != nil {
		return fmt.Errorf("%s: %w", RedactURL(sp.URL), err)
	}
	err := s.p.Cache.PutFeed(ctx, Cached{Name: sp.Name, ETag: resp.ETag, LastModified: resp.LastModified,
		Body: resp.Body, Fetched: now, Checked: now})
	if err != nil {
		s.p.Log.Warn("feed cache not updated", "feed", sp.Name, "err", err)
	}
	return nil
}

// fail keeps the last good copy and records the error.
func (s *Syncer) fail(ctx context.Context, sp Spec, err error, now time.Time) {
	msg := err.Error()
	s.p.Log.Warn("feed refresh failed", "feed", sp.Name, "url", RedactURL(sp.URL), "err", msg)
	s.p.Feeds.Fail(sp.Name, sp.URL, msg, now)
	if err := s.p.Cache.MarkFeedChecked(ctx, sp.Name, now, msg); err != nil {
		s.p.Log.Warn("feed cache not updated", "feed", sp.Name, "err", err)
	}
}

// Once loads every feed's cached copy and fetches it now, on the caller's
// goroutine, when refresh is true, there is no cached copy, or the copy is
// due (last asked a refresh interval ago or more), as Run would have. It
// serves one-shot commands (`standby shifts`, `standby feed refresh`) that
// do not run the Syncer.
func (s *Syncer) Once(ctx context.Context, refresh bool, only string) {
	specs, _ := s.take()
	s.p.Feeds.Keep(names(specs))
	for _, sp := range specs {
		if only != "" && sp.Name != only {
			continue
		}
		s.loadCached(ctx, sp)
		st, ok := s.p.Feeds.Get(sp.Name)
		if refresh || !ok || time.Since(st.Checked) >= sp.every() {
			s.refresh(ctx, sp)
		}
	}
	s.p.Feeds.Advance(time.Now())
}
