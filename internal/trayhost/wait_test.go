//go:build linux

package trayhost

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// privateBus starts a session dbus-daemon of its own for the test and
// points DBUS_SESSION_BUS_ADDRESS at it.
func privateBus(t *testing.T) *exec.Cmd {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon not installed (make test installs it)")
	}
	cmd := exec.Command("dbus-daemon", "--session", "--print-address", "--nofork")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 512)
	n, err := out.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", strings.TrimSpace(string(buf[:n])))
	return cmd
}

// startWatcher takes the StatusNotifierWatcher name, as a tray host does.
func startWatcher(t *testing.T) *dbus.Conn {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	reply, err := conn.RequestName(watcher, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking %s: %v (reply %v)", watcher, err, reply)
	}
	return conn
}

func waitAsync(ctx context.Context) <-chan error {
	done := make(chan error, 1)
	go func() { done <- WaitHost(ctx) }()
	return done
}

// result waits for WaitHost's answer; the bus is another process, so only
// a deadline bounds it.
func result(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("WaitHost did not return within 10 s")
		return nil
	}
}

func TestWaitHostReturnsAtOnceWhenATrayRuns(t *testing.T) {
	privateBus(t)
	startWatcher(t)
	if err := result(t, waitAsync(context.Background())); err != nil {
		t.Fatalf("a tray host runs, yet WaitHost said %v", err)
	}
}

func TestWaitHostSeesATrayStartLater(t *testing.T) {
	privateBus(t)
	waiting := make(chan struct{}, 2)
	listening = func() { waiting <- struct{}{} }
	t.Cleanup(func() { listening = nil })

	// Without a host, WaitHost listens until its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	done := waitAsync(ctx)
	<-waiting
	cancel()
	if err := result(t, done); !errors.Is(err, context.Canceled) {
		t.Fatalf("no tray host and a cancelled wait: %v, want context.Canceled", err)
	}

	// A host that starts while it listens ends the wait.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	done = waitAsync(ctx)
	<-waiting
	select {
	case err := <-done:
		t.Fatalf("WaitHost returned %v before any tray host started", err)
	default:
	}
	startWatcher(t)
	if err := result(t, done); err != nil {
		t.Fatalf("a tray host started, yet WaitHost said %v", err)
	}
	// A host that leaves is not a host that came.
	if gotOwner(&dbus.Signal{Name: "org.freedesktop.DBus.NameOwnerChanged", Body: []any{watcher, ":1.5", ""}}) {
		t.Error("a name losing its owner counted as a tray host starting")
	}
}

func TestWaitHostFailsWhenTheBusGoesAway(t *testing.T) {
	bus := privateBus(t)
	done := waitAsync(context.Background())
	// Whether the daemon dies before WaitHost connects or while it
	// listens, WaitHost must end with an error, not hang or say "host".
	bus.Process.Kill()
	if err := result(t, done); err == nil {
		t.Fatal("the bus went away, yet WaitHost reported a tray host")
	}
}

func TestWaitHostWithoutBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", NoBusAddress)
	if err := WaitHost(context.Background()); err == nil {
		t.Fatal("no bus, yet WaitHost reported a tray host")
	}
}
