package hub_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
)

// TestWebhookContentType: a body that does not say it is JSON gets 415 and
// is not stored.
func TestWebhookContentType(t *testing.T) {
	f := newFixture(t)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/jsonx"} {
		code, resp := f.postType(t, "generic", f.hook, ct, []byte(`{"id":"a","title":"b"}`))
		if code != http.StatusUnsupportedMediaType || !strings.Contains(resp, "application/json") {
			t.Fatalf("Content-Type %q: got %d %s, want 415 naming application/json", ct, code, resp)
		}
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON", "application/vnd.x+json"} {
		if code, resp := f.postType(t, "generic", f.hook, ct, []byte(`{"id":"a","title":"b"}`)); code != http.StatusOK {
			t.Fatalf("Content-Type %q: got %d %s", ct, code, resp)
		}
	}
}

// TestWebhookFieldBounds: every field is bounded, with the reason in a 400.
func TestWebhookFieldBounds(t *testing.T) {
	f := newFixture(t)
	long := func(n int) string { return strings.Repeat("x", n) }
	labels := func(n, vlen int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"l` + strings.Repeat("k", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `":"` + long(vlen) + `"`)
		}
		return b.String()
	}
	am := func(fp, summary, lbls string) string {
		return `{"version":"4","groupKey":"g","status":"firing","alerts":[{"status":"firing","fingerprint":"` + fp +
			`","labels":{` + lbls + `},"annotations":{"summary":"` + summary + `"}}]}`
	}
	cases := []struct {
		name, kind, body, reason string
	}{
		{"generic id", "generic", `{"id":"` + long(2600) + `","title":"b"}`, "id"},
		{"generic title", "generic", `{"id":"a","title":"` + long(5000) + `"}`, "title"},
		{"generic service", "generic", `{"id":"a","title":"b","service":"` + long(300) + `"}`, "service"},
		{"generic severity", "generic", `{"id":"a","title":"b","severity":"` + long(100) + `"}`, "severity"},
		{"generic url", "generic", `{"id":"a","title":"b","url":"` + long(5000) + `"}`, "url"},
		{"am fingerprint", "alertmanager", am(long(2600), "s", `"a":"b"`), "fingerprint"},
		{"am summary", "alertmanager", am("fp1", long(5000), `"a":"b"`), "title"},
		{"am label value", "alertmanager", am("fp1", "s", `"a":"`+long(3000)+`"`), "label"},
		{"am label key", "alertmanager", am("fp1", "s", `"`+long(200)+`":"b"`), "label"},
		{"am label count", "alertmanager", am("fp1", "s", labels(100, 3)), "labels"},
		{"am group key", "alertmanager", strings.Replace(am("fp1", "s", `"a":"b"`), `"groupKey":"g"`, `"groupKey":"`+long(5000)+`"`, 1), "group"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, resp := f.post(t, c.kind, f.hook, []byte(c.body))
			if code != http.StatusBadRequest || !strings.Contains(resp, c.reason) {
				t.Fatalf("got %d %s, want 400 naming %q", code, resp, c.reason)
			}
		})
	}
	// The largest accepted values still reach members.
	ok := `{"id":"` + long(256) + `","title":"` + long(4096) + `"}`
	if code, resp := f.post(t, "generic", f.hook, []byte(ok)); code != http.StatusOK {
		t.Fatalf("page at the bounds: %d %s", code, resp)
	}
	if p := nextPage(t, f.pages); len(p.ID.Upstream) != 256 {
		t.Fatalf("page at the bounds arrived as %d bytes", len(p.ID.Upstream))
	}
}

// TestLongPageIDKeepsHubAlive is issue #11 item 4: a 2,600-character page
// id used to close the hub's own NATS connection (its subject overflowed
// the server's 4 KiB control line) so every later webhook got 503.
func TestLongPageIDKeepsHubAlive(t *testing.T) {
	f := newFixture(t)
	body := `{"id":"` + strings.Repeat("z", 2600) + `","title":"long"}`
	start := time.Now()
	if code, _ := f.post(t, "generic", f.hook, []byte(body)); code == http.StatusOK {
		t.Fatal("a 2,600-character id was accepted")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("refusing the long id took %v", took)
	}
	if code, resp := f.post(t, "generic", f.hook, []byte(`{"id":"after","title":"next page"}`)); code != http.StatusOK {
		t.Fatalf("the next webhook got %d %s", code, resp)
	}
	if p := nextPage(t, f.pages); p.ID.Upstream != "after" {
		t.Fatalf("got %v", p.ID)
	}
	if code, resp := f.get(t, "/healthz"); code != http.StatusOK {
		t.Fatalf("healthz %d %s", code, resp)
	}
}

// TestHealthzTellsTheTruth: /healthz answers 503 with the reason when the
// pages stream cannot be used.
func TestHealthzTellsTheTruth(t *testing.T) {
	f := newFixture(t)
	if code, resp := f.get(t, "/healthz"); code != http.StatusOK {
		t.Fatalf("healthy hub: %d %s", code, resp)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.h.JetStream().DeleteStream(ctx, bus.PagesStream); err != nil {
		t.Fatal(err)
	}
	code, resp := f.get(t, "/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(resp, bus.PagesStream) {
		t.Fatalf("hub without its pages stream: healthz %d %s, want 503 naming the stream", code, resp)
	}
}

func (f *fixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(f.h.WebhookURL("") + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}
