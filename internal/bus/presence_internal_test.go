package bus

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func TestPresenceTableStaleness(t *testing.T) {
	t0 := time.Date(2026, 3, 29, 1, 59, 0, 0, time.FixedZone("x", 3600))
	tab := &presenceTable{recs: map[string]Presence{}, recv: map[string]time.Time{}, changed: make(chan struct{}, 1)}
	rec := func(member string, every time.Duration, f PresenceFields) []byte {
		raw, _ := json.Marshal(Presence{Member: "spoofed", Every: every, PresenceFields: f})
		return raw
	}
	tab.setVisible(true)
	tab.apply(presencePrefix+"alice", nil, rec("alice", 10*time.Second, PresenceFields{OnCall: true, Ringable: true, Schedule: "primary"}), t0)
	tab.apply(presencePrefix+"bob", nil, rec("bob", 2*time.Second, PresenceFields{}), t0.Add(time.Second))
	tab.apply(presencePrefix+"bad.name", nil, rec("x", time.Second, PresenceFields{}), t0)

	team, next := tab.snapshot(t0.Add(2 * time.Second))
	if !team.Visible || len(team.Online) != 2 || !team.Online["alice"].OnCall || team.Online["alice"].Member != "alice" {
		t.Fatalf("team = %+v", team)
	}
	if want := t0.Add(7 * time.Second); !next.Equal(want) { // bob: received t0+1s, 3 × 2 s
		t.Fatalf("next staleness at %v, want %v", next, want)
	}
	team, _ = tab.snapshot(t0.Add(7 * time.Second))
	if _, ok := team.Online["bob"]; ok || len(team.Online) != 1 {
		t.Fatalf("bob is stale after 3 heartbeats: %+v", team.Online)
	}
	team, next = tab.snapshot(t0.Add(30 * time.Second))
	if len(team.Online) != 0 || !next.IsZero() {
		t.Fatalf("alice is stale after 3 × 10 s: %+v, next %v", team.Online, next)
	}
	// A fresh heartbeat brings alice back; a delete marker or a server
	// expiry marker takes her away at once.
	tab.apply(presencePrefix+"alice", nil, rec("alice", 10*time.Second, PresenceFields{}), t0.Add(31*time.Second))
	if team, _ = tab.snapshot(t0.Add(32 * time.Second)); len(team.Online) != 1 {
		t.Fatalf("alice back: %+v", team.Online)
	}
	for _, h := range []nats.Header{{kvOperation: {"DEL"}}, {jetstream.MarkerReasonHeader: {"MaxAge"}}} {
		tab.apply(presencePrefix+"alice", nil, rec("alice", 10*time.Second, PresenceFields{}), t0.Add(33*time.Second))
		tab.apply(presencePrefix+"alice", h, nil, t0.Add(34*time.Second))
		if team, _ = tab.snapshot(t0.Add(35 * time.Second)); len(team.Online) != 0 {
			t.Fatalf("after %v alice is still online", h)
		}
	}
	tab.setVisible(false)
	if team, _ = tab.snapshot(t0); team.Visible {
		t.Fatal("visible after losing sight of the team")
	}
}

func TestReplaceLatestKeepsNewest(t *testing.T) {
	out := make(chan int, 1)
	for i := range 5 {
		replaceLatest(out, i)
	}
	if v := <-out; v != 4 {
		t.Fatalf("got %d, want the latest (4)", v)
	}
}
