package ui

import (
	"strings"

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
}

func newSettingsView(svc configService) *settingsView {
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
		widget.NewFormItem("Shift reminder the evening before", evening),
	)
	form.SubmitText = "Save"
	form.OnSubmit = func() {
		u := config.User{Name: strings.TrimSpace(name.Text), Email: strings.TrimSpace(email.Text), Zone: strings.TrimSpace(zone.Text)}
		snd, ev := sound.Checked, strings.TrimSpace(evening.Text)
		go func() {
			err := svc.UpdateConfig(func(c *config.Config) error {
				c.User, c.Notify.Sound, c.Notify.EveningBefore = u, snd, ev
				return nil
			})
			msg := "Saved."
			if err != nil {
				msg = "Not saved: " + err.Error()
			}
			fyne.Do(func() { status.SetText(msg) })
		}()
	}
	return &settingsView{root: container.NewVScroll(container.NewVBox(form, status)), form: form, name: name, status: status}
}
