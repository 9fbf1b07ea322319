package hub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/page"
)

var update = flag.Bool("update", false, "rewrite golden files")

type fixture struct {
	h     *hub.Hub
	hook  string // webhook bearer token
	bob   *bus.Client
	pages <-chan bus.PageEvent
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	h, err := hub.New(hub.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), HTTPListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	hook, err := h.Store().AddWebhook("am-prod")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := h.Store().AddMember("bob", []string{h.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	bob, err := bus.Connect(ctx, bus.Config{Token: tok.Encode()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bob.Close() })
	pages, err := bob.WatchPages(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{h: h, hook: hook, bob: bob, pages: pages}
}

func (f *fixture) post(t *testing.T, kind, token string, body []byte) (int, string) {
	t.Helper()
	return f.postType(t, kind, token, "application/json", body)
}

func (f *fixture) postType(t *testing.T, kind, token, contentType string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.h.WebhookURL(kind), bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func nextPage(t *testing.T, ch <-chan bus.PageEvent) page.Page {
	t.Helper()
	timer := time.NewTimer(5 * time.Second)
	defer timer.Stop()
	for {
		select {
		case ev := <-ch:
			if !ev.Synced {
				return ev.Page
			}
		case <-timer.C:
			t.Fatal("no page on the bus within 5 s")
		}
	}
}

func TestAlertmanagerWebhookToBus(t *testing.T) {
	f := newFixture(t)
	body, err := os.ReadFile("testdata/alertmanager-v4.json")
	if err != nil {
		t.Fatal(err)
	}
	code, resp := f.post(t, "alertmanager", f.hook, body)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, resp)
	}
	got := []page.Page{nextPage(t, f.pages), nextPage(t, f.pages)}
	if got[1].Open() || !got[0].Open() {
		t.Fatalf("the resolved alert must close its page: %+v", got)
	}
	golden(t, "testdata/alertmanager-v4.pages.json", got)
}

func golden(t *testing.T, path string, v any) {
	t.Helper()
	raw, _ := json.MarshalIndent(v, "", "  ")
	raw = append(raw, '\n')
	if *update {
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(raw, want) {
		t.Fatalf("%s differs:\n%s", filepath.Base(path), raw)
	}
}

func TestGenericWebhook(t *testing.T) {
	f := newFixture(t)
	body := `{"id":"db.disk/full","title":"DB disk 95% full","service":"payments-db","severity":"P2","urgency":"low","url":"https://x.example/1"}`
	if code, resp := f.post(t, "generic", f.hook, []byte(body)); code != http.StatusOK {
		t.Fatalf("status %d: %s", code, resp)
	}
	p := nextPage(t, f.pages)
	if p.ID != (page.ID{Source: "am-prod", Upstream: "db.disk/full"}) || p.Urgency != page.UrgencyLow || p.Status != page.StatusTriggered {
		t.Fatalf("page %+v", p)
	}
	if code, _ := f.post(t, "generic", f.hook, []byte(`{"id":"db.disk/full","title":"x","status":"resolved"}`)); code != http.StatusOK {
		t.Fatal(code)
	}
	if p := nextPage(t, f.pages); p.Open() {
		t.Fatalf("resolved page still open: %+v", p)
	}
}

func TestWebhookRejects(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name, kind, token, body string
		code                    int
		reason                  string
	}{
		{"no token", "generic", "", `{"id":"a","title":"b"}`, 401, "bearer token"},
		{"wrong token", "generic", "sbw_nope", `{"id":"a","title":"b"}`, 401, "bearer token"},
		{"not json", "alertmanager", f.hook, `{"version":`, 400, "not Alertmanager webhook JSON"},
		{"old version", "alertmanager", f.hook, `{"version":"3","alerts":[{}]}`, 400, "version"},
		{"no fingerprint", "alertmanager", f.hook, `{"version":"4","alerts":[{"status":"firing"}]}`, 400, "fingerprint"},
		{"missing title", "generic", f.hook, `{"id":"a"}`, 400, "required"},
		{"typo field", "generic", f.hook, `{"id":"a","title":"b","sevrity":"x"}`, 400, "unknown field"},
		{"too big", "generic", f.hook, `{"id":"a","title":"` + strings.Repeat("x", 1<<20) + `"}`, 413, "larger than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, resp := f.post(t, c.kind, c.token, []byte(c.body))
			if code != c.code || !strings.Contains(resp, c.reason) {
				t.Fatalf("got %d %s, want %d with %q", code, resp, c.code, c.reason)
			}
			if strings.Contains(resp, f.hook) {
				t.Fatal("response echoes the token")
			}
		})
	}
}
