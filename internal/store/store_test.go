package store

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func open(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)

func TestMarkNotifiedOnceAcrossReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	id := page.ID{Source: "am", Upstream: "fp1"}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.MarkNotified(ctx, id, t0)
	if err != nil || !first {
		t.Fatalf("first = %v, %v", first, err)
	}
	again, _ := db.MarkNotified(ctx, id, t0)
	if again {
		t.Fatal("second MarkNotified reported first")
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if first, _ := db.MarkNotified(ctx, id, t0); first {
		t.Fatal("notified again after reopen")
	}
	if ok, _ := db.WasNotified(ctx, id); !ok {
		t.Fatal("WasNotified = false")
	}
}

func TestActionsQueue(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	id := page.ID{Source: "pd", Upstream: "P1"}
	seq, err := db.EnqueueAction(ctx, Action{Page: id, Verb: "ack", Actor: "alice", Email: "a@x", Created: t0})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.FailedAttempt(ctx, seq, "cannot reach api.pagerduty.com"); err != nil {
		t.Fatal(err)
	}
	got, err := db.PendingActions(ctx)
	if err != nil || len(got) != 1 || got[0].Attempts != 1 || got[0].Page != id || !got[0].Created.Equal(t0) {
		t.Fatalf("pending = %+v, %v", got, err)
	}
	if err := db.DoneAction(ctx, seq, t0); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.PendingActions(ctx); len(got) != 0 {
		t.Fatalf("still pending: %+v", got)
	}
}

func TestFeedCacheKeepsLastGoodCopy(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	if err := db.PutFeed(ctx, FeedCache{Name: "primary", ETag: `"v1"`, Body: []byte("BEGIN:VCALENDAR"), Fetched: t0, Checked: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFeedChecked(ctx, "primary", t0.Add(time.Hour), "server said 500"); err != nil {
		t.Fatal(err)
	}
	f, ok, err := db.Feed(ctx, "primary")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if string(f.Body) != "BEGIN:VCALENDAR" || f.ETag != `"v1"` || f.LastError != "server said 500" || !f.Checked.Equal(t0.Add(time.Hour)) || !f.Fetched.Equal(t0) {
		t.Fatalf("got %+v", f)
	}
	if _, ok, _ := db.Feed(ctx, "other"); ok {
		t.Fatal("unknown feed found")
	}
}

func TestDeferredDeliveredOnce(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	a := page.ID{Source: "am", Upstream: "a"}
	b := page.ID{Source: "am", Upstream: "b"}
	must(t, db.Defer(ctx, Deferred{Page: a, Title: "disk", Until: t0, Reason: "quiet"}))
	must(t, db.Defer(ctx, Deferred{Page: b, Title: "cpu", Until: t0.Add(time.Hour), Reason: "quiet"}))
	due, err := db.DueDeferred(ctx, t0)
	if err != nil || len(due) != 1 || due[0].Page != a {
		t.Fatalf("due = %+v, %v", due, err)
	}
	must(t, db.MarkDelivered(ctx, []page.ID{a}, t0))
	due, _ = db.DueDeferred(ctx, t0.Add(2*time.Hour))
	if len(due) != 1 || due[0].Page != b {
		t.Fatalf("after delivery due = %+v", due)
	}
}

func TestHistoryAndSettings(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	p := page.Page{ID: page.ID{Source: "am", Upstream: "x"}, Title: "Disk full", OpenedAt: t0}
	must(t, db.RecordSeen(ctx, p, t0, "Loud: outside quiet hours"))
	must(t, db.RecordAcked(ctx, p.ID, t0.Add(time.Minute)))
	must(t, db.RecordAcked(ctx, p.ID, t0.Add(time.Hour))) // the first ack time is kept
	h, err := db.History(ctx, t0.Add(-time.Hour), 10)
	if err != nil || len(h) != 1 || !h[0].Acked.Equal(t0.Add(time.Minute)) || h[0].Decision != "Loud: outside quiet hours" {
		t.Fatalf("history = %+v, %v", h, err)
	}
	must(t, db.SetSetting(ctx, "quiet_until", "x"))
	if v, _ := db.Setting(ctx, "quiet_until"); v != "x" {
		t.Fatalf("setting = %q", v)
	}
	must(t, db.SetSetting(ctx, "quiet_until", ""))
	if v, _ := db.Setting(ctx, "quiet_until"); v != "" {
		t.Fatalf("setting not deleted: %q", v)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Fatal("opened a database from the future")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestKill9LosesNothingCommitted runs a child process that commits rows in
// a loop and reports each commit on stdout, kills it with SIGKILL mid-way,
// and checks that every reported row is in the database.
func TestKill9LosesNothingCommitted(t *testing.T) {
	if os.Getenv("STANDBY_STORE_CHILD") != "" {
		t.Skip("child mode")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9Child$")
	cmd.Env = append(os.Environ(), "STANDBY_STORE_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	last := -1
	for sc.Scan() {
		n, err := strconv.Atoi(sc.Text())
		if err != nil {
			continue
		}
		last = n
		if n == 200 {
			break
		}
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if last < 200 {
		t.Fatalf("child reported only %d commits", last)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i <= last; i++ {
		ok, err := db.WasNotified(context.Background(), page.ID{Source: "kill", Upstream: strconv.Itoa(i)})
		if err != nil || !ok {
			t.Fatalf("committed row %d lost after kill -9 (err %v)", i, err)
		}
	}
}

func TestKill9Child(t *testing.T) {
	path := os.Getenv("STANDBY_STORE_CHILD")
	if path == "" {
		t.Skip("only runs as the child of TestKill9LosesNothingCommitted")
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if _, err := db.MarkNotified(context.Background(), page.ID{Source: "kill", Upstream: strconv.Itoa(i)}, t0); err != nil {
			t.Fatal(err)
		}
		fmt.Println(i)
	}
}
