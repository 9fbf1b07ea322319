package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func TestComparePages(t *testing.T) {
	t0 := time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC)
	mk := func(up string, u page.Urgency, opened time.Time) PageState {
		return PageState{Page: page.Page{ID: page.ID{Source: "s", Upstream: up}, Urgency: u, OpenedAt: opened}}
	}
	in := []PageState{
		mk("low-new", page.UrgencyLow, t0.Add(time.Hour)),
		mk("high-old", page.UrgencyHigh, t0),
		mk("high-new-b", page.UrgencyHigh, t0.Add(time.Hour)),
		mk("high-new-a", page.UrgencyHigh, t0.Add(time.Hour)),
		mk("low-old", page.UrgencyLow, t0),
	}
	slices.SortFunc(in, comparePages)
	var got []string
	for _, p := range in {
		got = append(got, p.ID.Upstream)
	}
	want := []string{"high-new-a", "high-new-b", "high-old", "low-new", "low-old"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestSlowSubscriberDoesNotBlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := New(params(&recorder{}, nil))
		slow, cancelSlow := e.Subscribe() // never read until the end
		defer cancelSlow()
		fast, cancelFast := e.Subscribe()
		defer cancelFast()
		ctx := context.Background()

		for i := range 200 {
			id := page.ID{Source: "hub", Upstream: fmt.Sprint(i)}
			if err := e.Upsert(ctx, page.Page{ID: id}); err != nil { // would block if offer did
				t.Fatal(err)
			}
			if st := <-fast; len(st.Pages) != i+1 {
				t.Fatalf("fast subscriber got %d pages, want %d", len(st.Pages), i+1)
			}
		}
		st := <-slow
		if len(st.Pages) != 200 || st.Seq != e.Snapshot().Seq {
			t.Errorf("slow subscriber got seq %d with %d pages, want the latest", st.Seq, len(st.Pages))
		}
		select {
		case st := <-slow:
			t.Errorf("stale state %d still queued", st.Seq)
		default:
		}
		cancelSlow()
		cancelSlow() // idempotent
		if _, ok := <-slow; ok {
			t.Error("channel open after cancel")
		}
		if err := e.Upsert(ctx, page.Page{ID: page.ID{Source: "hub", Upstream: "late"}}); err != nil {
			t.Fatal(err) // publishing after a cancel must not panic
		}
	})
}

func TestSubscriberSeesPolls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("am", 0)
		e := New(params(&recorder{}, nil, src))
		states, cancel := e.Subscribe()
		defer cancel()
		if st := <-states; sourceStatus(t, st, "am").Health != HealthPending {
			t.Errorf("initial state %+v", st.Sources)
		}
		stop := run(t, e)
		defer stop()
		id := src.add("a", page.UrgencyHigh)
		sleep(DefaultPoll)
		st := drain(states)
		s := sourceStatus(t, st, "am")
		if _, ok := pageState(st, id); !ok || s.Health != HealthOK || s.Pages != 1 {
			t.Errorf("after a poll: %+v", st)
		}
		if !s.NextPoll.Equal(time.Now().Add(DefaultPoll)) || s.Interval != DefaultPoll {
			t.Errorf("next poll %v interval %v", s.NextPoll, s.Interval)
		}
	})
}

func TestRunStopsCleanly(t *testing.T) {
	// synctest.Test fails if any goroutine Run started outlives the bubble.
	synctest.Test(t, func(t *testing.T) {
		srcs := []*fakeSource{newFake("a", 0), newFake("b", time.Minute), newFake("c", 0)}
		srcs[1].setListErr(errDown)
		e := New(params(&recorder{}, nil, srcs...))
		_, cancelSub := e.Subscribe()
		defer cancelSub()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.Run(ctx) }()
		sleep(10 * time.Minute)
		if err := e.Run(ctx); !errors.Is(err, ErrRunning) {
			t.Errorf("second Run: %v", err)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v", err)
		}
		// It can be started again after it stopped.
		ctx, cancel = context.WithCancel(context.Background())
		go func() { done <- e.Run(ctx) }()
		sleep(time.Minute)
		cancel()
		if err := <-done; err != nil {
			t.Errorf("second Run returned %v", err)
		}
	})
}

func TestMemStore(t *testing.T) {
	ctx := context.Background()
	var m MemStore
	id := page.ID{Source: "s", Upstream: "1"}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, want := range []bool{true, false} {
		if first, err := m.MarkNotified(ctx, id, at); err != nil || first != want {
			t.Errorf("MarkNotified #%d = %v, %v; want %v", i, first, err, want)
		}
	}
	a1, _ := m.EnqueueAction(ctx, Action{Kind: ActAck, Page: id})
	a2, _ := m.EnqueueAction(ctx, Action{Kind: ActNote, Page: id, Text: "x"})
	if _, err := m.EnqueueAction(ctx, Action{Kind: ActAck}); err == nil {
		t.Error("enqueue without a page id: no error")
	}
	if err := m.DoneAction(ctx, a1); err != nil {
		t.Fatal(err)
	}
	pending, err := m.PendingActions(ctx)
	if err != nil || len(pending) != 1 || pending[0].ID != a2 || pending[0].Text != "x" {
		t.Errorf("pending = %+v, %v", pending, err)
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{Loud.String(), "loud"},
		{Quiet.String(), "quiet"},
		{Deferred.String(), "deferred"},
		{Suppressed.String(), "suppressed"},
		{HealthPending.String(), "pending"},
		{HealthStale.String(), "stale"},
		{EventOpened.String(), "opened"},
		{EventResolved.String(), "resolved"},
		{ActUnack.Title(), "Un-ack"},
		{ActionError{Kind: ActResolve, Msg: "not found (404)"}.String(), "Resolve failed: not found (404)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
