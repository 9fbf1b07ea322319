package engine

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// fakeSource is an in-memory source.Source for tests inside a bubble.
type fakeSource struct {
	name string
	caps source.Caps

	mu      sync.Mutex
	pages   map[string]page.Page
	listErr error
	actErr  error
	lists   []time.Time
	acts    []string
}

var _ source.Source = (*fakeSource)(nil)

func newFake(name string, minPoll time.Duration) *fakeSource {
	return &fakeSource{
		name:  name,
		caps:  source.Caps{Ack: true, Unack: true, Resolve: true, Note: true, MinPoll: minPoll},
		pages: make(map[string]page.Page),
	}
}

func (f *fakeSource) Name() string      { return f.name }
func (f *fakeSource) Caps() source.Caps { return f.caps }

func (f *fakeSource) List(context.Context) ([]page.Page, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists = append(f.lists, time.Now())
	if f.listErr != nil {
		return nil, f.listErr
	}
	return slices.Collect(maps.Values(f.pages)), nil
}

func (f *fakeSource) act(verb, id string, by source.Actor) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.actErr != nil {
		return f.actErr
	}
	f.acts = append(f.acts, verb+" "+id+" by "+by.Name)
	if p, ok := f.pages[id]; ok {
		switch verb {
		case "ack":
			p.Status, p.AckedBy = page.StatusAcknowledged, by.Name
		case "unack":
			p.Status, p.AckedBy = page.StatusTriggered, ""
		}
		f.pages[id] = p
		if verb == "resolve" {
			delete(f.pages, id)
		}
	}
	return nil
}

func (f *fakeSource) Ack(_ context.Context, id string, by source.Actor) error {
	return f.act("ack", id, by)
}

func (f *fakeSource) Unack(_ context.Context, id string, by source.Actor) error {
	return f.act("unack", id, by)
}

func (f *fakeSource) Resolve(_ context.Context, id string, by source.Actor) error {
	return f.act("resolve", id, by)
}

func (f *fakeSource) Note(_ context.Context, id string, by source.Actor, text string) error {
	return f.act("note:"+text, id, by)
}

// add opens a page upstream now.
func (f *fakeSource) add(up string, u page.Urgency) page.ID {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := page.ID{Source: f.name, Upstream: up}
	f.pages[up] = page.Page{ID: id, Title: "page " + up, Urgency: u, OpenedAt: time.Now()}
	return id
}

func (f *fakeSource) del(up string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.pages, up)
}

func (f *fakeSource) setListErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listErr = err
}

func (f *fakeSource) setActErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actErr = err
}

func (f *fakeSource) listTimes() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.lists)
}

func (f *fakeSource) actions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.acts)
}

// gaps returns the durations between consecutive times.
func gaps(ts []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(ts); i++ {
		out = append(out, ts[i].Sub(ts[i-1]))
	}
	return out
}

var (
	errDown    = &source.Error{Kind: source.KindUnavailable, Msg: "connection refused"}
	errToken   = &source.Error{Kind: source.KindUnauthorized, Status: 401, Msg: "token rejected (401)"}
	errLimited = func(d time.Duration) error {
		return &source.Error{Kind: source.KindRateLimited, Status: 429, RetryAfter: d, Msg: "rate limited (429)"}
	}
)

// notified is one call of Notify.
type notified struct {
	ID page.ID
	At time.Time
	D  Decision
}

// recorder records Notify calls and events.
type recorder struct {
	mu     sync.Mutex
	notes  []notified
	events []Event
}

func (r *recorder) notify(_ context.Context, p page.Page, d Decision) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, notified{ID: p.ID, At: time.Now(), D: d})
}

func (r *recorder) event(ev Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) notified() []notified {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.notes)
}

func (r *recorder) count(id page.ID) int {
	n := 0
	for _, x := range r.notified() {
		if x.ID == id {
			n++
		}
	}
	return n
}

func (r *recorder) eventsOf(k EventKind) []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, ev := range r.events {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

// params returns Params wired to rec for the given sources.
func params(rec *recorder, store Store, srcs ...*fakeSource) Params {
	p := Params{Store: store, Notify: rec.notify, OnEvent: rec.event, Me: "me"}
	for _, s := range srcs {
		p.Sources = append(p.Sources, s)
	}
	return p
}

// run starts e inside the current bubble and returns a func that stops it
// and checks that Run returned nil. Call only inside synctest.Test.
func run(t *testing.T, e *Engine) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	synctest.Wait()
	return func() {
		t.Helper()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v, want nil", err)
		}
	}
}

// sleep advances the bubble's fake clock by d and lets everything settle.
func sleep(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

func pageState(st State, id page.ID) (PageState, bool) {
	for _, p := range st.Pages {
		if p.ID == id {
			return p, true
		}
	}
	return PageState{}, false
}

func sourceStatus(t *testing.T, st State, name string) SourceStatus {
	t.Helper()
	for _, s := range st.Sources {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no source %q in state", name)
	return SourceStatus{}
}
