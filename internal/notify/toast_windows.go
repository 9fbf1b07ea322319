//go:build windows

package notify

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"git.sr.ht/~jackmordaunt/go-toast"
)

// activatorGUID is Standby's COM activator, so Windows calls this process
// back when a toast button is clicked.
const activatorGUID = "{30367C22-F5A3-4CE1-BFC1-8FA89B264157}"

// toastService sends Windows toasts with buttons through go-toast.
// Toasts cannot be closed or replaced through it, so closeID does
// nothing.
type toastService struct {
	appName string
	desk    *Desktop

	once     sync.Once
	setupErr error
	iconPath string

	mu   sync.Mutex
	next uint32
}

func newNative(appName string, icon []byte, d *Desktop) native {
	s := &toastService{appName: appName, desk: d}
	if len(icon) > 0 {
		if dir, err := os.UserCacheDir(); err == nil {
			p := filepath.Join(dir, "standby", "notification-icon.png")
			if os.MkdirAll(filepath.Dir(p), 0o700) == nil && os.WriteFile(p, icon, 0o600) == nil {
				s.iconPath = p
			}
		}
	}
	return s
}

func (s *toastService) setup() error {
	s.once.Do(func() {
		err := toast.SetAppData(toast.AppData{AppID: s.appName, GUID: activatorGUID, IconPath: s.iconPath})
		if err != nil {
			s.setupErr = fmt.Errorf("registering the toast activator: %w", err)
			return
		}
		toast.SetActivationCallback(s.activated)
	})
	return s.setupErr
}

// activated receives "standby|<id>|<action>" from a clicked toast.
func (s *toastService) activated(args string, _ []toast.UserData) {
	parts := strings.SplitN(args, "|", 3)
	if len(parts) != 3 || parts[0] != "standby" {
		return
	}
	id, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil {
		return
	}
	s.desk.event(uint32(id), parts[2], false)
}

func (s *toastService) notify(n Notification, _ uint32) (uint32, error) {
	if err := s.setup(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.next++
	id := s.next
	s.mu.Unlock()
	arg := func(action string) string { return fmt.Sprintf("standby|%d|%s", id, action) }
	t := toast.Notification{AppID: s.appName, Title: n.Title, Body: n.Body, Icon: s.iconPath,
		ActivationType: toast.Foreground, ActivationArguments: arg(ActionOpen), Audio: toast.Silent, Duration: toast.Short}
	if n.Sound != "" { // as on Linux: the app's own alarm plays otherwise
		t.Audio = toast.Default
	}
	if n.Sticky {
		t.Duration = toast.Long
	}
	for _, a := range n.Actions {
		t.Actions = append(t.Actions, toast.Action{Type: toast.Foreground, Content: a.Label, Arguments: arg(a.Key)})
	}
	if err := t.Push(); err != nil {
		return 0, fmt.Errorf("windows toast: %w", err)
	}
	return id, nil
}

func (s *toastService) closeID(uint32) error { return nil }

func (s *toastService) capabilities() (Capabilities, error) {
	if err := s.setup(); err != nil {
		return Capabilities{}, errors.Join(ErrNoService, err)
	}
	return Capabilities{Service: "Windows toasts", Actions: true, Sound: true}, nil
}

func (s *toastService) close() error { return nil }
