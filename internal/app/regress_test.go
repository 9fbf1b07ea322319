package app

// Regression tests for issue #11 items 8, 16, 17, 18 and 19.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/secrets"
)

// openWith opens a service (not forced into the demo) on configText.
func openWith(t *testing.T, configText string, opts Options) *Service {
	t.Helper()
	dir := t.TempDir()
	opts.ConfigPath, opts.StatePath = filepath.Join(dir, "config.toml"), filepath.Join(dir, "state.db")
	if configText != "" {
		if err := os.WriteFile(opts.ConfigPath, []byte(configText), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if opts.Secrets == nil {
		opts.Secrets = secrets.New("standby-test")
	}
	svc, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc
}

// Item 8: a team member without a source of their own sees the hub's real
// pages only, never demo pages mixed in.
func TestTeamMemberWithoutSourceGetsNoDemo(t *testing.T) {
	keyring.MockInit()
	svc := openWith(t, "[team]\nurls = [\"nats://127.0.0.1:1\"]\n", Options{})
	if svc.Demo() {
		t.Fatal("demo on for a team member without sources")
	}
	if snap := svc.Snapshot(context.Background(), time.Now()); snap.Demo || hasBanner(snap, "info", "Demo data") {
		t.Fatalf("snapshot: demo %v banners %+v", snap.Demo, snap.Banners)
	}
	if alone := openWith(t, "", Options{}); !alone.Demo() {
		t.Fatal("no source and no team: the demo should run")
	}
}

// Item 17: the Quiet grid, the Settings form and the CLI saving at once
// each keep their edit.
func TestConcurrentSavesKeepEveryEdit(t *testing.T) {
	keyring.MockInit()
	svc := openWith(t, "", Options{})
	const n = 12
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := svc.UpdateConfig(func(c *config.Config) error {
				c.Feeds = append(c.Feeds, config.Feed{Name: fmt.Sprintf("cal%d", i), URL: "/tmp/cal.ics"})
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	res, err := config.Load(svc.ConfigPath())
	if err != nil || len(res.Config.Feeds) != n || len(svc.Config().Feeds) != n {
		t.Fatalf("%d feeds saved, %d live (%v), want %d", len(res.Config.Feeds), len(svc.Config().Feeds), err, n)
	}
}

// Item 17: a source that is not valid leaves no token in the keyring and
// does not overwrite the token of the source it would have replaced; a
// removed GoAlert source leaves no session behind.
func TestSecretsFollowValidSourcesOnly(t *testing.T) {
	keyring.MockInit()
	svc := openWith(t, "", Options{})
	ctx := context.Background()
	ga := config.Source{Name: "ga", Kind: "goalert", URL: "https://goalert.example.com", Username: "alice"}
	if err := svc.AddSource(ctx, ga, "password-1"); err != nil {
		t.Fatal(err)
	}
	bad := ga
	bad.Username = "" // goalert needs a username
	if err := svc.AddSource(ctx, bad, "password-2"); err == nil {
		t.Fatal("a goalert source without username was accepted")
	}
	if v, _ := keyring.Get("standby-test", secrets.SourceKey("ga")); v != "password-1" {
		t.Fatalf("a refused source overwrote the token: %q", v)
	}
	if err := svc.AddSource(ctx, config.Source{Name: "am", Kind: "alertmanager", URL: "not a url"}, "tok"); err == nil {
		t.Fatal("a source without URL was accepted")
	}
	if _, err := keyring.Get("standby-test", secrets.SourceKey("am")); err == nil {
		t.Fatal("the token of a refused source was stored")
	}
	svc.saveSession("ga", "session-1")
	if err := svc.RemoveSource(ctx, "ga"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{secrets.SourceKey("ga"), secrets.SourceKey("ga") + "/session"} {
		if _, err := keyring.Get("standby-test", k); err == nil {
			t.Errorf("%s left in the keyring after the source was removed", k)
		}
	}
}

// logSink collects log records.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Item 19: Close stops what the service started (the engine, the batch
// timer), waits for it and only then closes the store: nothing runs, rings
// or writes afterwards.
func TestCloseStopsEverythingBeforeTheStore(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		logs := &logSink{}
		rec := &recorder{}
		svc := openWith(t, demoConfig, Options{Demo: true, Notifier: rec, Logger: slog.New(slog.NewTextHandler(logs, nil))})
		stop := svc.StartEngine(context.Background())
		defer stop()
		svc.WaitPolled(context.Background(), time.Minute)
		synctest.Wait()
		if err := svc.Close(); err != nil {
			t.Fatal(err)
		}
		rung := len(rec.list())
		time.Sleep(5 * time.Minute) // several demo pages and polls later
		synctest.Wait()
		if got := len(rec.list()); got != rung {
			t.Errorf("%d notifications after Close", got-rung)
		}
		if strings.Contains(logs.String(), "closed") {
			t.Errorf("work went on after Close:\n%s", logs.String())
		}
	})
}

// Items 16: rebuilding the engine (a source added) keeps the sources' banners
// to one each and the teammates' claims and hub pages are not dropped.
func TestRebuildKeepsBannersSingle(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		const cfg = "[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\nhas_token = true\n"
		svc := openWith(t, cfg, Options{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- svc.Run(ctx) }()
		defer func() { cancel(); <-done }()
		synctest.Wait()
		for i := range 2 {
			old := svc.engine()
			sc := config.Source{Name: fmt.Sprintf("am%d", i), Kind: "alertmanager", URL: "http://127.0.0.1:1"}
			if err := svc.AddSource(context.Background(), sc, ""); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
			if svc.engine() == old {
				t.Fatal("adding a source did not rebuild the engine")
			}
		}
		n := 0
		for _, b := range svc.Snapshot(context.Background(), time.Now()).Banners {
			if strings.HasPrefix(b.Text, "Source pd is not running") {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d banners for the source that did not start, want 1", n)
		}
	})
}

// Item 18: an ack is written down before it is sent, and one the source
// could not take is reported as queued (not as a failure), queued once.
func TestAckIsWrittenDownFirstAndQueued(t *testing.T) {
	keyring.MockInit()
	var svc *Service
	var pendingDuringSend int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			rows, _ := svc.db.PendingActions(r.Context())
			pendingDuringSend = len(rows)
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	if err := keyring.Set("standby-test", secrets.SourceKey("pd"), "tok"); err != nil {
		t.Fatal(err)
	}
	svc = openWith(t, "[user]\nname = \"alice\"\nemail = \"alice@example.com\"\n[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\nurl = \""+srv.URL+"\"\nhas_token = true\n", Options{})
	ctx := context.Background()
	id := page.ID{Source: "pd", Upstream: "P123"}
	err := svc.Ack(ctx, id)
	if !errors.Is(err, engine.ErrQueued) {
		t.Fatalf("Ack on an unreachable source: %v, want it queued", err)
	}
	if pendingDuringSend != 1 {
		t.Fatalf("%d actions written down while the ack was being sent, want 1", pendingDuringSend)
	}
	rows, err := svc.db.PendingActions(ctx)
	if err != nil || len(rows) != 1 || rows[0].Verb != "ack" || rows[0].Page != id {
		t.Fatalf("queue after the failed send = %+v (%v), want the one ack", rows, err)
	}
}

// Item 17: a calendar URL is checked before it goes to the keyring, and a
// feed added while running is synced from the address just saved.
func TestFeedURLCheckedBeforeTheKeyring(t *testing.T) {
	keyring.MockInit()
	svc := openWith(t, "", Options{})
	ctx := context.Background()
	if err := svc.AddFeed(ctx, "cal", "ftp://example.com/private/tok/cal.ics", "all"); err == nil {
		t.Fatal("an ftp calendar was accepted")
	}
	if _, err := keyring.Get("standby-test", secrets.FeedKey("cal")); err == nil {
		t.Fatal("the URL of a refused calendar was stored in the keyring")
	}
	if _, ok := svc.Config().FeedByName("cal"); ok {
		t.Fatal("the refused calendar is configured")
	}
}
