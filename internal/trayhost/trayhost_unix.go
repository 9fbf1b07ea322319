//go:build linux || freebsd || netbsd || openbsd

package trayhost

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/godbus/dbus/v5"
)

const watcher = "org.kde.StatusNotifierWatcher"

// NoBusAddress is what DisableAutolaunch puts in DBUS_SESSION_BUS_ADDRESS:
// an address no transport accepts, so that no library can start dbus-launch.
const NoBusAddress = "disabled:"

// DisableAutolaunch makes sure no D-Bus library in this process starts a
// session bus of its own (dbus-launch), which would outlive the app. It
// returns true when it had to (there is no session bus to find).
func DisableAutolaunch() bool {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return false
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
			return false
		}
	}
	if _, err := os.Stat(filepath.Join("/run/user", strconv.Itoa(os.Getuid()), "bus")); err == nil {
		return false
	}
	os.Setenv("DBUS_SESSION_BUS_ADDRESS", NoBusAddress)
	return true
}

// Probe connects to the session bus (never autolaunching one) and asks
// whether a StatusNotifierWatcher is running.
func Probe() Result {
	DisableAutolaunch()
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return Result{Reason: "no D-Bus session bus, so no tray icon can be shown; Standby keeps its window open instead (start it inside a desktop session, or under dbus-run-session)"}
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return Result{Reason: "the D-Bus session bus refused us, so no tray icon can be shown; Standby keeps its window open instead"}
	}
	if err := conn.Hello(); err != nil {
		return Result{Reason: "the D-Bus session bus did not answer, so no tray icon can be shown; Standby keeps its window open instead"}
	}
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, watcher).Store(&has)
	if err != nil || !has {
		return Result{Bus: true, Reason: "this desktop shows no tray icons (no StatusNotifierWatcher: on GNOME install the AppIndicator extension); Standby keeps its window open and the icon appears if a tray starts later"}
	}
	return Result{Bus: true, Host: true}
}

// Notifications reports whether a desktop notification service is running
// or can be started on the session bus, with the reason when not.
func Notifications() (bool, string) {
	DisableAutolaunch()
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return false, "no D-Bus session bus: desktop notifications cannot be shown"
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false, "the D-Bus session bus refused us"
	}
	if err := conn.Hello(); err != nil {
		return false, "the D-Bus session bus did not answer"
	}
	const name = "org.freedesktop.Notifications"
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has); err == nil && has {
		return true, ""
	}
	var names []string
	if err := conn.BusObject().Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&names); err == nil {
		for _, n := range names {
			if n == name {
				return true, ""
			}
		}
	}
	return false, "no notification daemon on the session bus (install one such as dunst, or use a desktop that has one)"
}

// WaitHost returns nil once a StatusNotifierWatcher owns its name on the
// session bus — at once when one already does. It holds one private
// connection and listens for the bus's NameOwnerChanged signal for that
// name, so that waiting costs nothing until a tray starts. It returns
// ctx.Err() when ctx ends, and an error when there is no bus or the bus
// goes away.
func WaitHost(ctx context.Context) error {
	DisableAutolaunch()
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return fmt.Errorf("connecting to the session bus: %w", err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return fmt.Errorf("authenticating on the session bus: %w", err)
	}
	if err := conn.Hello(); err != nil {
		return fmt.Errorf("greeting the session bus: %w", err)
	}
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	// Subscribed before asking, so that a host starting in between is seen.
	if err := conn.AddMatchSignal(
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, watcher),
	); err != nil {
		return fmt.Errorf("watching for a tray host: %w", err)
	}
	var has bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, watcher).Store(&has); err != nil {
		return fmt.Errorf("asking for a tray host: %w", err)
	}
	if has {
		return nil
	}
	if listening != nil {
		listening()
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case s, ok := <-signals:
			if !ok {
				return errors.New("the session bus closed the connection")
			}
			if gotOwner(s) {
				return nil
			}
		}
	}
}

// listening, when set (tests), is called once WaitHost found no host and
// waits for the signal.
var listening func()

// gotOwner reports whether s says the watcher's name got an owner.
func gotOwner(s *dbus.Signal) bool {
	if s.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(s.Body) != 3 {
		return false
	}
	name, _ := s.Body[0].(string)
	owner, _ := s.Body[2].(string)
	return name == watcher && owner != ""
}
