package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	"modernc.org/sqlite"

	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
)

// The first poll of many new pages (issue #12): routing inputs are read
// once per pass and the pass's writes share one transaction.

// commits counts the SQLite commits of databases by path, for every
// connection opened after countCommits.
var commits struct {
	once  sync.Once
	mu    sync.Mutex
	paths map[string]*atomic.Int64
}

// countCommits returns the number of commits made so far on the database at
// path (opened after this call).
func countCommits(path string) *atomic.Int64 {
	commits.once.Do(func() {
		commits.paths = map[string]*atomic.Int64{}
		sqlite.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, dsn string) error {
			commits.mu.Lock()
			defer commits.mu.Unlock()
			for p, n := range commits.paths {
				if h, ok := c.(sqlite.HookRegisterer); ok && strings.Contains(dsn, p) {
					h.RegisterCommitHook(func() int32 { n.Add(1); return 0 })
				}
			}
			return nil
		})
	})
	commits.mu.Lock()
	defer commits.mu.Unlock()
	n := &atomic.Int64{}
	commits.paths[path] = n
	return n
}

// openDemoPages opens a Standby running the demo source with n pages open at
// start, no quiet windows, zone UTC, in a fresh state database at
// dir/s.db.
func openDemoPages(tb testing.TB, dir string, n int) *Service {
	return openDemoPagesWith(tb, dir, n, "[quiet]\n")
}

// quietAlways is a [quiet] table that is quiet all day, every day: every
// new page is deferred.
const quietAlways = "[quiet]\nwindows = [{days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"], all_day = true}]\n"

// openDemoPagesWith is openDemoPages with quiet as the config's [quiet]
// table.
func openDemoPagesWith(tb testing.TB, dir string, n int, quiet string) *Service {
	tb.Helper()
	cfg := filepath.Join(dir, "c.toml")
	if err := os.WriteFile(cfg, []byte("version = 1\n[user]\nzone = \"UTC\"\n"+quiet), 0o600); err != nil {
		tb.Fatal(err)
	}
	svc, err := Open(context.Background(), Options{ConfigPath: cfg, StatePath: filepath.Join(dir, "s.db"),
		Demo: true, DemoPages: n, Secrets: secrets.New("test"), Notifier: &recorder{}})
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// firstPoll starts svc's engine and waits for the end of its first pass
// over n new pages (the engine publishes once the pass is done); it
// returns the engine's stop func.
func firstPoll(tb testing.TB, svc *Service, n int) (stop func()) {
	tb.Helper()
	states, cancel := svc.engine().Subscribe()
	defer cancel()
	stop = svc.StartEngine(context.Background())
	timeout := time.After(time.Minute)
	for {
		select {
		case st := <-states:
			if allPolled(st) && len(st.Pages) == n {
				return stop
			}
		case <-timeout:
			stop()
			tb.Fatalf("the first poll of %d demo pages did not end", n)
		}
	}
}

// TestFirstPollBatches: a first poll of 50 new pages asks the schedule
// once (not once per page, nor again per notification) and writes the
// notified marks, the history and the page events in one transaction.
func TestFirstPollBatches(t *testing.T) {
	keyring.MockInit()
	const n = 50
	dir := t.TempDir()
	writes := countCommits(filepath.Join(dir, "s.db"))
	svc := openDemoPages(t, dir, n)
	defer svc.Close()
	var onCalls atomic.Int64
	svc.SetOnCall(func(now time.Time) quiet.OnCall {
		onCalls.Add(1)
		return quiet.OnCall{}
	})
	onCalls.Store(0)
	before := writes.Load()
	stop := firstPoll(t, svc, n)
	defer stop()
	if got := onCalls.Load(); got != 1 {
		t.Errorf("the first poll of %d pages looked up the schedule %d times, want once", n, got)
	}
	if got := writes.Load() - before; got != 1 {
		t.Errorf("the first poll of %d pages made %d write transactions, want 1", n, got)
	}
	ctx := context.Background()
	hist, err := svc.db.History(ctx, time.Time{}, 2*n)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := svc.db.PageEvents(ctx, time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != n || len(evs) != n {
		t.Fatalf("recorded %d history entries and %d events for %d new pages", len(hist), len(evs), n)
	}
	for _, h := range hist {
		if ok, err := svc.db.WasNotified(ctx, h.ID); err != nil || !ok {
			t.Errorf("%s is in the history but not marked notified (err %v)", h.ID, err)
		}
	}
}

// BenchmarkFirstPoll500 measures the engine's first pass over 500 new
// demo pages in a fresh store, as `standby --demo-pages 500` starts: List,
// routing, the store writes and handing the pages to alerting.
func BenchmarkFirstPoll500(b *testing.B) { benchFirstPoll(b, "[quiet]\n") }

// BenchmarkFirstPoll500Quiet is the first poll during quiet hours: every
// page is deferred.
func BenchmarkFirstPoll500Quiet(b *testing.B) { benchFirstPoll(b, quietAlways) }

func benchFirstPoll(b *testing.B, quiet string) {
	keyring.MockInit()
	const n = 500
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		svc := openDemoPagesWith(b, b.TempDir(), n, quiet)
		b.StartTimer()
		stop := firstPoll(b, svc, n)
		b.StopTimer()
		stop()
		svc.Close()
		b.StartTimer()
	}
}
