package hub

import (
	"context"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// TestHubRestoresItsConnection: when the server closes the hub's own
// connection for good (as a protocol error does), the hub makes a new one
// and pages are stored again; /healthz's check fails meanwhile.
func TestHubRestoresItsConnection(t *testing.T) {
	h, err := New(Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), HTTPListen: "off", InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer h.Shutdown(context.Background())
	old, _ := h.conn()
	old.Close()
	if err := h.health(ctx); err == nil {
		t.Log("restored before the first health check") // possible: the supervisor is quick
	}
	p := page.Page{ID: page.ID{Source: "am", Upstream: "x"}, Title: "after"}
	for {
		sctx, scancel := context.WithTimeout(ctx, 500*time.Millisecond)
		err := h.storePages(sctx, []page.Page{p})
		scancel()
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("pages not stored after the hub's connection closed: %v", err)
		case err := <-h.Failed():
			t.Fatalf("hub gave up: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if nc, _ := h.conn(); nc == old || !nc.IsConnected() {
		t.Fatal("connection not replaced")
	}
	if err := h.health(ctx); err != nil {
		t.Fatalf("health after restore: %v", err)
	}
}
