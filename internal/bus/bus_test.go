package bus_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/page"
)

// testHub starts an in-memory hub on random ports in dir.
func testHub(t *testing.T, dir, listen string) *hub.Hub {
	t.Helper()
	h, err := hub.New(hub.Config{Listen: listen, DataDir: dir, HTTPListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	return h
}

func addMember(t *testing.T, h *hub.Hub, name string) string {
	t.Helper()
	tok, err := h.Store().AddMember(name, []string{h.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	return tok.Encode()
}

func connect(t *testing.T, token string, cfg bus.Config) *bus.Client {
	t.Helper()
	cfg.Token = token
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := bus.Connect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitClaim reads events until one matches, failing after d.
func waitClaim(t *testing.T, ch <-chan bus.ClaimEvent, d time.Duration, match func(bus.ClaimEvent) bool) bus.ClaimEvent {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatal("claim watch closed")
			}
			if match(ev) {
				return ev
			}
		case <-timer.C:
			t.Fatalf("no matching claim event within %v", d)
		}
	}
}

func synced(t *testing.T, ch <-chan bus.ClaimEvent) {
	t.Helper()
	waitClaim(t, ch, 5*time.Second, func(ev bus.ClaimEvent) bool { return ev.Op == bus.ClaimsSynced })
}

func isSet(id page.ID, by string) func(bus.ClaimEvent) bool {
	return func(ev bus.ClaimEvent) bool {
		return ev.Op == bus.ClaimSet && ev.Claim.Page == id && ev.Claim.By == by
	}
}

var pg = page.ID{Source: "am-prod", Upstream: "3f2a.9c/x y"}

func TestClaimSeenByTeammate(t *testing.T) {
	h := testHub(t, t.TempDir(), "127.0.0.1:0")
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 10*time.Second)
	w, err := bob.WatchClaims(ctx)
	if err != nil {
		t.Fatal(err)
	}
	synced(t, w)
	cl, err := alice.Claim(ctx, pg, page.ClaimLooking, 0)
	if err != nil {
		t.Fatal(err)
	}
	ev := waitClaim(t, w, 2*time.Second, isSet(pg, "alice"))
	if ev.Claim.Kind != page.ClaimLooking || ev.Claim.Origin != page.OriginBus ||
		!ev.Claim.Expires.Equal(cl.Expires) || !ev.Claim.Live(time.Now()) {
		t.Fatalf("bob saw %+v, alice made %+v", ev.Claim, cl)
	}
	if err := alice.Release(ctx, pg); err != nil {
		t.Fatal(err)
	}
	waitClaim(t, w, 2*time.Second, func(ev bus.ClaimEvent) bool {
		return ev.Op == bus.ClaimReleased && ev.Claim.By == "alice" && ev.Claim.Page == pg
	})
	// A late watcher sees no released claim, then the synced marker.
	w2, _ := bob.WatchClaims(ctx)
	first := waitClaim(t, w2, 2*time.Second, func(bus.ClaimEvent) bool { return true })
	if first.Op != bus.ClaimsSynced && first.Op != bus.ClaimReleased {
		t.Fatalf("late watcher got %v first", first.Op)
	}
}

func TestTwoMembersClaimAtOnce(t *testing.T) {
	h := testHub(t, t.TempDir(), "127.0.0.1:0")
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 10*time.Second)
	wa, _ := alice.WatchClaims(ctx)
	wb, _ := bob.WatchClaims(ctx)
	synced(t, wa)
	synced(t, wb)
	errs := make(chan error, 2)
	for _, c := range []*bus.Client{alice, bob} {
		go func() { _, err := c.Claim(ctx, pg, page.ClaimLooking, time.Minute); errs <- err }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	waitClaim(t, wa, 2*time.Second, isSet(pg, "bob"))
	waitClaim(t, wb, 2*time.Second, isSet(pg, "alice"))
}

func TestCannotClaimAsAnotherMember(t *testing.T) {
	h := testHub(t, t.TempDir(), "127.0.0.1:0")
	addMember(t, h, "bob")
	// alice's credential, trying to write under bob's name.
	mallory := connect(t, addMember(t, h, "alice"), bus.Config{Me: "bob"})
	start := time.Now()
	_, err := mallory.Claim(ctxT(t, 10*time.Second), pg, page.ClaimLooking, 0)
	if !errors.Is(err, bus.ErrNotPermitted) {
		t.Fatalf("claim as bob with alice's token: got %v, want ErrNotPermitted", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("permission error took %v; it must not wait for a timeout", took)
	}
	if !strings.Contains(err.Error(), "not permitted") {
		t.Fatalf("error not in words: %v", err)
	}
	// Pages are the hub's to write.
	_, err = mallory.PublishPage(ctxT(t, 5*time.Second), page.Page{ID: pg, Title: "fake"})
	if !errors.Is(err, bus.ErrNotPermitted) {
		t.Fatalf("member publishing a page: got %v, want ErrNotPermitted", err)
	}
}

func TestRefusedClients(t *testing.T) {
	h := testHub(t, t.TempDir(), "127.0.0.1:0")
	tok := addMember(t, h, "alice")
	// A well-formed token the hub never issued.
	other := testHub(t, t.TempDir(), "127.0.0.1:0")
	stranger, err := other.Store().AddMember("alice", []string{h.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bus.Connect(ctxT(t, 5*time.Second), bus.Config{Token: stranger.Encode()})
	if !errors.Is(err, bus.ErrTokenRefused) {
		t.Fatalf("unknown key: got %v, want ErrTokenRefused", err)
	}
	if strings.Contains(err.Error(), "SUA") || strings.Contains(err.Error(), "standby1:") {
		t.Fatal("error leaks the secret")
	}
	// Revocation drops a connected member and refuses the next connect.
	alice := connect(t, tok, bus.Config{})
	if err := h.Store().RemoveMember("alice"); err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	_, err = alice.Claim(ctxT(t, 3*time.Second), pg, page.ClaimLooking, 0)
	if err == nil {
		t.Fatal("revoked member could still claim")
	}
	_, err = bus.Connect(ctxT(t, 5*time.Second), bus.Config{Token: tok})
	if !errors.Is(err, bus.ErrTokenRefused) {
		t.Fatalf("revoked token: got %v, want ErrTokenRefused", err)
	}
	// Nothing listening.
	_, err = bus.Connect(ctxT(t, 5*time.Second), bus.Config{Token: tok, URLs: []string{"nats://127.0.0.1:1"}})
	if !errors.Is(err, bus.ErrUnreachable) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Fatalf("no hub: got %v", err)
	}
}

func TestOnline(t *testing.T) {
	h := testHub(t, t.TempDir(), "127.0.0.1:0")
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 10*time.Second)
	// Presence is written by the first heartbeat right after Connect; poll
	// until both are there (bounded by ctx).
	for {
		on, err := alice.Online(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(on) == 2 && on[0].Member == "alice" && on[1].Member == "bob" {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("online = %+v", on)
		case <-time.After(20 * time.Millisecond):
		}
	}
	_ = bob.Close()
	for {
		on, err := alice.Online(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(on) == 1 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("bob still online after Close: %+v", on)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
