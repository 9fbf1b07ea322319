package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// quietView is the Quiet hours tab: the current state, the ad-hoc
// buttons, the weekly grid editor and why each open page rang or not.
type quietView struct {
	cfg       configService
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

func newQuietView(cfgs configService, ta TrayActions) *quietView {
	v := &quietView{
		cfg:       cfgs,
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
	buttons := container.NewHBox(
		widget.NewButton("Quiet for 1 hour", ta.QuietHour),
		widget.NewButton("Quiet until tomorrow 08:00", ta.QuietNight),
		widget.NewButton("Resume now", ta.Resume),
	)
	cfg := cfgs.Config()
	v.saved = viewmodel.GridFromWindows(cfg.Quiet.Windows)
	v.grid = newQuietGrid(v.saved)
	v.grid.OnChanged = func(viewmodel.Grid) { v.edited() }
	v.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), v.doSave)
	v.save.Importance = widget.HighImportance
	v.revert = widget.NewButton("Revert", func() {
		v.grid.SetGrid(v.saved)
		v.edited()
	})
	hint := widget.NewLabel("Click an hour to switch it; drag to paint several. A night belongs to the day it starts.")
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

// prepare fills the editor from the config: the zone, a note on windows
// that are not whole hours, the grid in words, and Save and Revert
// disabled. The window calls it when the tab is first shown (lazyTab):
// setting labels and disabling buttons lays them out, which costs start-up
// time for a tab nobody looks at yet.
func (v *quietView) prepare() {
	cfg := v.cfg.Config()
	v.zone.SetText(viewmodel.GridZone(cfg.Quiet.Location(v.cfg.Location()), time.Now()))
	if !viewmodel.HourAligned(cfg.Quiet.Windows) {
		v.status.SetText("Some windows in " + v.cfg.ConfigPath() + " start or end between hours; the grid shows them widened to whole hours, and saving stores whole hours.")
	}
	v.refreshEditor()
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
		err := v.cfg.UpdateConfig(func(c *config.Config) error {
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
		v.status.SetText("Saved to " + v.cfg.ConfigPath() + ".")
		v.zone.SetText(viewmodel.GridZone(v.cfg.Config().Quiet.Location(v.cfg.Location()), time.Now()))
	}
	v.refreshEditor()
}

func (v *quietView) apply(vm viewmodel.QuietVM) {
	setText(v.summary, vm.Summary)
	setText(v.reason, vm.Reason)
	if len(vm.Decisions) == 0 {
		setText(v.decisions, "No open pages.")
	} else {
		setText(v.decisions, strings.Join(vm.Decisions, "\n"))
	}
	if len(vm.Log) == 0 {
		setText(v.log, "Nothing in the last 24 hours.")
	} else {
		setText(v.log, strings.Join(vm.Log, "\n"))
	}
}
