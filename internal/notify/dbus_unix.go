//go:build linux || freebsd || netbsd || openbsd

package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// The freedesktop notification service
// (https://specifications.freedesktop.org/notification-spec/latest/).
const (
	fdoName  = "org.freedesktop.Notifications"
	fdoPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	fdoIface = "org.freedesktop.Notifications"
)

// callTimeout bounds every call to the notification service: a hung
// daemon must not hang the caller.
const callTimeout = 5 * time.Second

// dbusService talks to org.freedesktop.Notifications on the session bus
// over a private connection. It is written on godbus directly rather than
// on esiqveland/notify (beeep's layer) because that library panics on a
// malformed signal body, accepts ActionInvoked from any sender on the bus,
// logs to the standard logger and does not wait for its goroutine.
type dbusService struct {
	appName string
	icon    []byte
	desk    *Desktop

	iconOnce sync.Once
	iconPath string

	mu     sync.Mutex
	conn   *dbus.Conn
	owner  string // unique bus name of the service our ids belong to
	caps   Capabilities
	closed bool
	wg     sync.WaitGroup // the signal goroutine of each connection
}

func newNative(appName string, icon []byte, d *Desktop) native {
	return &dbusService{appName: appName, icon: icon, desk: d}
}

// connection returns the live connection, dialling the session bus (never
// launching one) when there is none.
func (s *dbusService) connection() (*dbus.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("notifier closed")
	}
	if s.conn != nil && s.conn.Connected() {
		return s.conn, nil
	}
	if s.conn != nil {
		s.conn.Close()
		s.conn, s.owner = nil, ""
	}
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return nil, fmt.Errorf("%w: no D-Bus session bus: %w", ErrNoService, err)
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w: the D-Bus session bus refused us: %w", ErrNoService, err)
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w: the D-Bus session bus did not answer: %w", ErrNoService, err)
	}
	if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(fdoPath), dbus.WithMatchInterface(fdoIface)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("subscribing to notification signals: %w", err)
	}
	ch := make(chan *dbus.Signal, 16)
	conn.Signal(ch)
	s.wg.Add(1)
	go s.listen(ch)
	s.conn = conn
	return conn, nil
}

// listen owns one connection's signal channel; godbus closes it when the
// connection closes.
func (s *dbusService) listen(ch <-chan *dbus.Signal) {
	defer s.wg.Done()
	for sig := range ch {
		s.handle(sig)
	}
}

func (s *dbusService) handle(sig *dbus.Signal) {
	s.mu.Lock()
	owner := s.owner
	s.mu.Unlock()
	if sig.Path != fdoPath || owner == "" || sig.Sender != owner || len(sig.Body) < 2 {
		return
	}
	id, ok := sig.Body[0].(uint32)
	if !ok {
		return
	}
	switch sig.Name {
	case fdoIface + ".ActionInvoked":
		if key, ok := sig.Body[1].(string); ok {
			if key == "default" {
				key = ActionOpen
			}
			s.desk.event(id, key, false)
		}
	case fdoIface + ".NotificationClosed":
		if reason, ok := sig.Body[1].(uint32); ok {
			s.desk.event(id, closeAction(reason), true)
		}
	}
}

// closeAction maps a NotificationClosed reason to what OnAction receives;
// "" for closes the app asked for itself.
func closeAction(reason uint32) string {
	switch reason {
	case 1:
		return ActionExpired
	case 2:
		return ActionDismissed
	}
	return ""
}

func (s *dbusService) call(conn *dbus.Conn, method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	return conn.Object(fdoName, fdoPath).CallWithContext(ctx, fdoIface+"."+method, 0, args...)
}

// service makes sure the notification service runs (asking for its
// capabilities starts an activatable one) and learns its unique name, so
// only its signals count. When the owner changed, the ids we hold are
// meaningless and are dropped.
// It reports restarted when the ids handed out so far died with an
// earlier owner.
func (s *dbusService) service(conn *dbus.Conn) (caps Capabilities, restarted bool, err error) {
	owner, err := nameOwner(conn)
	s.mu.Lock()
	cached, caps := err == nil && owner == s.owner, s.caps
	s.mu.Unlock()
	if cached {
		return caps, false, nil
	}
	caps, err = s.query(conn)
	if err != nil {
		return Capabilities{}, false, err
	}
	if owner, err = nameOwner(conn); err != nil {
		return Capabilities{}, false, fmt.Errorf("%w: %s has no owner: %w", ErrNoService, fdoName, err)
	}
	s.mu.Lock()
	restarted = s.owner != owner
	s.owner, s.caps = owner, caps
	s.mu.Unlock()
	if restarted {
		s.desk.forget()
	}
	return caps, restarted, nil
}

func nameOwner(conn *dbus.Conn) (string, error) {
	var owner string
	err := conn.BusObject().Call("org.freedesktop.DBus.GetNameOwner", 0, fdoName).Store(&owner)
	return owner, err
}

func (s *dbusService) query(conn *dbus.Conn) (Capabilities, error) {
	var list []string
	if err := s.call(conn, "GetCapabilities").Store(&list); err != nil {
		return Capabilities{}, fmt.Errorf("%w: %s did not answer GetCapabilities: %w", ErrNoService, fdoName, err)
	}
	caps := Capabilities{
		Actions:     slices.Contains(list, "actions"),
		Sound:       slices.Contains(list, "sound"),
		Persistence: slices.Contains(list, "persistence"),
	}
	var name, vendor, version, spec string
	if err := s.call(conn, "GetServerInformation").Store(&name, &vendor, &version, &spec); err == nil {
		caps.Service = name + " " + version
	}
	return caps, nil
}

func (s *dbusService) capabilities() (Capabilities, error) {
	conn, err := s.connection()
	if err != nil {
		return Capabilities{}, err
	}
	caps, _, err := s.service(conn)
	return caps, err
}

func (s *dbusService) notify(n Notification, replaces uint32) (uint32, error) {
	conn, err := s.connection()
	if err != nil {
		return 0, err
	}
	caps, restarted, err := s.service(conn)
	if err != nil {
		return 0, err
	}
	if restarted {
		replaces = 0
	}
	actions := []string{}
	if caps.Actions {
		for _, a := range n.Actions {
			actions = append(actions, a.Key, a.Label)
			if a.Key == ActionOpen {
				actions = append(actions, "default", a.Label)
			}
		}
	}
	expire := int32(-1)
	if n.Sticky {
		expire = 0
	}
	var id uint32
	err = s.call(conn, "Notify", s.appName, replaces, s.iconFile(), n.Title, n.Body, actions, hints(n), expire).Store(&id)
	if err != nil {
		return 0, fmt.Errorf("%s.Notify: %w", fdoName, err)
	}
	return id, nil
}

// hints are the Notify hints for n: urgency, and sound or silence.
func hints(n Notification) map[string]dbus.Variant {
	h := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgencyByte(n.Urgency))}
	switch {
	case n.Sound != "":
		h["sound-name"] = dbus.MakeVariant(n.Sound)
	case n.Urgency != Critical:
		h["suppress-sound"] = dbus.MakeVariant(true)
	}
	return h
}

// urgencyByte is the spec's encoding: 0 low, 1 normal, 2 critical.
func urgencyByte(u Urgency) byte {
	switch u {
	case Low:
		return 0
	case Critical:
		return 2
	}
	return 1
}

func (s *dbusService) closeID(id uint32) error {
	conn, err := s.connection()
	if err != nil {
		return err
	}
	if err := s.call(conn, "CloseNotification", id).Err; err != nil {
		return fmt.Errorf("%s.CloseNotification: %w", fdoName, err)
	}
	return nil
}

func (s *dbusService) close() error {
	s.mu.Lock()
	s.closed = true
	conn := s.conn
	s.conn = nil
	s.mu.Unlock()
	var err error
	if conn != nil {
		err = conn.Close()
	}
	s.wg.Wait()
	return err
}

// iconFile returns the path of the app icon written once to the user's cache
// directory (the spec takes a path or a theme name), or "" without one.
func (s *dbusService) iconFile() string {
	s.iconOnce.Do(func() {
		if len(s.icon) == 0 {
			return
		}
		dir, err := os.UserCacheDir()
		if err != nil {
			return
		}
		p := filepath.Join(dir, "standby", "notification-icon.png")
		if os.MkdirAll(filepath.Dir(p), 0o700) == nil && os.WriteFile(p, s.icon, 0o600) == nil {
			s.iconPath = p
		}
	})
	return s.iconPath
}
