package ui

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/trayhost"
)

const holdLine = "Held — alice is on call (rung 05:10); rings you at 05:12 if nobody is looking"

// A held page's row says who is rung and when it comes to me, and offers
// I'm looking and Ring me now; Ring me now reaches the service.
func TestHeldRowRingsMeNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		svc.snap = demoSnapshot(2, time.Date(2026, 11, 24, 5, 11, 0, 0, time.UTC))
		svc.snap.Me = "bob"
		svc.snap.Pages[0].Now = quiet.Decision{Level: quiet.Held, Reason: holdLine, Responders: []string{"alice"}}
		held := svc.snap.Pages[0].ID
		sh := startShell(t, svc, trayhost.Result{Bus: true, Host: true}, nil)

		r := rowFor(t, sh.win, held)
		if !strings.HasPrefix(r.full[2], holdLine+" · ") {
			t.Fatalf("held row's line %q, want the hold first", r.full[2])
		}
		if !r.ring.Visible() || !r.look.Visible() {
			t.Fatalf("held row: Ring me now shown %v, I'm looking shown %v", r.ring.Visible(), r.look.Visible())
		}
		if other := rowFor(t, sh.win, svc.snap.Pages[1].ID); other.ring.Visible() {
			t.Fatal("a page that is not held offers Ring me now")
		}
		sh.pages.list.Select(0)
		r = rowFor(t, sh.win, held)
		if r.ring.Text != "Ring me now" || r.look.Text != "I'm looking" {
			t.Fatalf("selected held row's buttons %q, %q", r.ring.Text, r.look.Text)
		}
		test.Tap(r.ring)
		synctest.Wait()
		if calls, ids := svc.recorded(); len(calls) != 1 || calls[0] != "ring-now" || ids[0] != held {
			t.Fatalf("Ring me now called %q on %v", calls, ids)
		}
	})
}

// `standby ring ID` reaches the running window through the instance
// socket's command.
func TestRingCommandRingsTheHeldPage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		svc.snap = demoSnapshot(1, time.Date(2026, 11, 24, 5, 11, 0, 0, time.UTC))
		id := svc.snap.Pages[0].ID
		sh := startShell(t, svc, trayhost.Result{Bus: true, Host: true}, nil)
		if err := sh.command(app.RingCommand(id)); err != nil {
			t.Fatal(err)
		}
		if calls, ids := svc.recorded(); len(calls) != 1 || calls[0] != "ring-now" || ids[0] != id {
			t.Fatalf("ring command called %q on %v", calls, ids)
		}
		if err := sh.command("ring not-an-id"); err == nil {
			t.Fatal("a ring command without a page id was accepted")
		}
	})
}
