// Package notify delivers desktop notifications through beeep, with a
// fallback sender (Fyne's SendNotification, injected by the UI), and plays
// a sound for loud ones. Failures are returned, never swallowed, so the app
// can show the user that pages are not reaching the desktop.
package notify

import (
	"errors"
	"fmt"
	"sync"

	"github.com/gen2brain/beeep"
)

// Notification is one bubble.
type Notification struct {
	Title string
	Body  string
	// Loud notifications are marked urgent and play a sound.
	Loud bool
}

// Desktop sends notifications to the OS.
type Desktop struct {
	// Icon is PNG bytes for the bubble.
	Icon []byte
	// Sound enables the beep for loud notifications.
	Sound bool
	// Fallback is tried when beeep fails; nil means none.
	Fallback func(title, body string) error

	// send and beep are beeep's functions; tests replace them.
	send func(title, body string, icon any) error
	beep func(freq float64, ms int) error

	mu      sync.Mutex
	lastErr error
}

// NewDesktop returns a Desktop using beeep with appName shown as sender.
func NewDesktop(appName string, icon []byte, fallback func(title, body string) error) *Desktop {
	beeep.AppName = appName
	return &Desktop{Icon: icon, Sound: true, Fallback: fallback, send: beeep.Notify, beep: beeep.Beep}
}

// ErrUndelivered wraps every delivery failure.
var ErrUndelivered = errors.New("desktop notification not delivered")

// Send shows n. It returns an error wrapping ErrUndelivered when neither
// beeep nor the fallback could deliver it. A failed beep is not a failed
// delivery: the bubble was shown.
func (d *Desktop) Send(n Notification) error {
	err := d.send(n.Title, n.Body, d.Icon)
	if err != nil && d.Fallback != nil {
		if ferr := d.Fallback(n.Title, n.Body); ferr == nil {
			err = nil
		} else {
			err = errors.Join(err, ferr)
		}
	}
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrUndelivered, err)
	} else if n.Loud && d.Sound && d.beep != nil {
		_ = d.beep(beeep.DefaultFreq, beeep.DefaultDuration) // best effort: many desktops have no PC speaker
	}
	d.mu.Lock()
	d.lastErr = err
	d.mu.Unlock()
	return err
}

// LastError returns the error of the last Send (nil after a success).
func (d *Desktop) LastError() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lastErr
}
