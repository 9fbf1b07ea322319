package alerting

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/store"
)

// note is one bubble the sink received.
type note struct {
	key, title, body string
	loud             bool // critical and sticky
	actions          []string
}

// fakeStore records history and keeps deferred pages in memory.
type fakeStore struct {
	mu        sync.Mutex
	seen      []page.ID
	deferred  []store.Deferred
	delivered map[page.ID]bool
}

func (f *fakeStore) RecordSeen(_ context.Context, p page.Page, _ time.Time, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, p.ID)
	return nil
}

func (f *fakeStore) Defer(_ context.Context, d store.Deferred) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deferred = append(f.deferred, d)
	return nil
}

func (f *fakeStore) DueDeferred(_ context.Context, now time.Time) ([]store.Deferred, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []store.Deferred
	for _, d := range f.deferred {
		if !d.Until.After(now) && !f.delivered[d.Page] {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *fakeStore) MarkDelivered(_ context.Context, ids []page.ID, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.delivered == nil {
		f.delivered = map[page.ID]bool{}
	}
	for _, id := range ids {
		f.delivered[id] = true
	}
	return nil
}

// sink is a recording Notifier that fails while err is set.
type sink struct {
	mu        sync.Mutex
	notes     []note
	dismissed []string
	err       error
}

func (s *sink) Send(n notify.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for _, a := range n.Actions {
		keys = append(keys, a.Key)
	}
	s.notes = append(s.notes, note{n.Key, n.Title, n.Body, n.Urgency == notify.Critical && n.Sticky, keys})
	return s.err
}

func (s *sink) Dismiss(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dismissed = append(s.dismissed, key)
	return nil
}

func (s *sink) closed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dismissed)
}

func (s *sink) list() []note {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]note(nil), s.notes...)
}

func pg(n int) page.Page {
	return page.Page{ID: page.ID{Source: "am", Upstream: fmt.Sprint(n)}, Title: fmt.Sprintf("Alert %d", n), Severity: "critical"}
}

var loud = engine.Decision{Level: engine.Loud, Reason: "Loud: outside quiet hours"}

// start runs a's batch loop until the returned stop, which waits for it.
func start(a *Alerting) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = a.Run(ctx) }()
	return func() { cancel(); <-done }
}

func TestFewPagesRingEachManyGiveASummary(t *testing.T) {
	for _, n := range []int{1, MaxSeparate, MaxSeparate + 1, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				out := &sink{}
				a := New(Params{Store: &fakeStore{}, Notifier: out})
				defer start(a)()
				for i := range n {
					a.Page(context.Background(), pg(i), loud)
				}
				synctest.Wait()
				if got := out.list(); len(got) != 0 {
					t.Fatalf("shown before the batch ended: %+v", got)
				}
				time.Sleep(DefaultBatch)
				synctest.Wait()
				got := out.list()
				if n <= MaxSeparate {
					if len(got) != n || got[0].title != "[critical] Alert 0" || !strings.Contains(got[0].body, "via am\nLoud") {
						t.Fatalf("%d pages gave %+v", n, got)
					}
					return
				}
				if len(got) != 1 || got[0].title != fmt.Sprintf("%d new pages", n) || strings.Count(got[0].body, "•") != MaxSeparate ||
					!strings.Contains(got[0].body, fmt.Sprintf("and %d more", n-MaxSeparate)) {
					t.Fatalf("%d pages gave %+v", n, got)
				}
			})
		})
	}
}

// TestStopShowsWhatWaitsAndEndsTheTimer: Run owns the batch timer; when it
// returns, the waiting pages have been shown and nothing rings later.
func TestStopShowsWhatWaitsAndEndsTheTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out := &sink{}
		a := New(Params{Store: &fakeStore{}, Notifier: out})
		stop := start(a)
		a.Page(context.Background(), pg(1), loud)
		synctest.Wait()
		stop()
		if n := len(out.list()); n != 1 {
			t.Fatalf("%d notifications at stop, want the waiting one", n)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if n := len(out.list()); n != 1 {
			t.Fatalf("%d notifications after stop", n)
		}
	})
}

// TestLinkedPagesRingOnce: the hub's copy and the polled copy of one alert
// (same explicit key) ring once; an escalation of the same page rings again.
func TestLinkedPagesRingOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out := &sink{}
		a := New(Params{Store: &fakeStore{}, Notifier: out})
		defer start(a)()
		hubCopy, polled, other := pg(1), pg(2), pg(3)
		hubCopy.DedupKey, polled.DedupKey = "alertmanager http://am:9093 fp1", "alertmanager http://am:9093 fp1"
		a.Page(context.Background(), hubCopy, loud)
		a.Event(engine.Event{Kind: engine.EventOpened, Page: hubCopy})
		a.Page(context.Background(), polled, loud)
		a.Page(context.Background(), other, loud)
		time.Sleep(DefaultBatch)
		synctest.Wait()
		if got := out.list(); len(got) != 2 || got[0].title != Title(hubCopy) || got[1].title != Title(other) {
			t.Fatalf("notifications = %+v, want the hub copy and the unrelated page", got)
		}
		esc := loud
		esc.Escalated = true
		a.Page(context.Background(), hubCopy, esc)
		time.Sleep(DefaultBatch)
		synctest.Wait()
		if n := len(out.list()); n != 3 {
			t.Fatalf("%d notifications after the escalation, want 3", n)
		}
		// Once both copies resolved, the key is free again.
		a.Event(engine.Event{Kind: engine.EventResolved, Page: hubCopy})
		a.Event(engine.Event{Kind: engine.EventResolved, Page: polled})
		if len(a.links) != 0 {
			t.Fatalf("links kept after resolve: %v", a.links)
		}
	})
}

func TestDeliveryFailureIsKnownAndDigestOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out := &sink{err: fmt.Errorf("no daemon")}
		changed := 0
		st := &fakeStore{}
		a := New(Params{Store: st, Notifier: out, Changed: func() { changed++ }})
		now := time.Now()
		a.Page(context.Background(), pg(1), engine.Decision{Level: engine.Deferred, Until: now.Add(time.Hour), Reason: "Deferred"})
		a.Page(context.Background(), pg(2), engine.Decision{Level: engine.Quiet})
		open := func(id page.ID) (page.Page, bool) { p := pg(1); return p, id == p.ID }
		a.Digest(context.Background(), now, open)
		if len(out.list()) != 0 {
			t.Fatal("digest before the deferral ended")
		}
		a.Digest(context.Background(), now.Add(time.Hour), open)
		a.Digest(context.Background(), now.Add(2*time.Hour), open)
		got := out.list()
		if len(got) != 1 || got[0].loud || !strings.Contains(got[0].title+got[0].body, "Alert 1") {
			t.Fatalf("digests = %+v", got)
		}
		if a.NotifyErr() == nil || changed != 1 {
			t.Fatalf("failure %v, changed %d", a.NotifyErr(), changed)
		}
		out.err = nil
		_ = a.Send(notify.Quiet("", "x", "y"))
		if a.NotifyErr() != nil || changed != 2 {
			t.Fatalf("after a delivered one: failure %v, changed %d", a.NotifyErr(), changed)
		}
		if len(st.seen) != 2 {
			t.Fatalf("history has %d pages", len(st.seen))
		}
	})
}

// TestDeliverDoesNotRecordAgain: Deliver rings and defers like Page but
// leaves the history to its caller, which recorded it already; Page
// records it.
func TestDeliverDoesNotRecordAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out, st := &sink{}, &fakeStore{}
		a := New(Params{Store: st, Notifier: out})
		defer start(a)()
		ctx := context.Background()
		a.Deliver(ctx, pg(1), loud)
		a.Deliver(ctx, pg(2), engine.Decision{Level: engine.Deferred, Until: time.Now().Add(time.Hour), Reason: "Deferred"})
		a.Page(ctx, pg(3), loud)
		time.Sleep(DefaultBatch)
		synctest.Wait()
		st.mu.Lock()
		seen, deferred := slices.Clone(st.seen), len(st.deferred)
		st.mu.Unlock()
		if !slices.Equal(seen, []page.ID{pg(3).ID}) {
			t.Errorf("history recorded for %v, want only the page handed to Page", seen)
		}
		if deferred != 1 || len(out.list()) != 2 {
			t.Errorf("%d deferred and %d bubbles, want the deferred page stored and two bubbles", deferred, len(out.list()))
		}
	})
}
