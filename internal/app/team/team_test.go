package team

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// fakeEngine records what the team hands it.
type fakeEngine struct {
	mu     sync.Mutex
	claims map[page.ID][]page.Claim
	pages  map[page.ID]page.Page
}

func newFake() *fakeEngine {
	return &fakeEngine{claims: map[page.ID][]page.Claim{}, pages: map[page.ID]page.Page{}}
}

func (f *fakeEngine) SetClaims(id page.ID, c []page.Claim) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.claims[id] = c
}

func (f *fakeEngine) Upsert(_ context.Context, p page.Page) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pages[p.ID] = p
	return nil
}

func (f *fakeEngine) Close(id page.ID) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.pages, id)
}

func alone() *Team {
	return New(Params{URLs: func() []string { return nil }, Me: func() string { return "alice" }})
}

var (
	p1 = page.ID{Source: "am", Upstream: "1"}
	p2 = page.ID{Source: "am", Upstream: "2"}
)

// TestAttachHandsEverythingToANewEngine: an engine built anew gets every
// claim and open hub page the team knows at once.
func TestAttachHandsEverythingToANewEngine(t *testing.T) {
	tm := alone()
	old := newFake()
	tm.Attach(context.Background(), old)
	now := time.Now()
	tm.setTeamClaim(bus.ClaimEvent{Op: bus.ClaimSet, Claim: page.Claim{Page: p1, By: "bob", Kind: page.ClaimLooking, At: now}})
	tm.hubPage(context.Background(), page.Page{ID: p2, Title: "from the hub"})
	tm.hubPage(context.Background(), page.Page{ID: page.ID{Source: "am", Upstream: "gone"}, Status: page.StatusResolved})
	if _, err := tm.Look(context.Background(), p2, "alice", time.Minute, now); err != nil {
		t.Fatal(err)
	}

	fresh := newFake()
	tm.Attach(context.Background(), fresh)
	if len(fresh.pages) != 1 || fresh.pages[p2].Title != "from the hub" {
		t.Fatalf("hub pages handed over: %+v", fresh.pages)
	}
	if c := fresh.claims[p1]; len(c) != 1 || c[0].By != "bob" || c[0].Origin != page.OriginBus {
		t.Fatalf("bob's claim handed over: %+v", c)
	}
	if c := fresh.claims[p2]; len(c) != 1 || c[0].By != "alice" || c[0].Origin != page.OriginLocal {
		t.Fatalf("my local claim handed over: %+v", c)
	}
	if !tm.HubPage(p2) || tm.HubPage(p1) {
		t.Fatal("HubPage is wrong")
	}
}

// TestClaimsEndAndAckNeedsATeam: a released team claim disappears, my
// claim ends on Drop, and an ack cannot be told without a connection.
func TestClaimsEndAndAckNeedsATeam(t *testing.T) {
	tm := alone()
	eng := newFake()
	tm.Attach(context.Background(), eng)
	now := time.Now()
	set := bus.ClaimEvent{Op: bus.ClaimSet, Claim: page.Claim{Page: p1, By: "bob", Kind: page.ClaimLooking, At: now}}
	tm.setTeamClaim(set)
	tm.push(p1)
	tm.setTeamClaim(bus.ClaimEvent{Op: bus.ClaimReleased, Claim: page.Claim{Page: p1, By: "bob"}})
	tm.push(p1)
	if len(eng.claims[p1]) != 0 || len(tm.claims) != 0 {
		t.Fatalf("released claim kept: %+v %+v", eng.claims[p1], tm.claims)
	}
	if _, err := tm.Look(context.Background(), p1, "alice", time.Minute, now); err != nil {
		t.Fatal(err)
	}
	if _, ok := tm.Mine(now)[p1]; !ok {
		t.Fatal("my claim is not mine")
	}
	if _, ok := tm.Mine(now.Add(2 * time.Minute))[p1]; ok {
		t.Fatal("my claim outlived its TTL")
	}
	if err := tm.Acked(context.Background(), p1); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("ack without a team: %v", err)
	}
	if len(eng.claims[p1]) != 0 {
		t.Fatalf("my claim survives my ack: %+v", eng.claims[p1])
	}
	if st := tm.Status(context.Background(), false); st.Configured || st.Hint == "" {
		t.Fatalf("status alone = %+v", st)
	}
	tm.Close()
	if err := tm.Connect(context.Background()); err != nil {
		t.Fatalf("connect with no team configured: %v", err)
	}
}

// TestCaughtUpClosesPagesTheHubNoLongerHas: after a reconnect, a hub page
// held from before that the catch-up did not deliver is closed.
func TestCaughtUpClosesPagesTheHubNoLongerHas(t *testing.T) {
	tm := alone()
	eng := newFake()
	tm.Attach(context.Background(), eng)
	tm.hubPage(context.Background(), page.Page{ID: p1, Title: "old"})
	tm.hubPage(context.Background(), page.Page{ID: p2, Title: "still open"})
	events := make(chan bus.PageEvent, 3)
	events <- bus.PageEvent{Page: page.Page{ID: p2, Title: "still open"}}
	events <- bus.PageEvent{Synced: true}
	close(events)
	synced := make(chan struct{})
	tm.followPages(context.Background(), events, synced)
	select {
	case <-synced:
	default:
		t.Fatal("synced not closed")
	}
	if _, ok := eng.pages[p1]; ok || tm.HubPage(p1) {
		t.Fatal("a page the hub no longer has stays open")
	}
	if _, ok := eng.pages[p2]; !ok {
		t.Fatal("a page the hub has was closed")
	}
}

// TestHubPagesUseTheOneMapping: a hub page's urgency comes from its kind's
// scale and the user's overrides, as a polled page's does.
func TestHubPagesUseTheOneMapping(t *testing.T) {
	tm := New(Params{URLs: func() []string { return nil }, Me: func() string { return "alice" },
		Overrides: func(k source.Kind) map[string]string {
			if k == source.KindAlertmanager {
				return map[string]string{"warning": "high"}
			}
			return nil
		}})
	for _, tc := range []struct {
		p    page.Page
		want page.Urgency
	}{
		{page.Page{Kind: "alertmanager", Severity: "warning", Urgency: page.UrgencyLow}, page.UrgencyHigh},
		{page.Page{Kind: "alertmanager", Severity: "info", Urgency: page.UrgencyHigh}, page.UrgencyLow},
		{page.Page{Kind: "generic", Severity: "critical", Urgency: page.UrgencyLow}, page.UrgencyLow},
	} {
		if got := tm.mapped(tc.p).Urgency; got != tc.want {
			t.Errorf("%s %q: %v, want %v", tc.p.Kind, tc.p.Severity, got, tc.want)
		}
	}
}
