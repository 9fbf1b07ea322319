package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// mapState returns the X map state of Standby's window (its title starts
// with "Standby" and changes with the pages; GLFW takes the class from the
// title at creation): "IsViewable", "IsUnMapped"…, or "" when there is no
// such window.
func mapState(t *testing.T, display string) string {
	t.Helper()
	tree, err := xwininfo(display, "-root", "-children").CombinedOutput()
	if err != nil {
		t.Fatalf("xwininfo: %v\n%s", err, tree)
	}
	for _, line := range strings.Split(string(tree), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], "0x") || len(f) < 2 || !strings.HasPrefix(f[1], `"Standby`) {
			continue
		}
		out, err := xwininfo(display, "-id", f[0]).CombinedOutput()
		if err != nil {
			return "" // gone meanwhile
		}
		for _, l := range strings.Split(string(out), "\n") {
			if k, v, ok := strings.Cut(strings.TrimSpace(l), ":"); ok && k == "Map State" {
				return strings.TrimSpace(v)
			}
		}
	}
	return ""
}

// xwininfo runs xwininfo in a locale every system has: under one it cannot
// set (the day run's German), it prints the title "Standby — …" as "(failure
// in conversion from UTF8_STRING to ANSI_X3.4-1968)".
func xwininfo(display string, args ...string) *exec.Cmd {
	cmd := exec.Command("xwininfo", append([]string{"-display", display}, args...)...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return cmd
}

// waitViewable polls the X server (another process) until the window shows.
func waitViewable(t *testing.T, display, why string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for mapState(t, display) != "IsViewable" {
		if time.Now().After(deadline) {
			tree, _ := xwininfo(display, "-root", "-tree").CombinedOutput()
			t.Fatalf("%s: the window is not shown (map state %q); windows:\n%s", why, mapState(t, display), tree)
		}
	}
}

// TestBackgroundWithTray: what the login entry runs starts in the tray
// with no window; a second start (or the tray's Open) shows it.
func TestBackgroundWithTray(t *testing.T) {
	need(t, "Xvfb", "dbus-daemon", "xwininfo")
	bin := build(t)
	display := xvfb(t)
	addr := sessionBus(t, display, false)
	host := newWatcher(t, addr)
	r := start(t, bin, []string{"DISPLAY=" + display, "DBUS_SESSION_BUS_ADDRESS=" + addr}, "--background", "--exit-after", "20s")
	select {
	case <-host.items:
	case <-time.After(30 * time.Second):
		t.Fatal("the app never registered its tray icon")
	}
	// Ready and in the tray: a window shown at start is mapped by now.
	if st := mapState(t, display); st == "IsViewable" {
		t.Fatal("--background with a tray host opened the window")
	}
	second := exec.Command(bin)
	second.Env = r.cmd.Env
	if out, err := second.CombinedOutput(); err != nil || !strings.Contains(string(out), "already running") {
		t.Fatalf("second start: %v\n%s", err, out)
	}
	waitViewable(t, display, "after a second start")
	r.cmd.Process.Kill()
	r.cmd.Wait()
}

// TestBackgroundWithoutTray: with no tray host the window is the only way
// in, so --background shows it anyway.
func TestBackgroundWithoutTray(t *testing.T) {
	need(t, "Xvfb", "xwininfo")
	bin := build(t)
	display := xvfb(t)
	r := start(t, bin, []string{"DISPLAY=" + display}, "--background", "--exit-after", "5s")
	waitViewable(t, display, "--background without a tray")
	r.wait(t)
}
