package engine

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/source"
)

// team is a test policy: the real quiet.Decide with a team view the test
// changes. Online members heartbeat: their presence is seen at every
// decision, until silence stops the heartbeats.
type team struct {
	mu       sync.Mutex
	members  []quiet.Member
	visible  bool
	hold     quiet.Hold
	silentAt time.Time // heartbeats stop here (zero: they never stop)
}

func newTeam() *team {
	return &team{
		members: []quiet.Member{{Name: "Alice", Online: true, OnCall: true, Ringable: true}},
		visible: true,
		hold:    quiet.Hold{High: 2 * time.Minute, Low: 10 * time.Minute},
	}
}

func (tm *team) route(p page.Page, firstSeen, now time.Time) Decision {
	tm.mu.Lock()
	view := quiet.Team{Visible: tm.visible, Members: slices.Clone(tm.members)}
	for i := range view.Members {
		view.Members[i].Seen = now
		if !tm.silentAt.IsZero() && now.After(tm.silentAt) {
			view.Members[i].Seen = tm.silentAt
		}
	}
	in := quiet.Input{Page: p, Me: "me", Team: view, Hold: tm.hold, FirstSeen: firstSeen, Location: time.UTC}
	tm.mu.Unlock()
	d := quiet.Decide(in, now)
	return Decision{Level: Level(d.Level), Until: d.Until, Reason: d.Reason, Responders: d.Responders, Escalated: d.Escalated}
}

func (tm *team) set(f func(tm *team)) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	f(tm)
}

// holdParams wires rec and the team policy to src.
func holdParams(rec *recorder, store Store, tm *team, src *fakeSource) Params {
	p := params(rec, store, src)
	p.Route = tm.route
	return p
}

func levels(ns []notified) []Level {
	var out []Level
	for _, n := range ns {
		out = append(out, n.D.Level)
	}
	return out
}

func storedHolds(t *testing.T, s Store) []Hold {
	t.Helper()
	hs, err := s.Holds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func TestHeldThenEscalatedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, store, tm := newFake("am", 0), &recorder{}, &MemStore{}, newTeam()
		a := src.add("a", page.UrgencyHigh)
		t0 := time.Now()
		e := New(holdParams(rec, store, tm, src))
		stop := run(t, e)
		defer stop()

		ps, _ := pageState(e.Snapshot(), a)
		if ps.Decision.Level != Held || !ps.Decision.Until.Equal(t0.Add(2*time.Minute)) || !slices.Equal(ps.Decision.Responders, []string{"Alice"}) ||
			!ps.HeldSince.Equal(t0) {
			t.Fatalf("new page: %+v, want held until %v for Alice", ps.Decision, t0.Add(2*time.Minute))
		}
		if got := levels(rec.notified()); !slices.Equal(got, []Level{Held}) {
			t.Fatalf("notified %v, want one silent held notification", got)
		}
		if hs := storedHolds(t, store); len(hs) != 1 || !hs[0].Until.Equal(t0.Add(2*time.Minute)) {
			t.Fatalf("stored holds %+v, want the deadline", hs)
		}

		sleep(2*time.Minute - time.Millisecond)
		if n := len(rec.notified()); n != 1 {
			t.Fatalf("%d notifications before the deadline, want 1", n)
		}
		sleep(time.Millisecond)
		ns := rec.notified()
		if len(ns) != 2 || ns[1].D.Level != Loud || !ns[1].D.Escalated || !slices.Equal(ns[1].D.Responders, []string{"Alice"}) {
			t.Fatalf("at the deadline: %+v, want a second, loud, escalated notification", ns)
		}
		if late := ns[1].At.Sub(t0.Add(2 * time.Minute)); late < 0 || late >= time.Second {
			t.Errorf("escalation %v after the deadline, want within 1 s", late)
		}
		sleep(10 * time.Minute)
		if n := len(rec.notified()); n != 2 {
			t.Errorf("%d notifications, want exactly 2 (held, then escalated)", n)
		}
		if ps, _ := pageState(e.Snapshot(), a); ps.Decision.Level != Loud || !ps.Decision.Escalated || !ps.HeldSince.IsZero() {
			t.Errorf("after escalation the page shows %+v", ps.Decision)
		}
		if hs := storedHolds(t, store); len(hs) != 0 {
			t.Errorf("stored holds after escalation: %+v", hs)
		}
	})
}

func TestHeldThenClaimedEndsSilently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, store, tm := newFake("am", 0), &recorder{}, &MemStore{}, newTeam()
		a := src.add("a", page.UrgencyHigh)
		e := New(holdParams(rec, store, tm, src))
		stop := run(t, e)
		defer stop()

		sleep(time.Minute)
		now := time.Now()
		e.SetClaims(a, []page.Claim{{Page: a, By: "Alice", Kind: page.ClaimLooking, At: now, Expires: now.Add(30 * time.Minute), Origin: page.OriginBus}})
		synctest.Wait()
		if ps, _ := pageState(e.Snapshot(), a); ps.Decision.Level != Quiet || ps.Decision.Reason != "Quiet: Alice is looking" {
			t.Errorf("after Alice's claim: %+v, want quiet", ps.Decision)
		}
		sleep(10 * time.Minute)
		if got := levels(rec.notified()); !slices.Equal(got, []Level{Held}) {
			t.Errorf("notified %v, want only the silent held one", got)
		}
		if hs := storedHolds(t, store); len(hs) != 0 {
			t.Errorf("stored holds after the claim: %+v", hs)
		}
	})
}

func TestHeldThenAckedOrResolvedUpstream(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(src *fakeSource)
	}{
		{"acked", func(src *fakeSource) {
			src.mu.Lock()
			p := src.pages["a"]
			p.Status, p.AckedBy = page.StatusAcknowledged, "Alice"
			src.pages["a"] = p
			src.mu.Unlock()
		}},
		{"resolved", func(src *fakeSource) { src.del("a") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				src, rec, store, tm := newFake("am", 0), &recorder{}, &MemStore{}, newTeam()
				src.add("a", page.UrgencyHigh)
				stop := run(t, New(holdParams(rec, store, tm, src)))
				defer stop()
				sleep(time.Minute)
				tc.change(src)
				sleep(10 * time.Minute)
				if got := levels(rec.notified()); !slices.Equal(got, []Level{Held}) {
					t.Errorf("notified %v, want only the silent held one", got)
				}
				if hs := storedHolds(t, store); len(hs) != 0 {
					t.Errorf("stored holds: %+v", hs)
				}
			})
		})
	}
}

func TestHeldAckedByMeEndsSilently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, tm := newFake("am", 0), &recorder{}, newTeam()
		a := src.add("a", page.UrgencyHigh)
		e := New(holdParams(rec, nil, tm, src))
		stop := run(t, e)
		defer stop()
		sleep(30 * time.Second)
		if err := e.Ack(context.Background(), a, source.Actor{Name: "me"}); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if ps, _ := pageState(e.Snapshot(), a); ps.Decision.Level != Quiet {
			t.Errorf("after my ack: %+v, want quiet", ps.Decision)
		}
		sleep(5 * time.Minute)
		if got := levels(rec.notified()); !slices.Equal(got, []Level{Held}) {
			t.Errorf("notified %v, want only the silent held one", got)
		}
	})
}

func TestRestartDuringHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, store, tm := newFake("am", 0), &recorder{}, &MemStore{}, newTeam()
		a := src.add("a", page.UrgencyHigh)
		t0 := time.Now()
		stop := run(t, New(holdParams(rec, store, tm, src)))
		sleep(time.Minute)
		stop()

		e2 := New(holdParams(rec, store, tm, src))
		stop = run(t, e2)
		ps, _ := pageState(e2.Snapshot(), a)
		if ps.Decision.Level != Held || !ps.Decision.Until.Equal(t0.Add(2*time.Minute)) {
			stop()
			t.Fatalf("after restart: %+v, want still held until the stored deadline %v", ps.Decision, t0.Add(2*time.Minute))
		}
		if n := len(rec.notified()); n != 1 {
			stop()
			t.Fatalf("restart notified again: %+v", rec.notified())
		}
		sleep(time.Minute)
		ns := rec.notified()
		if len(ns) != 2 || ns[1].D.Level != Loud || !ns[1].D.Escalated || !ns[1].At.Equal(t0.Add(2*time.Minute)) {
			stop()
			t.Fatalf("notified %+v, want held then, at the stored deadline, escalated", ns)
		}
		stop()

		// A further restart rings nothing again.
		stop = run(t, New(holdParams(rec, store, tm, src)))
		sleep(5 * time.Minute)
		stop()
		if n := len(rec.notified()); n != 2 {
			t.Errorf("%d notifications after a restart past the escalation, want 2", n)
		}
	})
}

func TestDeadlinePassedWhileDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, store, tm := newFake("am", 0), &recorder{}, &MemStore{}, newTeam()
		src.add("a", page.UrgencyHigh)
		stop := run(t, New(holdParams(rec, store, tm, src)))
		sleep(30 * time.Second)
		stop()
		sleep(10 * time.Minute) // not running past the deadline
		restart := time.Now()
		stop = run(t, New(holdParams(rec, store, tm, src)))
		defer stop()
		ns := rec.notified()
		if len(ns) != 2 || ns[1].D.Level != Loud || !ns[1].D.Escalated || !ns[1].At.Equal(restart) {
			t.Fatalf("notified %+v, want the escalation at once on restart (%v)", ns, restart)
		}
	})
}

func TestResolvedWhileDownDropsStoredHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, store, tm := newFake("am", 0), &recorder{}, &MemStore{}, newTeam()
		src.add("a", page.UrgencyHigh)
		stop := run(t, New(holdParams(rec, store, tm, src)))
		sleep(30 * time.Second)
		stop()
		src.del("a")
		stop = run(t, New(holdParams(rec, store, tm, src)))
		defer stop()
		sleep(5 * time.Minute)
		if got := levels(rec.notified()); !slices.Equal(got, []Level{Held}) {
			t.Errorf("notified %v, want only the silent held one", got)
		}
		if hs := storedHolds(t, store); len(hs) != 0 {
			t.Errorf("stored holds: %+v", hs)
		}
	})
}

func TestResponderGoesOfflineDuringHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, tm := newFake("am", 0), &recorder{}, newTeam()
		a := src.add("a", page.UrgencyHigh)
		e := New(holdParams(rec, nil, tm, src))
		stop := run(t, e)
		defer stop()
		sleep(40 * time.Second)
		offline := time.Now()
		tm.set(func(tm *team) { tm.members[0].Online = false })
		e.Redecide()
		synctest.Wait()
		ns := rec.notified()
		if len(ns) != 2 || ns[1].D.Level != Loud || !ns[1].D.Escalated || !ns[1].At.Equal(offline) {
			t.Fatalf("notified %+v, want a ring as soon as Alice went offline (%v)", ns, offline)
		}
		if ps, _ := pageState(e.Snapshot(), a); ps.Decision.Level != Loud {
			t.Errorf("page shows %+v", ps.Decision)
		}
	})
}

// Heartbeats that stop wake nothing; the periodic re-decision still rings
// within holdRecheck of the presence turning stale.
func TestResponderPresenceTurnsStaleDuringHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, tm := newFake("am", 0), &recorder{}, newTeam()
		src.add("a", page.UrgencyHigh)
		t0 := time.Now()
		tm.set(func(tm *team) { tm.silentAt = t0.Add(5 * time.Second) })
		stop := run(t, New(holdParams(rec, nil, tm, src)))
		defer stop()
		sleep(time.Minute)
		ns := rec.notified()
		stale := t0.Add(5*time.Second + quiet.DefaultFreshFor)
		if len(ns) != 2 || ns[1].D.Level != Loud {
			t.Fatalf("notified %+v, want a ring once Alice's presence is stale", ns)
		}
		if late := ns[1].At.Sub(stale); late <= 0 || late > holdRecheck {
			t.Errorf("rang %v after the presence turned stale, want within %v", late, holdRecheck)
		}
	})
}

func TestHubUnreachableRingsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, tm := newFake("am", 0), &recorder{}, newTeam()
		src.add("a", page.UrgencyHigh)
		tm.set(func(tm *team) { tm.visible = false })
		stop := run(t, New(holdParams(rec, nil, tm, src)))
		defer stop()
		ns := rec.notified()
		if len(ns) != 1 || ns[0].D.Level != Loud || ns[0].D.Escalated {
			t.Fatalf("notified %+v, want one plain loud notification", ns)
		}
	})
}

func TestRingNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, store, tm := newFake("am", 0), &recorder{}, &MemStore{}, newTeam()
		a := src.add("a", page.UrgencyHigh)
		e := New(holdParams(rec, store, tm, src))
		stop := run(t, e)
		defer stop()
		sleep(20 * time.Second)
		if err := e.RingNow(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		ns := rec.notified()
		if len(ns) != 2 || ns[1].D.Level != Loud || !ns[1].D.Escalated || ns[1].D.Reason != "Loud: you asked to be rung" {
			t.Fatalf("notified %+v, want a loud ring on request", ns)
		}
		if err := e.RingNow(context.Background(), a); !errors.Is(err, ErrNotHeld) {
			t.Errorf("second RingNow: %v, want ErrNotHeld", err)
		}
		if err := e.RingNow(context.Background(), page.ID{Source: "am", Upstream: "nope"}); !errors.Is(err, ErrNotHeld) {
			t.Errorf("RingNow of an unknown page: %v, want ErrNotHeld", err)
		}
		sleep(5 * time.Minute)
		if n := len(rec.notified()); n != 2 {
			t.Errorf("%d notifications, want 2 (no second ring at the deadline)", n)
		}
		if hs := storedHolds(t, store); len(hs) != 0 {
			t.Errorf("stored holds: %+v", hs)
		}
	})
}

// A page notified in an earlier run that did not hold it is never held
// (and never notified) after a restart with routing on.
func TestPageFromEarlierRunIsNotHeld(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src, rec, store, tm := newFake("am", 0), &recorder{}, &MemStore{}, newTeam()
		a := src.add("a", page.UrgencyHigh)
		stop := run(t, New(params(rec, store, src))) // routing off
		stop()
		e := New(holdParams(rec, store, tm, src))
		stop = run(t, e)
		defer stop()
		sleep(5 * time.Minute)
		if got := levels(rec.notified()); !slices.Equal(got, []Level{Loud}) {
			t.Errorf("notified %v, want the first run's one loud notification", got)
		}
		if ps, _ := pageState(e.Snapshot(), a); ps.Decision.Level == Held {
			t.Errorf("page shows %+v", ps.Decision)
		}
		if hs := storedHolds(t, store); len(hs) != 0 {
			t.Errorf("stored holds: %+v", hs)
		}
	})
}

// A pushed page (the hub) is held like a polled one.
func TestUpsertedPageHeld(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec, tm := &recorder{}, newTeam()
		e := New(Params{Notify: rec.notify, Route: tm.route})
		stop := run(t, e)
		defer stop()
		id := page.ID{Source: "hub-am", Upstream: "x"}
		if err := e.Upsert(context.Background(), page.Page{ID: id, Title: "x", Urgency: page.UrgencyLow}); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		sleep(10*time.Minute - time.Millisecond)
		if got := levels(rec.notified()); !slices.Equal(got, []Level{Held}) {
			t.Fatalf("before the low urgency deadline: %v", got)
		}
		sleep(time.Millisecond)
		if got := levels(rec.notified()); !slices.Equal(got, []Level{Held, Loud}) {
			t.Errorf("at the deadline: %v, want held then loud", got)
		}
	})
}

// On the real clock (no bubble): the escalation comes within 1 s of the
// deadline. The hold is short so the test is quick.
func TestEscalationLatencyRealClock(t *testing.T) {
	tm := newTeam()
	tm.hold = quiet.Hold{High: 300 * time.Millisecond}
	rang := make(chan time.Time, 4)
	var first time.Time
	notify := func(_ context.Context, p page.Page, d Decision) {
		if d.Level == Held {
			first = d.Until
		}
		if d.Level == Loud {
			rang <- time.Now()
		}
	}
	e := New(Params{Notify: notify, Route: tm.route})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	defer func() { cancel(); <-done }()
	if err := e.Upsert(ctx, page.Page{ID: page.ID{Source: "hub", Upstream: "x"}, Title: "x", Urgency: page.UrgencyHigh}); err != nil {
		t.Fatal(err)
	}
	if first.IsZero() {
		t.Fatal("page was not held")
	}
	select {
	case at := <-rang:
		late := at.Round(0).Sub(first)
		t.Logf("escalation %v after the deadline", late)
		if late < 0 || late >= time.Second {
			t.Errorf("escalation %v after the deadline, want within 1 s", late)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no escalation within 5 s of a 300 ms hold")
	}
}
