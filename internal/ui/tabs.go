package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// sourcesView is the Sources tab: health of each source and a form to add one.
type sourcesView struct {
	sh         *shell
	root       fyne.CanvasObject
	list       *fyne.Container
	result     *widget.Label
	teamTitle  *widget.Label
	teamDetail *widget.Label
}

func newSourcesView(sh *shell) *sourcesView {
	v := &sourcesView{sh: sh, list: container.NewVBox(), result: widget.NewLabel(""),
		teamTitle: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), teamDetail: widget.NewLabel("")}
	v.teamDetail.Wrapping = fyne.TextWrapWord
	v.result.Wrapping = fyne.TextWrapWord
	kind := widget.NewSelect(config.Kinds[:len(config.Kinds)-1], nil)
	kind.SetSelected("alertmanager")
	name := widget.NewEntry()
	name.SetPlaceHolder("prod")
	u := widget.NewEntry()
	u.SetPlaceHolder("http://alertmanager:9093")
	token := widget.NewPasswordEntry()
	token.SetPlaceHolder("API token (GoAlert: password); stored in the OS keyring")
	user := widget.NewEntry()
	user.SetPlaceHolder("GoAlert login, Splunk On-Call user, or Atlassian e-mail (JSM Ops)")
	apiID := widget.NewEntry()
	apiID.SetPlaceHolder("Splunk On-Call API id, or Atlassian cloud id (JSM Ops)")
	form := widget.NewForm(
		widget.NewFormItem("Kind", kind),
		widget.NewFormItem("Name", name),
		widget.NewFormItem("URL", u),
		widget.NewFormItem("Token", token),
		widget.NewFormItem("User", user),
		widget.NewFormItem("API / cloud id", apiID),
	)
	form.SubmitText = "Add and test"
	form.OnSubmit = func() {
		sc := config.Source{Name: strings.TrimSpace(name.Text), Kind: kind.Selected, URL: strings.TrimSpace(u.Text),
			Username: strings.TrimSpace(user.Text)}
		switch sc.Kind {
		case "splunk_oncall":
			sc.APIID = strings.TrimSpace(apiID.Text)
		case "jsm_ops":
			sc.CloudID = strings.TrimSpace(apiID.Text)
		}
		tok := token.Text
		v.result.SetText("Saving and testing…")
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			msg := ""
			if err := sh.svc.AddSource(ctx, sc, tok); err != nil {
				msg = "Not added: " + err.Error()
			} else {
				res := sh.svc.TestSource(ctx, sc.Name)
				msg = fmt.Sprintf("Added %s. Test: %s.", sc.Name, res.Message)
			}
			fyne.Do(func() {
				v.result.SetText(msg)
				if !strings.HasPrefix(msg, "Not added") {
					token.SetText("")
				}
			})
		}()
	}
	add := widget.NewCard("Add a source", "Alertmanager, PagerDuty, Opsgenie, JSM Ops, GoAlert, Grafana OnCall or Splunk On-Call", container.NewVBox(form, v.result))
	team := widget.NewCard("Team", "", container.NewVBox(v.teamTitle, v.teamDetail))
	v.root = container.NewVScroll(container.NewVBox(widget.NewCard("Sources", "", v.list), team, add))
	return v
}

// test connects to a source off the UI goroutine and shows the outcome.
func (v *sourcesView) test(name string) {
	v.result.SetText("Testing " + name + "…")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res := v.sh.svc.TestSource(ctx, name)
		fyne.Do(func() { v.result.SetText(fmt.Sprintf("%s: %s", name, res.Message)) })
	}()
}

func (v *sourcesView) applyTeam(t viewmodel.TeamVM) {
	v.teamTitle.SetText(t.Title)
	v.teamDetail.SetText(t.Detail)
	switch t.Color {
	case viewmodel.ColorError:
		v.teamTitle.Importance = widget.DangerImportance
	case viewmodel.ColorSuccess:
		v.teamTitle.Importance = widget.SuccessImportance
	default:
		v.teamTitle.Importance = widget.MediumImportance
	}
	v.teamTitle.Refresh()
}

func (v *sourcesView) apply(rows []viewmodel.SourceRow) {
	objs := make([]fyne.CanvasObject, 0, len(rows))
	for _, r := range rows {
		head := widget.NewLabelWithStyle(fmt.Sprintf("%s — %s", r.Name, r.Health), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		switch r.Color {
		case viewmodel.ColorError:
			head.Importance = widget.DangerImportance
		case viewmodel.ColorWarning:
			head.Importance = widget.WarningImportance
		case viewmodel.ColorSuccess:
			head.Importance = widget.SuccessImportance
		}
		detail := widget.NewLabel(r.Detail)
		detail.Wrapping = fyne.TextWrapWord
		name := r.Name
		test := widget.NewButton("Test", func() { v.test(name) })
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewCenter(test), container.NewVBox(head, detail)))
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel("No sources. Add one below, or run `standby source add`."))
	}
	v.list.Objects = objs
	v.list.Refresh()
}

// quietView is the Quiet hours tab: the current state, the ad-hoc
// buttons, the weekly grid editor and why each open page rang or not.
type quietView struct {
	sh        *shell
	root      fyne.CanvasObject
	summary   *widget.Label
	reason    *widget.Label
	decisions *widget.Label
	log       *widget.Label

	grid    *quietGrid
	saved   viewmodel.Grid // the grid as in the config file
	zone    *widget.Label
	days    *widget.Label // the grid in words, for screen readers
	windows *widget.Label // the windows the grid saves as
	status  *widget.Label
	save    *widget.Button
	revert  *widget.Button
	saving  bool
}

func newQuietView(sh *shell) *quietView {
	v := &quietView{
		sh:        sh,
		summary:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		reason:    widget.NewLabel(""),
		decisions: widget.NewLabel(""),
		log:       widget.NewLabel(""),
		zone:      widget.NewLabel(""),
		days:      widget.NewLabel(""),
		windows:   widget.NewLabel(""),
		status:    widget.NewLabel(""),
	}
	v.decisions.Wrapping = fyne.TextWrapWord
	v.status.Wrapping = fyne.TextWrapWord
	ta := sh.trayActions()
	buttons := container.NewHBox(
		widget.NewButton("Quiet for 1 hour", ta.QuietHour),
		widget.NewButton("Quiet until tomorrow 08:00", ta.QuietNight),
		widget.NewButton("Resume now", ta.Resume),
	)
	cfg := sh.svc.Config()
	v.saved = viewmodel.GridFromWindows(cfg.Quiet.Windows)
	v.grid = newQuietGrid(v.saved)
	v.grid.OnChanged = func(viewmodel.Grid) { v.edited() }
	v.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), v.doSave)
	v.save.Importance = widget.HighImportance
	v.revert = widget.NewButton("Revert", func() {
		v.grid.SetGrid(v.saved)
		v.edited()
	})
	v.zone.SetText(viewmodel.GridZone(cfg.Quiet.Location(sh.svc.Location()), time.Now()))
	if !viewmodel.HourAligned(cfg.Quiet.Windows) {
		v.status.SetText("Some windows in " + sh.svc.ConfigPath() + " start or end between hours; the grid shows them widened to whole hours, and saving stores whole hours.")
	}
	v.refreshEditor()
	hint := widget.NewLabel("Click an hour to switch it; drag to paint several. A night belongs to the day it starts.")
	hint.Importance = widget.LowImportance
	editor := widget.NewCard("Weekly quiet hours", "", container.NewVBox(
		v.zone, v.grid, hint, container.NewHBox(v.save, v.revert), v.status,
		widget.NewAccordion(widget.NewAccordionItem("By day, in words", v.days)),
		v.windows,
	))
	v.root = container.NewVScroll(container.NewVBox(
		v.summary, v.reason, buttons, editor,
		widget.NewCard("Why each open page did or did not ring", "", v.decisions),
		widget.NewCard("Decisions of the last 24 hours", "when each page was first seen", v.log),
	))
	return v
}

// edited follows a change of the grid by the user (or Revert).
func (v *quietView) edited() {
	v.refreshEditor()
	if v.grid.Grid() != v.saved {
		v.status.SetText("Unsaved changes.")
	} else {
		v.status.SetText("")
	}
}

// refreshEditor updates everything derived from the grid being edited.
func (v *quietView) refreshEditor() {
	g := v.grid.Grid()
	days := viewmodel.GridSummary(g)
	v.days.SetText(strings.Join(days[:], "\n"))
	ws := viewmodel.WindowsFromGrid(g)
	lines := make([]string, 0, len(ws)+1)
	if g == v.saved {
		lines = append(lines, "Saved as:")
	} else {
		lines = append(lines, "Will be saved as:")
	}
	for _, w := range ws {
		lines = append(lines, "• "+w.String())
	}
	if len(ws) == 0 {
		lines = append(lines, "• no quiet hours: every new page rings at any time")
	}
	v.windows.SetText(strings.Join(lines, "\n"))
	if g != v.saved && !v.saving {
		v.save.Enable()
		v.revert.Enable()
	} else {
		v.save.Disable()
		v.revert.Disable()
	}
}

// doSave writes the grid's windows to the config off the UI goroutine.
func (v *quietView) doSave() {
	g := v.grid.Grid()
	ws := viewmodel.WindowsFromGrid(g)
	v.saving = true
	v.status.SetText("Saving…")
	v.refreshEditor()
	go func() {
		err := v.sh.svc.UpdateConfig(func(c *config.Config) error {
			c.Quiet.Windows = ws
			return nil
		})
		fyne.Do(func() { v.saveDone(g, err) })
	}()
}

// saveDone shows the outcome of doSave; g is the grid that was saved.
func (v *quietView) saveDone(g viewmodel.Grid, err error) {
	v.saving = false
	if err != nil {
		v.status.SetText("Not saved: " + err.Error())
	} else {
		v.saved = g
		v.status.SetText("Saved to " + v.sh.svc.ConfigPath() + ".")
		v.zone.SetText(viewmodel.GridZone(v.sh.svc.Config().Quiet.Location(v.sh.svc.Location()), time.Now()))
	}
	v.refreshEditor()
}

func (v *quietView) apply(vm viewmodel.QuietVM) {
	v.summary.SetText(vm.Summary)
	v.reason.SetText(vm.Reason)
	if len(vm.Decisions) == 0 {
		v.decisions.SetText("No open pages.")
	} else {
		v.decisions.SetText(strings.Join(vm.Decisions, "\n"))
	}
	if len(vm.Log) == 0 {
		v.log.SetText("Nothing in the last 24 hours.")
	} else {
		v.log.SetText(strings.Join(vm.Log, "\n"))
	}
}

// settingsView edits a copy of the configuration and commits it once.
type settingsView struct {
	root fyne.CanvasObject
}

func newSettingsView(sh *shell) *settingsView {
	draft := sh.svc.Config()
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
	status := widget.NewLabel("Settings are saved to " + sh.svc.ConfigPath())
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
			err := sh.svc.UpdateConfig(func(c *config.Config) error {
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
	return &settingsView{root: container.NewVScroll(container.NewVBox(form, status))}
}

// scheduleView is the Schedule tab.
type scheduleView struct {
	root     fyne.CanvasObject
	headline *widget.Label
	who      *widget.Label
	days     *fyne.Container
	feeds    *widget.Label
}

func newScheduleView(sh *shell) *scheduleView {
	v := &scheduleView{
		headline: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		who:      widget.NewLabel(""),
		days:     container.NewVBox(),
		feeds:    widget.NewLabel(""),
	}
	v.feeds.Wrapping = fyne.TextWrapWord
	refresh := widget.NewButton("Refresh now", func() { sh.svc.RefreshFeeds("") })
	v.root = container.NewVScroll(container.NewVBox(
		v.headline,
		widget.NewCard("On call now", "", v.who),
		widget.NewCard("My shifts, next 90 days", "in your time zone, merged across calendars", v.days),
		widget.NewCard("Calendars", "", container.NewVBox(v.feeds, container.NewHBox(refresh))),
	))
	return v
}

func (v *scheduleView) apply(vm viewmodel.ScheduleVM) {
	v.headline.SetText(vm.Headline)
	if len(vm.Who) == 0 {
		v.who.SetText("Nobody known.")
	} else {
		v.who.SetText(strings.Join(vm.Who, "\n"))
	}
	objs := make([]fyne.CanvasObject, 0, len(vm.Days))
	for _, d := range vm.Days {
		objs = append(objs, widget.NewLabelWithStyle(d.Day, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			widget.NewLabel(strings.Join(d.Shifts, "\n")))
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel("No shifts."))
	}
	v.days.Objects = objs
	v.days.Refresh()
	if vm.Empty != "" {
		v.feeds.SetText(vm.Empty)
	} else {
		v.feeds.SetText(strings.Join(vm.Feeds, "\n"))
	}
}
