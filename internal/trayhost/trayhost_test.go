//go:build linux

package trayhost

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestProbeWithoutBusNeverAutolaunches(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if _, err := os.Stat("/run/user/" + strconv.Itoa(os.Getuid()) + "/bus"); err == nil {
		t.Skip("this machine has a per-user bus socket; cannot simulate a bus-less session")
	}
	before := countDaemons(t)
	r := Probe()
	if r.Bus || r.Host || r.TrayUsable() {
		t.Fatalf("want no bus, got %+v", r)
	}
	if !strings.Contains(r.Reason, "window") {
		t.Fatalf("reason does not say what happens instead: %q", r.Reason)
	}
	if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != NoBusAddress {
		t.Fatalf("autolaunch not disabled: %q", got)
	}
	if after := countDaemons(t); after > before {
		t.Fatalf("a dbus-daemon was started (%d → %d)", before, after)
	}
	if ok, why := Notifications(); ok || !strings.Contains(why, "no D-Bus session bus") {
		t.Fatalf("Notifications() without a bus = %v, %q", ok, why)
	}
}

func TestProbeWithBusButNoWatcher(t *testing.T) {
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon not installed")
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
	r := Probe()
	if !r.Bus || r.Host || !r.TrayUsable() {
		t.Fatalf("want bus without host, got %+v", r)
	}
	if !strings.Contains(r.Reason, "AppIndicator") {
		t.Fatalf("reason does not help a GNOME user: %q", r.Reason)
	}
	// The session bus activates dunst when it is installed.
	_, err = os.Stat("/usr/share/dbus-1/services/org.knopwob.dunst.service")
	if ok, why := Notifications(); ok != (err == nil) {
		t.Fatalf("Notifications() = %v (%q), dunst service file present: %v", ok, why, err == nil)
	}
}

func countDaemons(t *testing.T) int {
	out, _ := exec.Command("pgrep", "-c", "dbus-daemon").Output()
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}
