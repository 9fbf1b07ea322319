package hub_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/page"
)

func startHub(t *testing.T, cfg hub.Config) *hub.Hub {
	t.Helper()
	cfg.Listen, cfg.HTTPListen = "127.0.0.1:0", "127.0.0.1:0"
	h, err := hub.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	return h
}

func post(t *testing.T, h *hub.Hub, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.WebhookURL("generic"), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func member(t *testing.T, h *hub.Hub, name string) *bus.Client {
	t.Helper()
	tok, err := h.Store().AddMember(name, []string{h.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := bus.Connect(ctx, bus.Config{Token: tok.Encode(), PresenceEvery: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestClaimQuota: a member holds at most ClaimQuota claim keys; renewing
// one it holds still works, and teammates are not affected.
func TestClaimQuota(t *testing.T) {
	h := startHub(t, hub.Config{DataDir: t.TempDir(), InMemory: true, ClaimQuota: 5})
	alice, bob := member(t, h, "alice"), member(t, h, "bob")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id := func(i int) page.ID { return page.ID{Source: "am", Upstream: fmt.Sprint("p", i)} }
	for i := range 5 {
		if _, err := alice.Claim(ctx, id(i), page.ClaimLooking, 0); err != nil {
			t.Fatal(err)
		}
	}
	_, err := alice.Claim(ctx, id(5), page.ClaimLooking, 0)
	if !errors.Is(err, bus.ErrQuota) || !strings.Contains(err.Error(), "purge-member alice") {
		t.Fatalf("6th claim: %v, want ErrQuota naming the admin command", err)
	}
	if _, err := alice.Claim(ctx, id(2), page.ClaimAcked, 0); err != nil {
		t.Fatalf("renewing a held key: %v", err)
	}
	if _, err := bob.Claim(ctx, id(5), page.ClaimLooking, 0); err != nil {
		t.Fatalf("bob after alice's quota: %v", err)
	}
	// Malformed writes are refused by the hub with the reason.
	if _, err := alice.Claim(ctx, id(2), page.ClaimKind("owned"), 0); !errors.Is(err, bus.ErrRefused) || !strings.Contains(err.Error(), "kind") {
		t.Fatalf("bad kind: %v", err)
	}
}

// fillClaims writes claims for member through the hub's own handle until
// the claims stream refuses more, and returns how many it stored.
func fillClaims(t *testing.T, js jetstream.JetStream, member string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	data := bytes.Repeat([]byte("x"), bus.MaxClaimBytes-200)
	for i := 0; ; i++ {
		id := page.ID{Source: "x", Upstream: fmt.Sprint("fill", i)}
		_, err := js.PublishMsg(ctx, &nats.Msg{Subject: "$KV." + bus.ClaimsBucket + ".page." + bus.PageKey(id) + "." + member, Data: data})
		if err != nil {
			return i
		}
		if i > 100000 {
			t.Fatal("claims stream has no size limit")
		}
	}
}

// TestFullClaimsNeverBlockPages is issue #11 item 2: with the claims
// stream full (as one member used to make it), webhooks still store pages;
// remove-member purges that member's data, and after a restart webhooks
// still work. usage and purge-member report and act through the running hub.
func TestFullClaimsNeverBlockPages(t *testing.T) {
	dir := t.TempDir()
	cfg := hub.Config{DataDir: dir, ClaimsMaxBytes: 256 << 10}
	h := startHub(t, cfg)
	hook, err := h.Store().AddWebhook("am")
	if err != nil {
		t.Fatal(err)
	}
	bob := member(t, h, "bob")
	member(t, h, "carol")
	n := fillClaims(t, h.JetStream(), "carol")
	t.Logf("claims stream full after %d claims", n)
	if code, resp := post(t, h, hook, `{"id":"a","title":"page while claims are full"}`); code != http.StatusOK {
		t.Fatalf("webhook with the claims stream full: %d %s", code, resp)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := bob.Claim(ctx, page.ID{Source: "am", Upstream: "a"}, page.ClaimLooking, 0); err == nil {
		t.Log("bob could still claim (a marker or an expiry made room)")
	}

	var out bytes.Buffer
	env := hub.Env{Stdout: &out, Stderr: &out}
	if err := (&hub.UsageCmd{}).Run(&hub.CLI{Data: dir}, env); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "carol") || !strings.Contains(out.String(), fmt.Sprint(n)) {
		t.Fatalf("usage does not show carol's %d claims:\n%s", n, out.String())
	}
	out.Reset()
	if err := (&hub.PurgeMemberCmd{Name: "carol"}).Run(&hub.CLI{Data: dir}, env); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("%d claims released", n)) {
		t.Fatalf("purge-member said %q", out.String())
	}
	if err := (&hub.PurgeMemberCmd{Name: "nobody"}).Run(&hub.CLI{Data: t.TempDir()}, env); err == nil {
		t.Fatal("purge-member without a running hub succeeded")
	}

	// remove-member, restart: webhooks work.
	if err := h.Store().RemoveMember("carol"); err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	if err := h.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	h2 := startHub(t, cfg)
	if code, resp := post(t, h2, hook, `{"id":"b","title":"page after restart"}`); code != http.StatusOK {
		t.Fatalf("webhook after remove-member and restart: %d %s", code, resp)
	}
	u, err := h2.Usage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range u.Members {
		if m.Member == "carol" && m.Consumers > 0 {
			t.Fatalf("carol still holds consumers: %+v", m)
		}
	}
}

// TestRemovedMembersClaimsEnd: removing a member purges their claims at
// once, so a removed member's "I'm looking" silences nobody.
func TestRemovedMembersClaimsEnd(t *testing.T) {
	h := startHub(t, hub.Config{DataDir: t.TempDir(), InMemory: true})
	alice, bob := member(t, h, "alice"), member(t, h, "bob")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id := page.ID{Source: "am", Upstream: "fp1"}
	w, err := bob.WatchClaims(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Claim(ctx, id, page.ClaimLooking, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := h.Store().RemoveMember("alice"); err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	for ev := range w {
		if ev.Op == bus.ClaimReleased && ev.Claim.By == "alice" && ev.Claim.Page == id {
			return
		}
	}
	t.Fatal("watch ended without alice's claim being released")
}
