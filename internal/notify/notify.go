// Package notify delivers desktop notifications. On Linux and the BSDs it
// talks to org.freedesktop.Notifications over D-Bus itself, so a loud page
// is a critical bubble that never expires and carries Ack / I'm looking /
// Open actions whose clicks come back to the app; on Windows it sends toasts
// with buttons. Where neither works it falls back to beeep and then to a
// sender injected by the UI (Fyne's). Failures are returned, never
// swallowed, so the app can show the user that pages are not reaching the
// desktop. The package has no Fyne import.
package notify

import (
	"errors"
	"fmt"
	"sync"

	"github.com/gen2brain/beeep"
)

// Urgency is how hard a bubble asks for attention (the freedesktop
// urgency levels).
type Urgency int

const (
	// Normal, the zero value, is an ordinary bubble (digests, quiet pages).
	Normal Urgency = iota
	// Low is for information nobody needs to act on now.
	Low
	// Critical is a page that must interrupt: the notification server
	// shows it over everything and keeps it until it is acted on.
	Critical
)

// String names the urgency as the freedesktop spec does.
func (u Urgency) String() string {
	switch u {
	case Low:
		return "low"
	case Normal:
		return "normal"
	case Critical:
		return "critical"
	}
	return fmt.Sprintf("Urgency(%d)", int(u))
}

// The keys of the page actions, as delivered to the OnAction callback.
const (
	ActionAck  = "ack"
	ActionLook = "look"
	ActionOpen = "open"
	// ActionDismissed is delivered when the user closed the bubble without
	// choosing an action.
	ActionDismissed = "dismissed"
	// ActionExpired is delivered when the server closed the bubble because
	// its time ran out.
	ActionExpired = "expired"
)

// Action is one button on a bubble.
type Action struct {
	// Key is what OnAction receives when the button is clicked.
	Key string
	// Label is the button's text.
	Label string
}

// PageActions are the buttons of a loud page: Ack, I'm looking and Open.
func PageActions() []Action {
	return []Action{{ActionAck, "Ack"}, {ActionLook, "I'm looking"}, {ActionOpen, "Open"}}
}

// Notification is one bubble.
type Notification struct {
	// Key identifies what the bubble is about (a page key); sending again
	// with the same key replaces the bubble, Dismiss(key) closes it, and
	// action clicks report it. "" means a one-off bubble.
	Key   string
	Title string
	Body  string
	// Urgency is Normal when zero.
	Urgency Urgency
	// Sticky bubbles never expire (expire_timeout 0).
	Sticky bool
	// Actions are shown where the server supports them.
	Actions []Action
	// Sound names a freedesktop sound-theme sound (e.g. SoundAlarm) for the
	// server to play. Leave it empty when the app plays its own alarm.
	// Bubbles below Critical with no Sound ask the server for silence.
	Sound string
}

// SoundAlarm is the freedesktop sound-theme name of an alarm.
const SoundAlarm = "alarm-clock-elapsed"

// Loud returns the bubble of a page that must interrupt: critical, never
// expiring, with Ack / I'm looking / Open.
func Loud(key, title, body string) Notification {
	return Notification{Key: key, Title: title, Body: body, Urgency: Critical, Sticky: true, Actions: PageActions()}
}

// Quiet returns a normal-urgency, silent bubble that expires as the
// server likes (low-urgency pages, digests, reminders).
func Quiet(key, title, body string) Notification {
	return Notification{Key: key, Title: title, Body: body, Urgency: Normal}
}

// Capabilities says what the notification service can do.
type Capabilities struct {
	// Service names the server, e.g. "dunst 1.9.0".
	Service string
	// Actions: buttons are shown and clicks are reported.
	Actions bool
	// Sound: the server plays sound hints.
	Sound bool
	// Persistence: bubbles stay in a history after they close.
	Persistence bool
}

// ErrUndelivered wraps every delivery failure.
var ErrUndelivered = errors.New("desktop notification not delivered")

// ErrNoService is returned by Capabilities when no native notification
// service can be reached.
var ErrNoService = errors.New("no notification service")

// native is a platform's own notification service with actions.
type native interface {
	notify(n Notification, replaces uint32) (uint32, error)
	closeID(id uint32) error
	capabilities() (Capabilities, error)
	close() error
}

// Desktop sends notifications to the OS. Its methods are safe for
// concurrent use.
type Desktop struct {
	// Icon is PNG bytes for the bubble.
	Icon []byte
	// Fallback is tried when the native service and beeep fail; nil means
	// none.
	Fallback func(title, body string) error

	native native
	// send is beeep's Notify; tests replace it.
	send func(title, body string, icon any) error

	mu       sync.Mutex
	lastErr  error
	onAction func(key, action string)
	byKey    map[string]uint32
	byID     map[uint32]string
}

// NewDesktop returns a Desktop that uses the platform's notification
// service, with appName shown as sender. Call Close when done.
func NewDesktop(appName string, icon []byte, fallback func(title, body string) error) *Desktop {
	beeep.AppName = appName
	d := &Desktop{Icon: icon, Fallback: fallback, send: beeep.Notify,
		byKey: map[string]uint32{}, byID: map[uint32]string{}}
	d.native = newNative(appName, icon, d)
	return d
}

// OnAction sets the function called when the user clicks an action
// (ActionAck, ActionLook, ActionOpen, or any Action.Key sent) or closes a
// bubble (ActionDismissed, ActionExpired), with the bubble's Key. It runs on
// the notifier's own goroutine and must not block; hand work off.
func (d *Desktop) OnAction(f func(key, action string)) {
	d.mu.Lock()
	d.onAction = f
	d.mu.Unlock()
}

// Send shows n, replacing the bubble with the same Key if one is shown.
// It returns an error wrapping ErrUndelivered when nothing could deliver
// it.
func (d *Desktop) Send(n Notification) error {
	err := d.sendNative(n)
	if err != nil || d.native == nil {
		err = d.sendFallback(n, err)
	}
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrUndelivered, err)
	}
	d.mu.Lock()
	d.lastErr = err
	d.mu.Unlock()
	return err
}

// sendNative returns nil when there is no native service; Send then uses
// the fallbacks.
func (d *Desktop) sendNative(n Notification) error {
	if d.native == nil {
		return nil
	}
	d.mu.Lock()
	replaces := d.byKey[n.Key]
	d.mu.Unlock()
	if n.Key == "" {
		replaces = 0
	}
	id, err := d.native.notify(n, replaces)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.byKey[n.Key]; ok && old != id {
		delete(d.byID, old)
	}
	if n.Key != "" {
		d.byKey[n.Key] = id
	}
	d.byID[id] = n.Key
	return nil
}

func (d *Desktop) sendFallback(n Notification, nativeErr error) error {
	errs := []error{nativeErr}
	if d.send != nil {
		err := d.send(n.Title, n.Body, d.Icon)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	if d.Fallback != nil {
		err := d.Fallback(n.Title, n.Body)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return errors.New("no way to show notifications on this system")
}

// Dismiss closes the bubble sent with key, if one is shown. Closing a
// bubble that is already gone is not an error. Where the platform cannot
// close bubbles (the fallbacks, Windows toasts) it does nothing.
func (d *Desktop) Dismiss(key string) error {
	d.mu.Lock()
	id, ok := d.byKey[key]
	if ok {
		delete(d.byKey, key)
		delete(d.byID, id)
	}
	d.mu.Unlock()
	if !ok || key == "" || d.native == nil {
		return nil
	}
	if err := d.native.closeID(id); err != nil {
		return fmt.Errorf("closing the bubble of %s: %w", key, err)
	}
	return nil
}

// Capabilities asks the notification service what it can do. It returns
// an error wrapping ErrNoService when there is no native service (the
// fallbacks show plain bubbles without actions).
func (d *Desktop) Capabilities() (Capabilities, error) {
	if d.native == nil {
		return Capabilities{}, fmt.Errorf("%w with actions on this system", ErrNoService)
	}
	return d.native.capabilities()
}

// LastError returns the error of the last Send (nil after a success).
func (d *Desktop) LastError() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lastErr
}

// Close releases the connection to the notification service and waits
// for its goroutine. Bubbles already shown stay.
func (d *Desktop) Close() error {
	if d.native == nil {
		return nil
	}
	return d.native.close()
}

// event is called by the native service for an action click or a closed
// bubble.
func (d *Desktop) event(id uint32, action string, closed bool) {
	d.mu.Lock()
	key, known := d.byID[id]
	if closed {
		delete(d.byID, id)
		if known && d.byKey[key] == id {
			delete(d.byKey, key)
		}
	}
	f := d.onAction
	d.mu.Unlock()
	if known && f != nil && action != "" {
		f(key, action)
	}
}

// forget drops every bubble id: the service that issued them is gone.
func (d *Desktop) forget() {
	d.mu.Lock()
	clear(d.byKey)
	clear(d.byID)
	d.mu.Unlock()
}
