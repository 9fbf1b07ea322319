package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
)

// amBatch is an Alertmanager webhook body with alerts first..first+n-1.
func amBatch(first, n int, status string) string {
	type alert struct {
		Status      string            `json:"status"`
		Fingerprint string            `json:"fingerprint"`
		Labels      map[string]string `json:"labels"`
		StartsAt    time.Time         `json:"startsAt"`
	}
	m := struct {
		Version string  `json:"version"`
		Status  string  `json:"status"`
		Alerts  []alert `json:"alerts"`
	}{Version: "4", Status: status}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := first; i < first+n; i++ {
		m.Alerts = append(m.Alerts, alert{Status: status, Fingerprint: fmt.Sprintf("fp%06d", i),
			Labels: map[string]string{"alertname": "Storm", "instance": fmt.Sprint("host", i)}, StartsAt: at})
	}
	raw, _ := json.Marshal(m)
	return string(raw)
}

func postAM(t *testing.T, h *hub.Hub, token, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.WebhookURL("alertmanager"), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook answered %s", resp.Status)
	}
}

// syncPages starts a new member's WatchPages and counts what it delivers
// until Synced.
func syncPages(t *testing.T, c *bus.Client) (open, resolved int, took time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	ch, err := c.WatchPages(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for ev := range ch {
		switch {
		case ev.Synced:
			return open, resolved, time.Since(start)
		case ev.Page.Open():
			open++
		default:
			resolved++
		}
	}
	t.Fatal("page watch ended before Synced")
	return
}

// TestNewMemberStartsFromOpenPages is issue #11 item 6: with 14,000 pages
// on the hub (13,000 resolved), a new member's page watch delivers the
// 1,000 open ones and then Synced; resolved pages leave the stream after
// ResolvedTTL, so later members are not even sent them.
func TestNewMemberStartsFromOpenPages(t *testing.T) {
	if testing.Short() {
		t.Skip("14,000 pages: skipped in -short")
	}
	const total, open, batch = 14000, 1000, 1000
	ttl := 3 * time.Second
	h := startHub(t, hub.Config{DataDir: t.TempDir(), InMemory: true, ResolvedTTL: ttl})
	hook, err := h.Store().AddWebhook("am")
	if err != nil {
		t.Fatal(err)
	}
	empty := member(t, h, "early")
	if o, r, took := syncPages(t, empty); o+r != 0 || took > 2*time.Second {
		t.Fatalf("empty stream: %d pages, synced in %v", o+r, took)
	}
	for i := 0; i < total; i += batch {
		postAM(t, h, hook, amBatch(i, batch, "firing"))
	}
	resolvedAt := time.Now()
	for i := open; i < total; i += batch {
		postAM(t, h, hook, amBatch(i, batch, "resolved"))
	}
	c := member(t, h, "newbie")
	o, r, took := syncPages(t, c)
	t.Logf("within ResolvedTTL: new member got %d open + %d resolved pages, synced in %v", o, r, took.Round(time.Millisecond))
	if o != open || r != 0 {
		t.Fatalf("new member got %d open + %d resolved before Synced, want %d + 0", o, r, open)
	}
	// After ResolvedTTL the stream holds only the open pages.
	ctx, cancel := context.WithTimeout(context.Background(), ttl+20*time.Second)
	defer cancel()
	for {
		s, err := h.JetStream().Stream(ctx, bus.PagesStream)
		if err != nil {
			t.Fatal(err)
		}
		if s.CachedInfo().State.Msgs == open {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("pages stream holds %d messages %v after the resolves, want %d", s.CachedInfo().State.Msgs, time.Since(resolvedAt), open)
		case <-time.After(200 * time.Millisecond):
		}
	}
	c2 := member(t, h, "later")
	o, r, took = syncPages(t, c2)
	t.Logf("after ResolvedTTL: stream holds %d pages; new member got %d, synced in %v", open, o+r, took.Round(time.Millisecond))
	if o != open || r != 0 {
		t.Fatalf("later member got %d open + %d resolved", o, r)
	}
}
