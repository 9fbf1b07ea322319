package bus_test

import (
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
)

// waitTeam reads snapshots until one matches, failing after d.
func waitTeam(t *testing.T, ch <-chan bus.Team, d time.Duration, what string, match func(bus.Team) bool) bus.Team {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case team, ok := <-ch:
			if !ok {
				t.Fatalf("presence watch closed waiting for %s", what)
			}
			if match(team) {
				return team
			}
		case <-timer.C:
			t.Fatalf("no snapshot with %s within %v", what, d)
		}
	}
}

// TestPresenceForRouting (issue #13): each app's routing fields reach
// teammates at once, a closed app leaves the team, and a watcher that
// loses the hub says it cannot see the team.
func TestPresenceForRouting(t *testing.T) {
	dir := t.TempDir()
	h := testHub(t, dir, "127.0.0.1:0")
	addr := h.Server().Addr().String()
	every := 500 * time.Millisecond
	alice := connect(t, addMember(t, h, "alice"), bus.Config{PresenceEvery: every})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{PresenceEvery: every})
	ctx := ctxT(t, 30*time.Second)
	w, err := bob.WatchPresence(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitTeam(t, w, 5*time.Second, "alice and bob", func(team bus.Team) bool {
		return team.Visible && len(team.Online) == 2
	})
	until := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	if err := alice.SetPresence(ctx, bus.PresenceFields{OnCall: true, OnCallUntil: until, Schedule: "primary", Ringable: true}); err != nil {
		t.Fatal(err)
	}
	team := waitTeam(t, w, 2*time.Second, "alice on call", func(team bus.Team) bool { return team.Online["alice"].OnCall })
	a := team.Online["alice"]
	if !a.OnCallUntil.Equal(until) || a.Schedule != "primary" || !a.Ringable || a.Member != "alice" || a.Every != every {
		t.Fatalf("alice's record: %+v", a)
	}
	// The fields ride on every heartbeat: still there after a few beats.
	team = waitTeam(t, w, 3*time.Second, "a later heartbeat", func(team bus.Team) bool {
		return team.Online["alice"].Seen.After(a.Seen)
	})
	if !team.Online["alice"].OnCall {
		t.Fatalf("a heartbeat dropped the fields: %+v", team.Online["alice"])
	}
	// One consumer per presence watch (bob: this watch only).
	u, err := h.Usage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range u.Members {
		if m.Member == "bob" && m.Consumers != 1 {
			t.Fatalf("bob's presence watch uses %d consumers", m.Consumers)
		}
	}
	if err := alice.SetPresence(ctx, bus.PresenceFields{Schedule: string(make([]byte, 300))}); err == nil {
		t.Fatal("a 300-byte schedule name was stored")
	}
	_ = alice.Close()
	waitTeam(t, w, 2*time.Second, "alice gone", func(team bus.Team) bool {
		_, on := team.Online["alice"]
		return team.Visible && !on && len(team.Online) == 1
	})
	// The hub goes away: bob's watch says the team cannot be seen.
	if err := h.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	waitTeam(t, w, 5*time.Second, "not visible", func(team bus.Team) bool { return !team.Visible })
	h2 := testHub(t, dir, addr)
	<-h2.Ready()
	waitTeam(t, w, 10*time.Second, "visible again", func(team bus.Team) bool {
		return team.Visible && len(team.Online) == 1
	})
}
