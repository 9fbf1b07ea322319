//go:build linux || freebsd || netbsd || openbsd

// Package notifytest runs what notification tests need for real: a
// private D-Bus session bus (dbus-daemon), an X server for daemons that
// draw (Xvfb), and Server, a recording org.freedesktop.Notifications that
// can click its own action buttons. Helpers skip the test with a clear
// message when the system binary they need is absent.
package notifytest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// Need skips t unless every tool is installed.
func Need(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs it)", tool)
		}
	}
}

// Bus starts a private session bus that activates nothing, points
// DBUS_SESSION_BUS_ADDRESS at it for the rest of the test (so t must not
// be parallel) and returns its address.
func Bus(t testing.TB) string {
	t.Helper()
	Need(t, "dbus-daemon")
	dir := t.TempDir()
	conf := filepath.Join(dir, "session.conf")
	body := fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=%s</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`, dir)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--print-address", "--nofork", "--nopidfile")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	addr = strings.TrimSpace(addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	return addr
}

// Xvfb starts a virtual X server and returns its DISPLAY.
func Xvfb(t testing.TB) string {
	t.Helper()
	Need(t, "Xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1024x768x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not report its display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

// Call is one Notify call as the server received it.
type Call struct {
	ID            uint32
	AppName       string
	ReplacesID    uint32
	AppIcon       string
	Summary       string
	Body          string
	Actions       []string // key, label, key, label, ...
	Hints         map[string]dbus.Variant
	ExpireTimeout int32
}

// Urgency returns the urgency hint (0 low, 1 normal, 2 critical), or -1
// when the call had none.
func (c Call) Urgency() int {
	v, ok := c.Hints["urgency"]
	if !ok {
		return -1
	}
	b, ok := v.Value().(byte)
	if !ok {
		return -1
	}
	return int(b)
}

// ActionKeys returns the action keys of the call, without labels.
func (c Call) ActionKeys() []string {
	var keys []string
	for i := 0; i+1 < len(c.Actions); i += 2 {
		keys = append(keys, c.Actions[i])
	}
	return keys
}

// Server is a recording org.freedesktop.Notifications on the session bus.
type Server struct {
	conn *dbus.Conn
	caps []string

	mu     sync.Mutex
	next   uint32
	calls  []Call
	closed []uint32
}

// NewServer connects to the session bus (see Bus), takes the name
// org.freedesktop.Notifications with the given capabilities, and releases
// it when the test ends.
func NewServer(t testing.TB, caps ...string) *Server {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("connecting to the session bus: %v", err)
	}
	s := &Server{conn: conn, caps: caps}
	t.Cleanup(s.Stop)
	if err := conn.Export(methods{s}, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking org.freedesktop.Notifications: reply %v, %v", reply, err)
	}
	return s
}

// Stop leaves the bus, as a daemon that quits does.
func (s *Server) Stop() { s.conn.Close() }

// Calls returns the Notify calls received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Closed returns the ids the client asked to close.
func (s *Server) Closed() []uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.closed)
}

// Invoke clicks action key on bubble id: it emits ActionInvoked, then
// NotificationClosed (dismissed by the user), as daemons do.
func (s *Server) Invoke(id uint32, key string) error {
	if err := s.emit("ActionInvoked", id, key); err != nil {
		return err
	}
	return s.emit("NotificationClosed", id, uint32(2))
}

// Dismiss emits NotificationClosed for id with reason (1 expired, 2
// dismissed by the user, 3 closed by a call, 4 undefined).
func (s *Server) Dismiss(id, reason uint32) error {
	return s.emit("NotificationClosed", id, reason)
}

// Emit sends any signal from the server's name, for tests of malformed
// signals.
func (s *Server) Emit(member string, body ...any) error { return s.emit(member, body...) }

func (s *Server) emit(member string, body ...any) error {
	return s.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications."+member, body...)
}

// methods is the exported D-Bus object; its exported methods are the
// interface's methods.
type methods struct{ s *Server }

func (m methods) GetCapabilities() ([]string, *dbus.Error) {
	return slices.Clone(m.s.caps), nil
}

func (m methods) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "notifytest", "Standby", "1.0", "1.2", nil
}

func (m methods) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, expire int32) (uint32, *dbus.Error) {
	m.s.mu.Lock()
	defer m.s.mu.Unlock()
	id := replaces
	if id == 0 {
		m.s.next++
		id = m.s.next
	}
	m.s.calls = append(m.s.calls, Call{ID: id, AppName: app, ReplacesID: replaces, AppIcon: icon,
		Summary: summary, Body: body, Actions: actions, Hints: hints, ExpireTimeout: expire})
	return id, nil
}

func (m methods) CloseNotification(id uint32) *dbus.Error {
	m.s.mu.Lock()
	m.s.closed = append(m.s.closed, id)
	m.s.mu.Unlock()
	if err := m.s.emit("NotificationClosed", id, uint32(3)); err != nil {
		return dbus.MakeFailedError(err)
	}
	return nil
}
