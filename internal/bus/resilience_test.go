package bus_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/page"
)

func pageN(i int) page.ID { return page.ID{Source: "am", Upstream: fmt.Sprintf("fp%03d", i)} }

// claimRetry claims until the hub answers (it may be restarting or
// electing a leader), bounded by d.
func claimRetry(t *testing.T, c *bus.Client, id page.ID, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		_, err := c.Claim(ctx, id, page.ClaimLooking, 10*time.Minute)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("claim %s: %v", id, err)
		}
	}
}

func TestHubRestartWatchResumes(t *testing.T) {
	dir := t.TempDir()
	h := testHub(t, dir, "127.0.0.1:0")
	addr := h.Server().Addr().String()
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 30*time.Second)
	w, _ := bob.WatchClaims(ctx)
	synced(t, w)
	claimRetry(t, alice, pageN(0), time.Second)
	waitClaim(t, w, 2*time.Second, isSet(pageN(0), "alice"))

	if err := h.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	h2 := testHub(t, dir, addr)
	<-h2.Ready()
	restarted := time.Now()
	// A burst right after the restart: bob's watch must deliver all of it,
	// including what was written before it re-created its consumer.
	for i := 1; i <= 5; i++ {
		claimRetry(t, alice, pageN(i), 2*time.Second)
	}
	for i := 1; i <= 5; i++ {
		waitClaim(t, w, 2*time.Second, isSet(pageN(i), "alice"))
	}
	if took := time.Since(restarted); took > 2*time.Second {
		t.Fatalf("claims flowed again %v after the hub came back; goal 2 s", took)
	}
	t.Logf("claims flowed again %v after the hub came back", time.Since(restarted).Round(time.Millisecond))
}

// TestDeadConsumerRecreated deletes the watcher's consumer behind its back
// (as when the cluster node holding it dies while the connection is fine).
func TestDeadConsumerRecreated(t *testing.T) {
	h := testHub(t, t.TempDir(), "127.0.0.1:0")
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 20*time.Second)
	w, _ := bob.WatchClaims(ctx)
	synced(t, w)
	s, err := h.JetStream().Stream(ctx, "KV_"+bus.ClaimsBucket)
	if err != nil {
		t.Fatal(err)
	}
	for name := range s.ListConsumers(ctx).Info() {
		if err := s.DeleteConsumer(ctx, name.Name); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	claimRetry(t, alice, pageN(1), time.Second)
	waitClaim(t, w, 5*time.Second, isSet(pageN(1), "alice"))
	t.Logf("watch recovered %v after its consumer was deleted", time.Since(start).Round(time.Millisecond))
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestClusterSurvivesNodeLoss runs three hubs as a NATS cluster on loopback
// with R3 assets, kills the claims stream leader and checks that no
// confirmed claim is lost and that claims keep flowing.
func TestClusterSurvivesNodeLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("3-node cluster: skipped in -short")
	}
	seed := t.TempDir()
	st, _ := hub.OpenStore(seed)
	tokA, _ := st.AddMember("alice", []string{"nats://unused"})
	tokB, _ := st.AddMember("bob", []string{"nats://unused"})
	team, err := os.ReadFile(filepath.Join(seed, "team.json"))
	if err != nil {
		t.Fatal(err)
	}
	cport := []int{freePort(t), freePort(t), freePort(t)}
	hubs := make([]*hub.Hub, 3)
	var wg sync.WaitGroup
	for i := range hubs {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "team.json"), team, 0o600); err != nil {
			t.Fatal(err)
		}
		var routes []string
		for j, p := range cport {
			if j != i {
				routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
			}
		}
		h, err := hub.New(hub.Config{Listen: "127.0.0.1:0", DataDir: dir, HTTPListen: "off",
			ServerName: fmt.Sprintf("n%d", i+1), ClusterListen: fmt.Sprintf("127.0.0.1:%d", cport[i]),
			Routes: routes, Replicas: 3})
		if err != nil {
			t.Fatal(err)
		}
		hubs[i] = h
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			if err := h.Start(ctx); err != nil {
				t.Error(err)
			}
		}()
		t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	var urls []string
	for _, h := range hubs {
		urls = append(urls, h.ClientURL())
	}
	alice := connect(t, tokA.Encode(), bus.Config{URLs: urls})
	bob := connect(t, tokB.Encode(), bus.Config{URLs: urls})
	ctx := ctxT(t, 60*time.Second)
	w, _ := bob.WatchClaims(ctx)
	synced(t, w)
	const n = 20
	for i := range n {
		claimRetry(t, alice, pageN(i), 5*time.Second) // confirmed: PubAck from the R3 stream
	}
	for i := range n {
		waitClaim(t, w, 5*time.Second, isSet(pageN(i), "alice"))
	}

	// Kill the node holding bob's watch consumer: the trap where a watch
	// goes silent although its own connection is fine. (When bob happens
	// to be connected to that node too, the reconnect path is exercised.)
	s, err := hubs[0].JetStream().Stream(ctx, "KV_"+bus.ClaimsBucket)
	if err != nil {
		t.Fatal(err)
	}
	victim := ""
	for ci := range s.ListConsumers(ctx).Info() {
		if ci.Cluster != nil {
			victim = ci.Cluster.Leader
		}
	}
	if victim == "" {
		t.Fatal("no consumer host found")
	}
	for _, h := range hubs {
		if h.Server().Name() == victim {
			sameConn := strings.Contains(bob.ConnectedURL(), h.Server().Addr().String())
			_ = h.Shutdown(ctx)
			t.Logf("killed %s, host of bob's consumer (bob connected to it: %v; claims stream leader: %v)",
				victim, sameConn, victim == s.CachedInfo().Cluster.Leader)
		}
	}
	killed := time.Now()
	claimRetry(t, alice, pageN(n), 20*time.Second)
	waitClaim(t, w, 10*time.Second, isSet(pageN(n), "alice"))
	t.Logf("claims flowed again %v after losing the node", time.Since(killed).Round(time.Millisecond))

	// Every confirmed claim is still there: a fresh watcher sees all n+1.
	w2, _ := bob.WatchClaims(ctx)
	seen := map[page.ID]bool{}
	waitClaim(t, w2, 10*time.Second, func(ev bus.ClaimEvent) bool {
		if ev.Op == bus.ClaimSet {
			seen[ev.Claim.Page] = true
		}
		return ev.Op == bus.ClaimsSynced
	})
	if len(seen) != n+1 {
		t.Fatalf("after node loss the bucket holds %d claims, want %d", len(seen), n+1)
	}
}
