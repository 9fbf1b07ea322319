package app

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/store"
)

// TestReportCountsWhatTheAppRecorded: pages the engine rang are in the
// history as loud, and my claim is the response time.
func TestReportCountsWhatTheAppRecorded(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		dir := t.TempDir()
		// No quiet windows: every demo page rings.
		if err := os.WriteFile(filepath.Join(dir, "c.toml"), []byte("version = 1\n[user]\nzone = \"UTC\"\n[quiet]\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		svc, err := Open(ctx, Options{ConfigPath: filepath.Join(dir, "c.toml"), StatePath: filepath.Join(dir, "s.db"),
			Demo: true, Secrets: secrets.New("test"), Notifier: &recorder{}})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		// SQLite stamped the history start on the real clock; the bubble's
		// clock is in 2000, so move the start to the bubble's now.
		start := time.Now()
		if err := svc.db.SetSetting(ctx, "events_since", strconv.FormatInt(start.UnixMilli(), 10)); err != nil {
			t.Fatal(err)
		}
		stop := svc.StartEngine(ctx)
		defer stop()
		svc.WaitPolled(ctx, time.Minute)
		synctest.Wait()
		pages := svc.Snapshot(ctx, time.Now()).Pages
		if len(pages) == 0 {
			t.Fatal("no demo pages")
		}
		time.Sleep(85 * time.Second)
		if _, err := svc.Look(ctx, pages[0].Page.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		// The claim's note upstream asks the engine for a poll, which lists
		// the demo's fourth page (opened at 75 s) and rings it: wait for
		// that, then every page listed now has rung.
		synctest.Wait()
		pages = svc.Snapshot(ctx, time.Now()).Pages
		evs, err := svc.db.PageEvents(ctx, start, time.Now().Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		loud := 0
		for _, e := range evs {
			if e.Kind == store.EventLoud {
				loud++
			}
		}
		if loud != len(pages) {
			t.Fatalf("%d loud events recorded for %d pages that rang: %+v", loud, len(pages), evs)
		}
		// A second later, so that the week (which ends before now) holds
		// the page that rang at the claim's instant too.
		time.Sleep(time.Second)
		r, err := svc.Report(ctx, time.Now(), 1)
		if err != nil {
			t.Fatal(err)
		}
		c := r.Weeks[0].Counts
		if c.Pages != len(pages) || c.Loud != len(pages) || c.Responded != 1 || c.Median < 85*time.Second || c.Median > 86*time.Second {
			t.Errorf("this week = %+v, want %d pages, all loud, one answered after 85 s", c, len(pages))
		}
	})
}
