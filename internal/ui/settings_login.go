package ui

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/config"
)

// loginService is Settings' "Start Standby when I log in". Both calls
// touch the disk (or the registry), so they run off the UI goroutine.
type loginService interface {
	LoginStart() (app.LoginState, error)
	SetLoginStart(on bool) error
}

// loginBox is the checkbox and the line under it that says what the
// system holds. It takes effect at once (it is not part of Save).
type loginBox struct {
	svc    loginService
	check  *widget.Check
	status *widget.Label
}

func newLoginBox(svc loginService) *loginBox {
	b := &loginBox{svc: svc, status: widget.NewLabel("Checking…")}
	b.status.Wrapping = fyne.TextWrapWord
	b.check = widget.NewCheck("Start Standby when I log in", nil)
	b.check.Disable()
	return b
}

// reload reads the state off the UI goroutine and shows it.
func (b *loginBox) reload() {
	go func() {
		st, err := b.svc.LoginStart()
		fyne.Do(func() { b.apply(st, err, "") })
	}()
}

// changed is the user ticking or unticking the box: the box is disabled
// until the entry and the recorded choice are written, then shows what
// the system holds (the old state again when it failed, with why).
func (b *loginBox) changed(on bool) {
	b.check.Disable()
	b.status.SetText("Saving…")
	go func() {
		msg := ""
		if err := b.svc.SetLoginStart(on); err != nil {
			msg = "Not changed: " + err.Error()
		}
		st, err := b.svc.LoginStart()
		fyne.Do(func() { b.apply(st, err, msg) })
	}()
}

// apply shows st on the UI goroutine; msg, when set, comes first.
func (b *loginBox) apply(st app.LoginState, err error, msg string) {
	b.check.OnChanged = nil // setting the state is not the user's change
	b.check.SetChecked(st.On)
	b.check.OnChanged = b.changed
	text := describeLogin(st)
	switch {
	case err != nil:
		b.check.Disable()
		text = "Could not read the login entry: " + err.Error()
	case st.Unsupported != "":
		b.check.Disable()
	default:
		b.check.Enable()
	}
	if msg != "" {
		text = msg + "\n" + text
	}
	b.status.SetText(text)
}

// describeLogin says in words what the system holds.
func describeLogin(st app.LoginState) string {
	switch {
	case st.Unsupported != "":
		return capitalise(st.Unsupported) + "."
	case st.Stale:
		return fmt.Sprintf("On, but the login entry starts another copy of Standby (%s); untick and tick to point it at this one.", st.Command)
	case st.On:
		return fmt.Sprintf("Standby starts in the tray when you log in (%s).", st.Where)
	case st.Command != "":
		return fmt.Sprintf("Off: the login entry %s is turned off in your desktop's settings.", st.Where)
	case st.Choice == config.StartAtLoginOff:
		return "Off."
	default:
		return "Off. Standby turns it on when you add your first source."
	}
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.TrimSuffix(string(unicode.ToUpper(r))+s[n:], ".")
}
