package feeds

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/schedule"
)

// fakeGetter answers fetches from a per-URL function and records them.
type fakeGetter struct {
	mu     sync.Mutex
	answer func(req Request, n int) (Response, error)
	calls  map[string][]Request
}

func (g *fakeGetter) Fetch(_ context.Context, req Request) (Response, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.calls == nil {
		g.calls = map[string][]Request{}
	}
	g.calls[req.URL] = append(g.calls[req.URL], req)
	return g.answer(req, len(g.calls[req.URL]))
}

func (g *fakeGetter) requests(url string) []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Request(nil), g.calls[url]...)
}

// memCache is an in-memory Cache with store.DB's semantics.
type memCache struct {
	mu sync.Mutex
	m  map[string]Cached
}

func (c *memCache) Feed(_ context.Context, name string) (Cached, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[name]
	return f, ok, nil
}

func (c *memCache) PutFeed(_ context.Context, f Cached) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]Cached{}
	}
	f.LastError = ""
	c.m[f.Name] = f
	return nil
}

func (c *memCache) MarkFeedChecked(_ context.Context, name string, at time.Time, errMsg string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]Cached{}
	}
	f := c.m[name]
	f.Name, f.Checked, f.LastError = name, at, errMsg
	c.m[name] = f
	return nil
}

// run starts a Syncer in the bubble and returns it with a stop function.
func run(t *testing.T, g Getter, c Cache, specs ...Spec) (*Syncer, *Feeds, func()) {
	t.Helper()
	feeds := NewFeeds(time.UTC)
	s := NewSyncer(Params{Getter: g, Cache: c, Feeds: feeds}, specs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	synctest.Wait()
	return s, feeds, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}
}

func okGetter() *fakeGetter {
	return &fakeGetter{answer: func(Request, int) (Response, error) {
		return Response{Body: []byte(calICS), ETag: `"v1"`}, nil
	}}
}

func TestSyncerCadence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := okGetter()
		_, _, stop := run(t, g, &memCache{}, Spec{Name: "a", URL: "https://a/x"}, Spec{Name: "b", URL: "https://b/x", Every: 5 * time.Minute})
		defer stop()
		time.Sleep(31 * time.Minute)
		synctest.Wait()
		if n := len(g.requests("https://a/x")); n != 3 {
			t.Errorf("feed a fetched %d times in 31 min, want 3 (every 15 min)", n)
		}
		if n := len(g.requests("https://b/x")); n != 7 {
			t.Errorf("feed b fetched %d times in 31 min, want 7 (every 5 min)", n)
		}
	})
}

func TestSyncerConditionalAndRefreshNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := &fakeGetter{answer: func(req Request, n int) (Response, error) {
			if req.ETag == `"v1"` {
				return Response{NotModified: true}, nil
			}
			return Response{Body: []byte(calICS), ETag: `"v1"`}, nil
		}}
		cache := &memCache{}
		s, feeds, stop := run(t, g, cache, Spec{Name: "pd", URL: "https://acme.pagerduty.com/private/tok/feed"})
		defer stop()
		changed := feeds.Changed()
		<-changed
		time.Sleep(time.Minute)
		s.RefreshNow("pd")
		synctest.Wait()
		reqs := g.requests("https://acme.pagerduty.com/private/tok/feed")
		if len(reqs) != 2 || reqs[0].ETag != "" || reqs[1].ETag != `"v1"` {
			t.Fatalf("requests %+v; want a plain one, then one with If-None-Match v1 right after RefreshNow", reqs)
		}
		st, _ := feeds.Get("pd")
		if st.Stale || st.Calendar == nil || len(st.Occurrences) == 0 || st.CalendarName != "Payments Primary" || st.Organizers["shift-1"] != "lead@example.com" {
			t.Errorf("state %+v; want fresh with occurrences, calendar name and organizer", st)
		}
		if !st.LastSuccess.Equal(time.Now()) || st.URL != "https://acme.pagerduty.com/…" {
			t.Errorf("LastSuccess %v, URL %q; want the 304 time and the redacted URL", st.LastSuccess, st.URL)
		}
		select {
		case <-changed:
		default:
			t.Error("no change signal after the 304 refresh")
		}
		if c, _, _ := cache.Feed(context.Background(), "pd"); string(c.Body) != calICS || c.ETag != `"v1"` || !c.Checked.Equal(time.Now()) {
			t.Errorf("cache %+v; want body, ETag and checked now", c)
		}
	})
}

func TestSyncerFailureKeepsLastGoodCopy(t *testing.T) {
	for _, tt := range []struct {
		name string
		fail func() (Response, error)
		want string
	}{
		{"server down", func() (Response, error) {
			return Response{}, errors.New("fetching https://goalert.example.com/…: dial tcp: connection refused")
		}, "connection refused"},
		{"broken calendar names the line", func() (Response, error) {
			return Response{Body: []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n")}, nil
		}, "line 3"},
		{"not a calendar", func() (Response, error) { return Response{Body: []byte(`{"error":"nope"}`)}, nil }, "no VCALENDAR"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				g := &fakeGetter{answer: func(_ Request, n int) (Response, error) {
					if n == 1 {
						return Response{Body: []byte(calICS)}, nil
					}
					return tt.fail()
				}}
				cache := &memCache{}
				url := "https://goalert.example.com/api/v2/calendar?token=s3cr3t"
				_, feeds, stop := run(t, g, cache, Spec{Name: "goalert", URL: url})
				defer stop()
				good, _ := feeds.Get("goalert")
				time.Sleep(DefaultEvery)
				synctest.Wait()
				st, _ := feeds.Get("goalert")
				if !st.Stale || !strings.Contains(st.Err, tt.want) || strings.Contains(st.Err, "s3cr3t") {
					t.Errorf("state stale=%v err=%q; want stale with %q and no token", st.Stale, st.Err, tt.want)
				}
				if st.Calendar != good.Calendar || len(st.Occurrences) == 0 || !st.LastSuccess.Equal(good.LastSuccess) {
					t.Errorf("the last good copy was lost: %+v", st)
				}
				c, _, _ := cache.Feed(context.Background(), "goalert")
				if string(c.Body) != calICS || c.LastError != st.Err {
					t.Errorf("cache body kept=%v, last error %q; want kept and %q", string(c.Body) == calICS, c.LastError, st.Err)
				}
			})
		})
	}
}

func TestSyncerStartsFromCacheWhenOffline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cache := &memCache{m: map[string]Cached{"mine": {Name: "mine", Body: []byte(calICS), ETag: `"v0"`}}}
		g := &fakeGetter{answer: func(Request, int) (Response, error) { return Response{}, errors.New("offline") }}
		_, feeds, stop := run(t, g, cache, Spec{Name: "mine", URL: "/home/me/oncall.ics"})
		defer stop()
		st, ok := feeds.Get("mine")
		if !ok || st.Calendar == nil || len(st.Occurrences) == 0 || !st.Stale || st.Err != "offline" {
			t.Errorf("state %+v; want the cached calendar, stale with the error", st)
		}
		if reqs := g.requests("/home/me/oncall.ics"); len(reqs) != 1 || reqs[0].ETag != `"v0"` {
			t.Errorf("requests %+v; want one with the cached ETag", reqs)
		}
	})
}

func TestSyncerMovesWindowAndFollowsConfig(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := okGetter()
		s, feeds, stop := run(t, g, &memCache{}, Spec{Name: "a", URL: "https://a/x", Every: 72 * time.Hour})
		defer stop()
		first, _ := feeds.Get("a")
		time.Sleep(25 * time.Hour)
		synctest.Wait()
		moved, _ := feeds.Get("a")
		if !moved.From.After(first.From) || !last(moved).After(last(first)) {
			t.Errorf("window %v → %v; want it moved on after a day", first.From, moved.From)
		}
		if n := len(g.requests("https://a/x")); n != 1 {
			t.Errorf("fetched %d times, want 1 (moving the window is not a refresh)", n)
		}
		s.SetFeeds([]Spec{{Name: "b", URL: "https://b/x"}})
		synctest.Wait()
		snap := feeds.Snapshot()
		if len(snap) != 1 || snap[0].Name != "b" || snap[0].Stale {
			t.Errorf("after SetFeeds: %+v; want only b, fetched", snap)
		}
	})
}

func last(s State) time.Time { return s.Occurrences[len(s.Occurrences)-1].Start }

// TestCachedCopyStaleness: a feed loaded from the cache is stale only with
// a reason: its last refresh failed, or nobody confirmed it for two refresh
// intervals. A copy confirmed a minute ago (e.g. by `standby feed add`) is
// current.
func TestCachedCopyStaleness(t *testing.T) {
	for _, tt := range []struct {
		name      string
		age       time.Duration
		lastError string
		stale     bool
		err       string
	}{
		{"confirmed a minute ago", time.Minute, "", false, ""},
		{"last refresh failed", time.Minute, "HTTP 500", true, "HTTP 500"},
		{"not confirmed for hours", 3 * time.Hour, "", true, "not refreshed since 1999-12-31 21:00 UTC"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				checked := time.Now().Add(-tt.age)
				cache := &memCache{m: map[string]Cached{"mine": {Name: "mine", Body: []byte(calICS), Fetched: checked, Checked: checked, LastError: tt.lastError}}}
				feeds := NewFeeds(time.UTC)
				sp := Spec{Name: "mine", URL: "https://a/x"}
				s := NewSyncer(Params{Getter: okGetter(), Cache: cache, Feeds: feeds}, []Spec{sp})
				s.loadCached(context.Background(), sp)
				st, _ := feeds.Get("mine")
				if st.Stale != tt.stale || st.Err != tt.err || st.Calendar == nil {
					t.Fatalf("stale=%v err=%q calendar=%v; want stale=%v err=%q and the cached calendar", st.Stale, st.Err, st.Calendar != nil, tt.stale, tt.err)
				}
				if !tt.stale && !st.LastSuccess.Equal(checked) {
					t.Errorf("LastSuccess %v, want the cache's check %v", st.LastSuccess, checked)
				}
			})
		})
	}
}

func TestNeverStaleWithoutAReason(t *testing.T) {
	f := NewFeeds(time.UTC)
	f.Fail("a", "https://a/x", "boom", time.Unix(0, 0))
	f.Keep([]string{"a"})
	g := NewFeeds(time.UTC)
	g.Unchanged("b", "https://b/x", time.Unix(0, 0)) // a 304 before any copy
	for _, st := range append(f.Snapshot(), g.Snapshot()...) {
		if st.Stale && st.Err == "" {
			t.Errorf("feed %s is stale with no reason", st.Name)
		}
	}
}

// TestSourcesOverAnyRange: a range beyond the window kept around now is
// expanded from the last good copy (the feed holds a daily shift forever).
func TestSourcesOverAnyRange(t *testing.T) {
	f := NewFeeds(time.UTC)
	now := time.Date(2000, 1, 10, 12, 0, 0, 0, time.UTC)
	if err := f.Set("a", "https://a/x", []byte(calICS), true, now); err != nil {
		t.Fatal(err)
	}
	all := func(string) schedule.Me { return schedule.Me{Kind: schedule.MeAll} }
	from, to := time.Date(2003, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2003, 3, 8, 0, 0, 0, 0, time.UTC)
	count := func(srcs []schedule.Source) int {
		n := 0
		for _, src := range srcs {
			for _, o := range src.Occurrences {
				if o.Start.Before(to) && o.End.After(from) {
					n++
				}
			}
		}
		return n
	}
	if n := count(f.Sources(all)); n != 0 {
		t.Fatalf("the kept window already holds %d occurrences in 2003; the test proves nothing", n)
	}
	if n := count(f.SourcesOver(from, to, all)); n != 7 {
		t.Errorf("SourcesOver a week in March 2003: %d daily shifts, want 7", n)
	}
	st, _ := f.Get("a")
	if !st.From.Equal(now.Add(-WindowBack - Slack)) {
		t.Errorf("asking another range moved the kept window to %v", st.From)
	}
}

// TestSourcesOverConcurrent: the app asks from several goroutines (the
// engine's decisions, the window's snapshot); a Calendar expands one range
// at a time, so this fails under -race without the lock.
func TestSourcesOverConcurrent(t *testing.T) {
	f := NewFeeds(time.UTC)
	now := time.Date(2000, 1, 10, 12, 0, 0, 0, time.UTC)
	if err := f.Set("a", "https://a/x", []byte(calICS), true, now); err != nil {
		t.Fatal(err)
	}
	all := func(string) schedule.Me { return schedule.Me{Kind: schedule.MeAll} }
	var wg sync.WaitGroup
	counts := make([]int, 8)
	for i := range counts {
		wg.Go(func() {
			from := time.Date(2001+i, 1, 1, 0, 0, 0, 0, time.UTC)
			srcs := f.SourcesOver(from, from.AddDate(0, 0, 3), all)
			counts[i] = len(srcs[0].Occurrences)
		})
	}
	f.Advance(now.AddDate(0, 0, 2))
	wg.Wait()
	for i, n := range counts {
		if n != 3 {
			t.Errorf("goroutine %d: %d occurrences in 3 days of a daily shift, want 3", i, n)
		}
	}
}

// TestSourcesAroundNowAreKept: asking for the window around any instant
// of the day the window was made reuses the kept expansion.
func TestSourcesAroundNowAreKept(t *testing.T) {
	f := NewFeeds(time.UTC)
	now := time.Date(2000, 1, 10, 12, 0, 0, 0, time.UTC)
	if err := f.Set("a", "https://a/x", []byte(calICS), true, now); err != nil {
		t.Fatal(err)
	}
	kept, _ := f.Get("a")
	all := func(string) schedule.Me { return schedule.Me{Kind: schedule.MeAll} }
	for _, at := range []time.Time{now, now.Add(-23 * time.Hour), now.Add(23 * time.Hour)} {
		srcs := f.SourcesOver(at.Add(-WindowBack), at.Add(WindowAhead), all)
		if &srcs[0].Occurrences[0] != &kept.Occurrences[0] {
			t.Errorf("the window around %v was expanded again", at)
		}
	}
}

// TestOnceRefreshesDueCopies: a one-shot command fetches a feed whose
// cached copy is due, as the app would have, and no other.
func TestOnceRefreshesDueCopies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cache := &memCache{m: map[string]Cached{
			"due":   {Name: "due", Body: []byte(calICS), Checked: time.Now().Add(-DefaultEvery)},
			"fresh": {Name: "fresh", Body: []byte(calICS), Checked: time.Now().Add(-time.Minute)},
		}}
		g := okGetter()
		feeds := NewFeeds(time.UTC)
		s := NewSyncer(Params{Getter: g, Cache: cache, Feeds: feeds}, []Spec{{Name: "due", URL: "https://due/x"}, {Name: "fresh", URL: "https://fresh/x"}})
		s.Once(context.Background(), false, "")
		if n := len(g.requests("https://due/x")); n != 1 {
			t.Errorf("the due feed was fetched %d times, want once", n)
		}
		if n := len(g.requests("https://fresh/x")); n != 0 {
			t.Errorf("the fresh feed was fetched %d times, want none", n)
		}
		for _, st := range feeds.Snapshot() {
			if st.Stale {
				t.Errorf("feed %s stale after Once: %s", st.Name, st.Err)
			}
		}
	})
}
