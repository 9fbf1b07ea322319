package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/secrets"
)

// TestManyNewPagesGiveOneBubble: a first poll that finds 40 open pages
// (first start, catch-up after sleep) shows one summary, not 40 bubbles.
func TestManyNewPagesGiveOneBubble(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		// No quiet windows: the bubble's clock starts on a Saturday.
		if err := os.WriteFile(filepath.Join(dir, "c.toml"), []byte("version = 1\n[quiet]\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		rec := &recorder{}
		svc, err := Open(context.Background(), Options{ConfigPath: filepath.Join(dir, "c.toml"), StatePath: filepath.Join(dir, "s.db"),
			Demo: true, DemoPages: 40, Secrets: secrets.New("test"), Notifier: rec})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		stop := svc.StartEngine(context.Background())
		defer stop()
		svc.WaitPolled(context.Background(), time.Minute)
		time.Sleep(loudBatch)
		synctest.Wait()
		calls := rec.list()
		snap := svc.Snapshot(context.Background(), time.Now())
		if len(snap.Pages) != 40 {
			t.Fatalf("%d pages at start, want 40", len(snap.Pages))
		}
		if len(calls) != 1 {
			t.Fatalf("%d notifications for 40 new pages, want one summary", len(calls))
		}
		c := calls[0]
		if !c.loud || c.title != "40 new pages" || !strings.Contains(c.body, "and 37 more") || strings.Count(c.body, "•") != maxSeparate {
			t.Fatalf("summary = %+v", c)
		}
	})
}

// TestRecentDecisionsLog: each page's first decision is kept with its
// reason for the Quiet hours tab's log.
func TestRecentDecisionsLog(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		// Default quiet windows, in a named zone rather than the machine's.
		if err := os.WriteFile(filepath.Join(dir, "c.toml"), []byte("[user]\nzone = \"UTC\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		svc, err := Open(context.Background(), Options{ConfigPath: filepath.Join(dir, "c.toml"), StatePath: filepath.Join(dir, "s.db"),
			Demo: true, Secrets: secrets.New("test"), Notifier: &recorder{}})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		stop := svc.StartEngine(context.Background())
		defer stop()
		svc.WaitPolled(context.Background(), time.Minute)
		synctest.Wait()
		log, err := svc.RecentDecisions(context.Background(), time.Now().Add(-time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 3 {
			t.Fatalf("%d decisions logged for 3 demo pages", len(log))
		}
		for _, d := range log {
			// The bubble's clock starts on a Saturday (00:00 UTC): default
			// quiet hours.
			if d.Title == "" || !strings.HasPrefix(d.Reason, "Deferred to") {
				t.Errorf("decision %+v", d)
			}
		}
	})
}
