package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
)

// shiftICS is one shift of alice's from from to to.
func shiftICS(from, to time.Time) string {
	const f = "20060102T150405Z"
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:shift-1@test\r\n" +
		"DTSTAMP:" + from.UTC().Format(f) + "\r\nDTSTART:" + from.UTC().Format(f) + "\r\nDTEND:" + to.UTC().Format(f) +
		"\r\nSUMMARY:Payments Primary\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// handoffBubbles are the bubbles the after-shift timers sent.
func handoffBubbles(r *recorder) []notification {
	var out []notification
	for _, n := range r.list() {
		if strings.HasPrefix(n.key, handoffKey) {
			out = append(out, n)
		}
	}
	return out
}

// The minute tick hands my shift off once when it ends: one normal bubble
// with the headline, and no second one after a restart.
func TestShiftEndGivesOneHandoffBubble(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now() // 2000-01-01 00:00 UTC in the bubble
		dir := t.TempDir()
		cal := filepath.Join(dir, "shifts.ics")
		if err := os.WriteFile(cal, []byte(shiftICS(start.Add(-8*time.Hour), start.Add(5*time.Minute))), 0o600); err != nil {
			t.Fatal(err)
		}
		f := openDemo(t, demoConfig+fmt.Sprintf("\n[[feeds]]\nname = \"payments\"\nurl = %q\nme = \"all\"\n", cal))
		ctx := context.Background()
		run := func(svc *Service, d time.Duration) {
			t.Helper()
			if err := svc.SyncFeeds(ctx, false, ""); err != nil {
				t.Fatal(err)
			}
			rctx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- svc.runAfterShift(rctx) }()
			time.Sleep(d)
			synctest.Wait()
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		run(f.svc, 3*time.Minute)
		if got := handoffBubbles(f.rec); len(got) != 0 {
			t.Fatalf("handoff before the shift ended: %+v", got)
		}
		run(f.svc, 10*time.Minute)
		got := handoffBubbles(f.rec)
		if len(got) != 1 {
			t.Fatalf("%d handoff bubbles after the shift ended, want 1: %+v", len(got), got)
		}
		if got[0].loud || !strings.HasPrefix(got[0].title, "Standby: Handoff from alice: ") || !strings.Contains(got[0].body, "payments") {
			t.Errorf("handoff bubble = %+v", got[0])
		}

		// A restart a minute later does not hand the same shift off again.
		f.svc.Close()
		again, err := Open(ctx, f.openOptions)
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		run(again, 30*time.Minute)
		if n := len(handoffBubbles(f.rec)); n != 1 {
			t.Fatalf("%d handoff bubbles after a restart, want still 1", n)
		}
	})
}

// A shift that ended while the app was down (within handoffCatchUp) is
// handed off at the next start; one that ended longer ago is not.
func TestHandoffCheckedSinceAfterRestart(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		f := openDemo(t, demoConfig)
		ctx := context.Background()
		now := time.Now()
		if got := f.svc.handoffChecked(ctx, now); !got.Equal(now) {
			t.Errorf("first start checks from %v, want now", got)
		}
		if err := f.svc.setTimeSetting(ctx, keyHandoffChecked, now.Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := f.svc.handoffChecked(ctx, now); !got.Equal(now.Add(-2 * time.Hour)) {
			t.Errorf("after 2 h down, checks from %v", got)
		}
		if got := f.svc.handoffChecked(ctx, now.Add(handoffCatchUp+time.Hour)); !got.Equal(now.Add(handoffCatchUp + time.Hour)) {
			t.Errorf("after a long time down, checks from %v", got)
		}
	})
}

// Alice's handoff reaches bob, on call, as one normal bubble when it
// arrives; a restart of bob's app does not show it again.
func TestArrivedHandoffBubbleOnce(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := startHub(t, ctx, "off")
	alice := teammate(t, ctx, h, "alice")
	rec := &recorder{}
	bob := onCallTeammate(t, ctx, h, "bob", rec, nil)
	opts := bob.opts
	now := time.Now()
	if err := alice.team.PublishHandoff(ctx, bus.Handoff{ShiftStart: now.Add(-8 * time.Hour), ShiftEnd: now.Add(-time.Minute), Pages: 7, Open: 1}); err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- bob.runAfterShift(rctx) }()
	pollUntil(t, ctx, "bob's handoff bubble", func() bool { return len(handoffBubbles(rec)) > 0 })
	stop()
	<-done
	got := handoffBubbles(rec)
	if len(got) != 1 || got[0].title != "Standby: Handoff from alice: 7 pages, 1 still open" || got[0].loud {
		t.Fatalf("bob's handoff bubbles: %+v", got)
	}

	bob.Close()
	bob = onCallTeammate(t, ctx, h, "bob", rec, &opts)
	pollUntil(t, ctx, "alice's handoff seen again after the restart", func() bool { return len(bob.team.ReceivedHandoffs()) == 1 })
	bob.showArrivedHandoffs(ctx, time.Now())
	if n := len(handoffBubbles(rec)); n != 1 {
		t.Fatalf("%d handoff bubbles after bob's restart, want still 1", n)
	}
}

// onCallTeammate is a member on call now whose bubbles go to rec, joined
// to h; with opts it reopens that member's app after a restart.
func onCallTeammate(t *testing.T, ctx context.Context, h *hub.Hub, name string, rec *recorder, opts *Options) *Service {
	t.Helper()
	if opts == nil {
		dir := t.TempDir()
		opts = &Options{ConfigPath: filepath.Join(dir, "config.toml"), StatePath: filepath.Join(dir, "state.db"), Demo: true,
			Notifier: rec, Secrets: &secrets.Store{Service: "standby-test-" + name, Backend: secrets.Keyring{}, Timeout: time.Second}}
	}
	svc, err := Open(ctx, *opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	svc.SetOnCall(func(now time.Time) quiet.OnCall {
		return quiet.OnCall{OnCall: true, Schedule: "Payments Primary", Until: now.Add(time.Hour)}
	})
	if svc.Me() != name {
		tok, err := h.Store().AddMember(name, []string{h.ClientURL()})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Reload(); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TeamJoin(ctx, tok.Encode(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.ConnectTeam(ctx); err != nil {
		t.Fatal(err)
	}
	return svc
}

// pollUntil polls ok until it holds or ctx ends (the other side is the
// hub, over the network).
func pollUntil(t *testing.T, ctx context.Context, what string, ok func() bool) {
	t.Helper()
	for !ok() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// A handoff is shown only to whoever takes over: not to bob while his
// calendars say he is not on call, and to him (on the next look, as the
// minute tick does) once they do.
func TestArrivedHandoffWaitsUntilITakeOver(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := startHub(t, ctx, "off")
	alice := teammate(t, ctx, h, "alice")
	rec := &recorder{}
	bob := onCallTeammate(t, ctx, h, "bob", rec, nil)
	bob.SetOnCall(func(time.Time) quiet.OnCall { return quiet.OnCall{} })
	now := time.Now()
	if err := alice.team.PublishHandoff(ctx, bus.Handoff{ShiftStart: now.Add(-8 * time.Hour), ShiftEnd: now.Add(-time.Minute), Pages: 2}); err != nil {
		t.Fatal(err)
	}
	pollUntil(t, ctx, "alice's handoff at bob's", func() bool { return len(bob.team.ReceivedHandoffs()) == 1 })
	bob.showArrivedHandoffs(ctx, time.Now())
	if got := handoffBubbles(rec); len(got) != 0 {
		t.Fatalf("bob, not on call, got %+v", got)
	}
	bob.SetOnCall(func(now time.Time) quiet.OnCall { return quiet.OnCall{OnCall: true, Until: now.Add(time.Hour)} })
	bob.showArrivedHandoffs(ctx, time.Now())
	if got := handoffBubbles(rec); len(got) != 1 || got[0].title != "Standby: Handoff from alice: 2 pages, 0 still open" {
		t.Fatalf("bob, on call now, got %+v", got)
	}
}
