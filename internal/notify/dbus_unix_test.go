//go:build linux || freebsd || netbsd || openbsd

package notify

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/standby-oncall/standby/internal/notify/notifytest"
)

// actions collects OnAction callbacks, which arrive on the notifier's
// goroutine after a round trip through the bus daemon.
type actions chan [2]string

func (a actions) record(key, action string) { a <- [2]string{key, action} }

// next waits for the next callback; the deadline only guards against a
// lost signal from the bus daemon, another process.
func (a actions) next(t *testing.T) [2]string {
	t.Helper()
	select {
	case got := <-a:
		return got
	case <-time.After(10 * time.Second):
		t.Fatal("no action callback within 10 s")
		return [2]string{}
	}
}

func newBusDesktop(t *testing.T) (*Desktop, actions) {
	t.Helper()
	d := NewDesktop("Standby", nil, nil)
	d.send = nil // beeep would try the same bus again and hide what failed
	t.Cleanup(func() { d.Close() })
	got := make(actions, 16)
	d.OnAction(got.record)
	return d, got
}

func TestDBusLoudPageIsCriticalStickyWithActions(t *testing.T) {
	notifytest.Bus(t)
	srv := notifytest.NewServer(t, "actions", "body", "persistence")
	d, got := newBusDesktop(t)

	if err := d.Send(Loud("alertmanager/fp-1", "DiskFull on db-1", "Loud: you are on call")); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d Notify calls", len(calls))
	}
	c := calls[0]
	if c.Urgency() != 2 || c.ExpireTimeout != 0 || c.Summary != "DiskFull on db-1" || c.AppName != "Standby" {
		t.Fatalf("Notify: urgency %d, expire %d, summary %q, app %q; want 2, 0", c.Urgency(), c.ExpireTimeout, c.Summary, c.AppName)
	}
	for _, k := range []string{"ack", "look", "open"} {
		if !slices.Contains(c.ActionKeys(), k) {
			t.Fatalf("actions %v lack %q", c.Actions, k)
		}
	}
	if _, ok := c.Hints["suppress-sound"]; ok {
		t.Fatal("a loud page asked the server for silence")
	}

	if err := srv.Invoke(c.ID, "ack"); err != nil {
		t.Fatal(err)
	}
	if a := got.next(t); a != [2]string{"alertmanager/fp-1", ActionAck} {
		t.Fatalf("callback %v, want the page key and ack", a)
	}
	if a := got.next(t); a != [2]string{"alertmanager/fp-1", ActionDismissed} {
		t.Fatalf("callback %v, want dismissed after the click", a)
	}
}

func TestDBusQuietBubbleIsNormalAndSilent(t *testing.T) {
	notifytest.Bus(t)
	srv := notifytest.NewServer(t, "actions", "body")
	d, _ := newBusDesktop(t)
	if err := d.Send(Quiet("", "3 pages while you were quiet", "…")); err != nil {
		t.Fatal(err)
	}
	c := srv.Calls()[0]
	if c.Urgency() != 1 || c.ExpireTimeout != -1 || len(c.Actions) != 0 {
		t.Fatalf("digest: urgency %d, expire %d, actions %v; want 1, -1, none", c.Urgency(), c.ExpireTimeout, c.Actions)
	}
	if v, ok := c.Hints["suppress-sound"]; !ok || v.Value() != true {
		t.Fatalf("digest hints %v lack suppress-sound", c.Hints)
	}
}

func TestDBusNoActionsCapability(t *testing.T) {
	notifytest.Bus(t)
	srv := notifytest.NewServer(t, "body")
	d, _ := newBusDesktop(t)
	caps, err := d.Capabilities()
	if err != nil || caps.Actions || caps.Service != "notifytest 1.0" {
		t.Fatalf("Capabilities = %+v, %v", caps, err)
	}
	if err := d.Send(Loud("k", "t", "b")); err != nil {
		t.Fatal(err)
	}
	if c := srv.Calls()[0]; len(c.Actions) != 0 || c.Urgency() != 2 {
		t.Fatalf("without the actions capability: actions %v, urgency %d", c.Actions, c.Urgency())
	}
}

func TestDBusReplaceAndDismiss(t *testing.T) {
	notifytest.Bus(t)
	srv := notifytest.NewServer(t, "actions")
	d, got := newBusDesktop(t)
	must(t, d.Send(Loud("p1", "first", "")))
	must(t, d.Send(Loud("p1", "second", "")))
	calls := srv.Calls()
	if calls[1].ReplacesID != calls[0].ID {
		t.Fatalf("second send replaces %d, want %d", calls[1].ReplacesID, calls[0].ID)
	}
	must(t, d.Dismiss("p1"))
	if !slices.Equal(srv.Closed(), []uint32{calls[0].ID}) {
		t.Fatalf("closed %v, want [%d]", srv.Closed(), calls[0].ID)
	}
	// Our own close is not reported back as a user action.
	must(t, srv.Invoke(99, "ack")) // an id we never sent: no callback either
	must(t, d.Send(Loud("p2", "marker", "")))
	must(t, srv.Invoke(srv.Calls()[2].ID, "look"))
	if a := got.next(t); a != [2]string{"p2", ActionLook} {
		t.Fatalf("first callback %v; the close we asked for or an unknown id was reported", a)
	}
}

// TestDBusSignalsOnlyFromTheService checks that a click forged by another
// program on the bus, or a malformed signal, neither reaches the app nor
// crashes it.
func TestDBusSignalsOnlyFromTheService(t *testing.T) {
	notifytest.Bus(t)
	srv := notifytest.NewServer(t, "actions")
	d, got := newBusDesktop(t)
	must(t, d.Send(Loud("p1", "t", "")))
	id := srv.Calls()[0].ID

	other, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	must(t, other.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, "ack"))
	// A call to the bus returns after the daemon routed our signal.
	must(t, other.BusObject().Call("org.freedesktop.DBus.GetId", 0).Err)
	must(t, srv.Emit("ActionInvoked"))
	must(t, srv.Emit("ActionInvoked", "not-an-id", 7))
	must(t, srv.Emit("NotificationClosed", id, "why"))
	must(t, srv.Invoke(id, "open"))
	if a := got.next(t); a != [2]string{"p1", ActionOpen} {
		t.Fatalf("first callback %v: a forged or malformed signal got through", a)
	}
}

func TestDBusServiceRestartForgetsOldIDs(t *testing.T) {
	notifytest.Bus(t)
	first := notifytest.NewServer(t, "actions")
	d, _ := newBusDesktop(t)
	must(t, d.Send(Loud("p1", "t", "")))
	if len(first.Calls()) != 1 {
		t.Fatal("first server got no call")
	}
	first.Stop()
	second := notifytest.NewServer(t, "actions")
	must(t, d.Send(Loud("p1", "t", "")))
	if c := second.Calls(); len(c) != 1 || c[0].ReplacesID != 0 {
		t.Fatalf("after a restart of the service: %+v; want a new bubble, not a replacement of a dead id", c)
	}
}

func TestDBusNoService(t *testing.T) {
	notifytest.Bus(t)
	d, _ := newBusDesktop(t)
	err := d.Send(Loud("p1", "t", ""))
	if !errors.Is(err, ErrUndelivered) || !errors.Is(err, ErrNoService) {
		t.Fatalf("Send without a service = %v", err)
	}
	if _, err := d.Capabilities(); !errors.Is(err, ErrNoService) {
		t.Fatalf("Capabilities without a service = %v", err)
	}
}

func TestDBusNoBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	d, _ := newBusDesktop(t)
	if err := d.Send(Quiet("", "t", "")); !errors.Is(err, ErrNoService) {
		t.Fatalf("Send without a bus = %v", err)
	}
}

// TestDunst sends to the real dunst (Debian's, installed by make test)
// under Xvfb: the loud page is accepted with an id, dunst says it has
// actions, shows the bubble, and closes it when asked.
func TestDunst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb and dunst")
	}
	notifytest.Need(t, "dunst", "dunstctl")
	display := notifytest.Xvfb(t)
	bus := notifytest.Bus(t)
	cmd := exec.Command("dunst", "-config", "/dev/null")
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "DBUS_SESSION_BUS_ADDRESS="+bus)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, "dunst to own org.freedesktop.Notifications", func() bool {
		return dunstctl(t, "is-paused") != ""
	})

	d, _ := newBusDesktop(t)
	caps, err := d.Capabilities()
	if err != nil || !caps.Actions || !strings.HasPrefix(caps.Service, "dunst") {
		t.Fatalf("dunst capabilities = %+v, %v", caps, err)
	}
	must(t, d.Send(Loud("p1", "DiskFull on db-1", "on call")))
	d.mu.Lock()
	id := d.byKey["p1"]
	d.mu.Unlock()
	if id == 0 {
		t.Fatal("dunst returned no id")
	}
	waitFor(t, "dunst to display the page", func() bool { return dunstctl(t, "count", "displayed") == "1" })
	must(t, d.Dismiss("p1"))
	waitFor(t, "dunst to close the page", func() bool { return dunstctl(t, "count", "displayed") == "0" })
	// dunst keeps closed bubbles in its history: ours never expired.
	var hist struct {
		Data [][]map[string]struct {
			Data any `json:"data"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(dunstctl(t, "history")), &hist); err != nil || len(hist.Data) != 1 || len(hist.Data[0]) != 1 {
		t.Fatalf("dunst history: %+v, %v", hist, err)
	}
	h := hist.Data[0][0]
	if h["id"].Data != float64(id) || h["timeout"].Data != float64(0) || h["summary"].Data != "DiskFull on db-1" {
		t.Fatalf("dunst shows id %v timeout %v summary %v; want %d, 0 (never expires)", h["id"].Data, h["timeout"].Data, h["summary"].Data, id)
	}
}

func dunstctl(t *testing.T, args ...string) string {
	out, err := exec.Command("dunstctl", args...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// waitFor polls another process's state with a deadline.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCheck(t *testing.T) {
	notifytest.Bus(t)
	t.Run("no service", func(t *testing.T) {
		_, err := Check("Standby", nil)
		if err == nil || !strings.HasPrefix(err.Error(), "no notification service: ") || strings.Contains(err.Error(), "\n") {
			t.Fatalf("Check = %v", err)
		}
	})
	t.Run("no actions", func(t *testing.T) {
		srv := notifytest.NewServer(t, "body")
		_, err := Check("Standby", nil)
		if err == nil || !strings.HasPrefix(err.Error(), "no actions support: notifytest") {
			t.Fatalf("Check = %v", err)
		}
		if len(srv.Calls()) != 1 {
			t.Fatal("no test bubble sent")
		}
		srv.Stop()
	})
	t.Run("ok", func(t *testing.T) {
		srv := notifytest.NewServer(t, "actions", "body")
		ok, err := Check("Standby", nil)
		if err != nil || !strings.Contains(ok, "notifytest 1.0") {
			t.Fatalf("Check = %q, %v", ok, err)
		}
		if c := srv.Calls(); len(c) != 1 || len(c[0].ActionKeys()) < 3 {
			t.Fatalf("test bubble %+v", c)
		}
	})
}
