package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/config"
)

// settingsView edits a copy of the configuration and commits it once.
type settingsView struct {
	root   fyne.CanvasObject
	form   *widget.Form
	name   *widget.Entry
	status *widget.Label
	// testAlarm is the "Test alarm" button; alarmStatus says how it went.
	testAlarm   *widget.Button
	alarmStatus *widget.Label
	// login is "Start Standby when I log in" (settings_login.go).
	login *loginBox
}

// settingsService is what Settings edits and tests.
type settingsService interface {
	configService
	loginService
	TestAlarm(ctx context.Context) error
}

func newSettingsView(svc settingsService) *settingsView {
	draft := svc.Config()
	name := widget.NewEntry()
	name.SetText(draft.User.Name)
	email := widget.NewEntry()
	email.SetText(draft.User.Email)
	zone := widget.NewEntry()
	zone.SetText(draft.User.Zone)
	zone.SetPlaceHolder("system zone, or e.g. Europe/Berlin")
	sound := widget.NewCheck("Sound for loud pages", nil)
	sound.SetChecked(draft.Notify.Sound)
	ringOnce := widget.NewCheck("Ring once, even for high urgency while on call", nil)
	ringOnce.SetChecked(draft.Notify.RingOnce)
	evening := widget.NewEntry()
	evening.SetText(draft.Notify.EveningBefore)
	evening.SetPlaceHolder("18:00, empty for off")
	status := widget.NewLabel("Settings are saved to " + svc.ConfigPath())
	status.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("Your name", name),
		widget.NewFormItem("E-mail", email),
		widget.NewFormItem("Time zone", zone),
		widget.NewFormItem("", sound),
		widget.NewFormItem("", ringOnce),
		widget.NewFormItem("Shift reminder the evening before", evening),
	)
	form.SubmitText = "Save"
	form.OnSubmit = func() {
		u := config.User{Name: strings.TrimSpace(name.Text), Email: strings.TrimSpace(email.Text), Zone: strings.TrimSpace(zone.Text)}
		snd, once, ev := sound.Checked, ringOnce.Checked, strings.TrimSpace(evening.Text)
		go func() {
			err := svc.UpdateConfig(func(c *config.Config) error {
				c.User, c.Notify.Sound, c.Notify.RingOnce, c.Notify.EveningBefore = u, snd, once, ev
				return nil
			})
			msg := "Saved."
			if err != nil {
				msg = "Not saved: " + err.Error()
			}
			fyne.Do(func() { status.SetText(msg) })
		}()
	}
	v := &settingsView{form: form, name: name, status: status, alarmStatus: widget.NewLabel("")}
	v.alarmStatus.Wrapping = fyne.TextWrapWord
	v.testAlarm = widget.NewButton("Test alarm", func() { v.runTestAlarm(svc) })
	v.login = newLoginBox(svc)
	v.root = container.NewVScroll(container.NewVBox(form, status, widget.NewSeparator(), v.login.check, v.login.status,
		widget.NewSeparator(), container.NewHBox(v.testAlarm), v.alarmStatus))
	v.login.reload()
	return v
}

// alarmTestTimeout bounds "Test alarm" (the alarm plays for a few seconds).
const alarmTestTimeout = 15 * time.Second

// runTestAlarm plays the alarm off the UI goroutine and says how it went.
func (v *settingsView) runTestAlarm(svc settingsService) {
	v.testAlarm.Disable()
	v.alarmStatus.SetText("Playing the alarm…")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), alarmTestTimeout)
		defer cancel()
		msg := "The alarm played on the default audio output. Did you hear it?"
		if err := svc.TestAlarm(ctx); err != nil {
			msg = "The alarm did not play: " + err.Error()
		}
		fyne.Do(func() {
			v.alarmStatus.SetText(msg)
			v.testAlarm.Enable()
		})
	}()
}
