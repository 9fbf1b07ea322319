package engine

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

var alice = source.Actor{Name: "alice", Email: "alice@example.com"}

func TestActionsUpdateStateAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("pd", 0)
		rec := &recorder{}
		e := New(params(rec, nil, src))
		stop := run(t, e)
		defer stop()
		id := src.add("a", page.UrgencyHigh)
		sleep(DefaultPoll)
		ctx := context.Background()
		polls := len(src.listTimes())

		if err := e.Ack(ctx, id, alice); err != nil {
			t.Fatal(err)
		}
		ps, _ := pageState(e.Snapshot(), id)
		if ps.Status != page.StatusAcknowledged || ps.AckedBy != "alice" {
			t.Errorf("after Ack: status %v by %q", ps.Status, ps.AckedBy)
		}
		synctest.Wait()
		if len(src.listTimes()) != polls+1 {
			t.Error("Ack did not trigger a refresh")
		}
		if err := e.Unack(ctx, id, source.Actor{}); err != nil {
			t.Fatal(err)
		}
		if ps, _ := pageState(e.Snapshot(), id); ps.Status != page.StatusTriggered {
			t.Errorf("after Unack: %v", ps.Status)
		}
		if err := e.Note(ctx, id, alice, "looking"); err != nil {
			t.Fatal(err)
		}
		if err := e.Resolve(ctx, id, alice); err != nil {
			t.Fatal(err)
		}
		if _, ok := pageState(e.Snapshot(), id); ok {
			t.Error("resolved page still open")
		}
		want := []string{"ack a by alice", "unack a by me", "note:looking a by alice", "resolve a by alice"}
		if got := src.actions(); !slices.Equal(got, want) {
			t.Errorf("upstream got %q, want %q", got, want)
		}
		if err := e.Ack(ctx, page.ID{Source: "nope", Upstream: "x"}, alice); !errors.Is(err, ErrNoSource) {
			t.Errorf("ack on unknown source: %v", err)
		}
	})
}

func TestActionFailureShownAndCleared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := newFake("pd", 0)
		e := New(params(&recorder{}, nil, src))
		stop := run(t, e)
		defer stop()
		id := src.add("a", page.UrgencyHigh)
		sleep(DefaultPoll)
		ctx := context.Background()

		src.setActErr(errToken)
		err := e.Ack(ctx, id, alice)
		if source.KindOf(err) != source.KindUnauthorized || errors.Is(err, ErrQueued) {
			t.Fatalf("Ack with a rejected token: %v", err)
		}
		ps, _ := pageState(e.Snapshot(), id)
		if ps.LastError == nil || ps.LastError.String() != "Ack failed: token rejected (401)" {
			t.Fatalf("page shows %+v", ps.LastError)
		}
		if ps.Status != page.StatusTriggered || len(ps.Queued) != 0 {
			t.Errorf("failed ack changed the page: %+v", ps)
		}

		src.setActErr(nil)
		if err := e.Ack(ctx, id, alice); err != nil {
			t.Fatal(err)
		}
		if ps, _ := pageState(e.Snapshot(), id); ps.LastError != nil {
			t.Errorf("error still shown after a successful retry: %v", ps.LastError)
		}
	})
}

func TestQueuedAckSentOnceOnReconnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &MemStore{}
		src := newFake("pd", 0)
		e := New(params(&recorder{}, store, src))
		stop := run(t, e)
		defer stop()
		id := src.add("a", page.UrgencyHigh)
		sleep(DefaultPoll)
		ctx := context.Background()

		src.setListErr(errDown)
		src.setActErr(errDown)
		for range 2 { // a second click must not queue a second ack
			if err := e.Ack(ctx, id, alice); !errors.Is(err, ErrQueued) || source.KindOf(err) != source.KindUnavailable {
				t.Fatalf("Ack while unreachable: %v", err)
			}
		}
		if ps, _ := pageState(e.Snapshot(), id); !slices.Equal(ps.Queued, []ActionKind{ActAck}) {
			t.Errorf("page shows queued %v", ps.Queued)
		}
		sleep(2 * time.Minute) // still down: retries keep it queued
		if pending, _ := store.PendingActions(ctx); len(pending) != 1 {
			t.Fatalf("%d pending actions, want 1", len(pending))
		}

		src.setListErr(nil)
		src.setActErr(nil)
		sleep(10 * time.Minute)
		if got := src.actions(); !slices.Equal(got, []string{"ack a by alice"}) {
			t.Errorf("upstream got %q, want one ack", got)
		}
		if pending, _ := store.PendingActions(ctx); len(pending) != 0 {
			t.Errorf("still pending: %+v", pending)
		}
		ps, _ := pageState(e.Snapshot(), id)
		if len(ps.Queued) != 0 || ps.Status != page.StatusAcknowledged {
			t.Errorf("after reconnect: %+v", ps)
		}
	})
}

func TestQueuedActionsSurviveRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &MemStore{}
		src := newFake("og", 0)
		id := src.add("a", page.UrgencyHigh)
		src.setActErr(errDown)
		ctx := context.Background()

		e := New(params(&recorder{}, store, src))
		stop := run(t, e)
		if err := e.Resolve(ctx, id, alice); !errors.Is(err, ErrQueued) {
			t.Fatalf("Resolve while unreachable: %v", err)
		}
		stop()

		src.setActErr(nil)
		e2 := New(params(&recorder{}, store, src))
		stop = run(t, e2) // first poll at once sends the queued resolve
		defer stop()
		if got := src.actions(); !slices.Equal(got, []string{"resolve a by alice"}) {
			t.Errorf("upstream got %q", got)
		}
	})
}

func TestQueuedActionRefusedLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &MemStore{}
		src := newFake("pd", 0)
		e := New(params(&recorder{}, store, src))
		stop := run(t, e)
		defer stop()
		id := src.add("a", page.UrgencyHigh)
		sleep(DefaultPoll)
		ctx := context.Background()

		src.setActErr(errDown)
		if err := e.Ack(ctx, id, alice); !errors.Is(err, ErrQueued) {
			t.Fatal(err)
		}
		src.setActErr(errToken)
		sleep(DefaultPoll)
		ps, _ := pageState(e.Snapshot(), id)
		if len(ps.Queued) != 0 || ps.LastError == nil || ps.LastError.Kind != ActAck {
			t.Errorf("refused queued ack: %+v", ps)
		}
		if pending, _ := store.PendingActions(ctx); len(pending) != 0 {
			t.Errorf("refused action still queued: %+v", pending)
		}
	})
}

func TestRepeatedClickAfterReconnectSendsOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &MemStore{}
		src := newFake("pd", 0)
		e := New(params(&recorder{}, store, src))
		stop := run(t, e)
		defer stop()
		id := src.add("a", page.UrgencyHigh)
		sleep(DefaultPoll)
		ctx := context.Background()

		src.setActErr(errDown)
		if err := e.Ack(ctx, id, alice); !errors.Is(err, ErrQueued) {
			t.Fatal(err)
		}
		src.setActErr(nil)
		if err := e.Ack(ctx, id, alice); err != nil { // before the next poll drains
			t.Fatal(err)
		}
		sleep(2 * DefaultPoll)
		if got := src.actions(); len(got) != 1 {
			t.Errorf("upstream got %q, want one ack", got)
		}
		if pending, _ := store.PendingActions(ctx); len(pending) != 0 {
			t.Errorf("still pending: %+v", pending)
		}
	})
}
