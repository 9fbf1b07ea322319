//go:build linux || freebsd || netbsd || openbsd

package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/app/alerting"
	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/notify/notifytest"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source/pagerduty/pdfake"
)

// eventually polls ok until it holds or ctx ends: the other side is a
// process (the D-Bus daemon and its notification server) or a network peer.
func eventually(t *testing.T, ctx context.Context, what string, ok func() bool) {
	t.Helper()
	for !ok() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// callFor returns the last Notify call whose summary contains title.
func callFor(srv *notifytest.Server, title string) (notifytest.Call, bool) {
	calls := srv.Calls()
	for i := len(calls) - 1; i >= 0; i-- {
		if strings.Contains(calls[i].Summary, title) {
			return calls[i], true
		}
	}
	return notifytest.Call{}, false
}

// TestLoudPageBubbleOverDBus is "loud means loud" end to end: alice is on
// call with PagerDuty (the pdfake API) and a real hub; her app's
// notify.Desktop talks to a recording notification server on a private
// D-Bus. A loud page is a critical bubble without expiry with Ack / I'm
// looking / Open, and the alarm repeats. Clicking Ack on the bubble acks
// the incident in PagerDuty; bob's "I'm looking" over the hub closes the
// other page's bubble and stops its alarm.
func TestLoudPageBubbleOverDBus(t *testing.T) {
	notifytest.Bus(t)
	srv := notifytest.NewServer(t, "actions", "body")
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h := startHub(t, ctx, "off")
	pd := pdfake.New(t, "pd-token", false)
	pd.AddUser("alice", "alice@example.com")
	acked := pd.Trigger(pdfake.Incident{Title: "Checkout down", Urgency: "high"})
	claimed := pd.Trigger(pdfake.Incident{Title: "Payments slow", Urgency: "high"})
	claimedID := page.ID{Source: "pd", Upstream: claimed}

	bobTok, _ := h.Store().AddMember("bob", []string{h.ClientURL()})
	aliceTok, _ := h.Store().AddMember("alice", []string{h.ClientURL()})
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	bob, err := bus.Connect(ctx, bus.Config{URLs: []string{h.ClientURL()}, Token: bobTok.Encode(), Name: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()

	sec := &secrets.Store{Service: "standby-test-bubble", Backend: secrets.Keyring{}, Timeout: time.Second}
	if err := sec.Set(ctx, secrets.SourceKey("pd"), "pd-token"); err != nil {
		t.Fatal(err)
	}
	// No quiet windows and no holds: the page rings alice at once.
	cfg := fmt.Sprintf(`[user]
name = "alice"
email = "alice@example.com"
[notify]
sound = true
[quiet]
[team]
hold_high = "0s"
hold_low = "0s"
[[sources]]
name = "pd"
kind = "pagerduty"
url = %q
poll = "15s"
has_token = true
`, pd.URL)
	desk := notify.NewDesktop("Standby", nil, nil)
	defer desk.Close()
	bell := newAlarmStub()
	alice := openWith(t, cfg, Options{Secrets: sec, Notifier: desk, Alarm: bell})
	alice.SetOnCall(func(time.Time) quiet.OnCall { return quiet.OnCall{OnCall: true, Schedule: "Payments Primary"} })
	desk.OnAction(alice.NotificationAction)
	if _, err := alice.TeamJoin(ctx, aliceTok.Encode(), nil); err != nil {
		t.Fatal(err)
	}
	stop := alice.StartEngine(ctx)
	defer stop()
	if err := alice.ConnectTeam(ctx); err != nil {
		t.Fatal(err)
	}

	eventually(t, ctx, "both loud bubbles", func() bool { return len(srv.Calls()) >= 2 })
	for _, title := range []string{"Checkout down", "Payments slow"} {
		c, ok := callFor(srv, title)
		if !ok {
			t.Fatalf("no bubble for %q: %+v", title, srv.Calls())
		}
		if c.Urgency() != 2 || c.ExpireTimeout != 0 || !slices.Equal(c.ActionKeys()[:3], []string{"ack", "look", "open"}) {
			t.Errorf("%q: urgency %d, expire_timeout %d, actions %v; want 2, 0, ack/look/open", title, c.Urgency(), c.ExpireTimeout, c.ActionKeys())
		}
	}
	// The alarm starts right after the bubble is shown, on the alerting
	// goroutine: wait for it too.
	eventually(t, ctx, "both alarms", func() bool {
		p := bell.periods()
		_, a := p["pd/"+acked]
		_, c := p["pd/"+claimed]
		return a && c
	})
	for _, id := range []string{"pd/" + acked, "pd/" + claimed} {
		if d, ok := bell.periods()[id]; !ok || d != alerting.DefaultRepeat {
			t.Errorf("%s: alarm ringing %v every %v, want every %v (high urgency, on call)", id, ok, d, alerting.DefaultRepeat)
		}
	}

	// Ack on the bubble acks upstream, as the tray's Ack does.
	ackCall, _ := callFor(srv, "Checkout down")
	if err := srv.Invoke(ackCall.ID, notify.ActionAck); err != nil {
		t.Fatal(err)
	}
	eventually(t, ctx, "the ack in PagerDuty", func() bool {
		inc, _ := pd.Incident(acked)
		return inc.Status == "acknowledged" && inc.AckedBy != nil && inc.AckedBy.Email == "alice@example.com"
	})
	eventually(t, ctx, "the acked page's alarm to stop", func() bool { return !slices.Contains(bell.Ringing(), "pd/"+acked) })

	// Bob's claim, learnt over the hub, closes the other bubble and stops
	// its alarm.
	if !slices.Contains(bell.Ringing(), claimedID.String()) {
		t.Fatalf("%s stopped ringing before anyone claimed it", claimedID)
	}
	if _, err := bob.Claim(ctx, claimedID, page.ClaimLooking, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	claimCall, _ := callFor(srv, "Payments slow")
	eventually(t, ctx, "bob's claim to close the bubble", func() bool { return slices.Contains(srv.Closed(), claimCall.ID) })
	if r := bell.Ringing(); len(r) != 0 {
		t.Fatalf("still ringing %v after the ack and bob's claim", r)
	}
	if err := alice.Snapshot(ctx, time.Now()).NotifyErr; err != "" {
		t.Fatalf("NotifyErr = %q", err)
	}
}
