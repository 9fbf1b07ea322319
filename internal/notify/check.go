package notify

import (
	"errors"
	"fmt"
	"strings"
)

// CheckKey is the Key of the doctor's test bubble.
const CheckKey = "standby/doctor"

// Check is the doctor's notification check: it sends a test bubble with
// the page actions through a Desktop of its own and says in one line what
// works, or returns a one-line error naming what does not ("no
// notification service: …", "no actions support: …").
func Check(appName string, icon []byte) (string, error) {
	d := NewDesktop(appName, icon, nil)
	defer d.Close()
	return d.Check()
}

// Check sends a test bubble through d; see the function Check.
func (d *Desktop) Check() (string, error) {
	caps, capErr := d.Capabilities()
	err := d.Send(Notification{Key: CheckKey, Title: "Standby: test notification",
		Body: "Loud pages look like this, with Ack, I'm looking and Open.", Actions: PageActions()})
	if err != nil && errors.Is(capErr, ErrNoService) {
		return "", errors.New(oneLine(capErr)) // "no notification service: why"
	}
	if err != nil {
		return "", fmt.Errorf("no notification service: %s", oneLine(err))
	}
	if errors.Is(capErr, ErrNoService) {
		return "a test bubble was sent (plain: this system's notifications have no buttons; use the tray or the window)", nil
	}
	if !caps.Actions {
		return "", fmt.Errorf("no actions support: %s shows the test bubble but no Ack / I'm looking buttons; use the tray or the window", caps.Service)
	}
	return fmt.Sprintf("%s showed a test bubble; Ack / I'm looking / Open buttons supported", caps.Service), nil
}

// oneLine keeps the first line of an error's text.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
