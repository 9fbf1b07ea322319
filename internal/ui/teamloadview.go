package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/report"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// teamLoadService is what the Team view reads and the one setting it
// changes ([team] share_load).
type teamLoadService interface {
	TeamLoad(ctx context.Context, now time.Time) (report.TeamLoad, error)
	// PublishMyLoad shares my counts at once when the box is ticked (the
	// app's hourly tick keeps them current).
	PublishMyLoad(ctx context.Context, now time.Time) error
	Config() config.Config
	UpdateConfig(edit func(*config.Config) error, after ...func()) error
}

// teamLoadView is the Team view: who carried how many pages and night
// interruptions over the last weeks, by the counts members share on the
// hub, with whoever carried more than twice the median flagged, and the
// box that shares mine.
type teamLoadView struct {
	svc     teamLoadService
	root    fyne.CanvasObject
	share   *widget.Check
	caption *widget.Label
	note    *widget.Label
	rows    *fyne.Container // name and bars, two cells a member
	shown   viewmodel.TeamLoad
	// changed is told after apply, so the tab lays out the new height
	// (nil: nobody).
	changed func()
}

func newTeamLoadView(svc teamLoadService) *teamLoadView {
	v := &teamLoadView{svc: svc, caption: widget.NewLabel("Not read yet."), note: widget.NewLabel(""),
		rows: container.New(layout.NewFormLayout())}
	v.caption.Wrapping, v.note.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	v.note.Importance = widget.WarningImportance
	v.share = widget.NewCheck("Share my weekly counts with the team (pages, loud, at night; never titles)", v.setShare)
	v.share.Checked = svc.Config().Team.ShareLoad
	refresh := widget.NewButton("Refresh", v.refresh)
	title := widget.NewLabelWithStyle("Team load — pages and night interruptions per member, last 4 weeks",
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.root = container.NewVBox(widget.NewSeparator(), title, v.share, v.caption, v.rows, v.note, container.NewHBox(refresh))
	return v
}

// setShare saves [team] share_load (the app's hourly tick shares it).
func (v *teamLoadView) setShare(on bool) {
	if v.svc.Config().Team.ShareLoad == on {
		return
	}
	err := v.svc.UpdateConfig(func(c *config.Config) error {
		c.Team.ShareLoad = on
		return nil
	})
	if err != nil {
		v.note.SetText("Not saved: " + err.Error())
		v.share.SetChecked(!on)
		return
	}
	v.load(on)
}

// refresh reads the team's load off the UI goroutine and shows it.
func (v *teamLoadView) refresh() { v.load(false) }

// load shares my counts first when publish is set, then reads the team's
// load, off the UI goroutine, and shows it.
func (v *teamLoadView) load(publish bool) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		now := time.Now()
		var pubErr error
		if publish {
			pubErr = v.svc.PublishMyLoad(ctx, now)
		}
		vm := computeTeamLoad(ctx, v.svc, now)
		if pubErr != nil && vm.Note == "" {
			vm.Note = "Your counts are not shared yet: " + pubErr.Error() + " (tried again every hour)."
		}
		fyne.Do(func() { v.apply(vm) })
	}()
}

// computeTeamLoad reads the hub's counts and says what they show.
func computeTeamLoad(ctx context.Context, svc teamLoadService, now time.Time) viewmodel.TeamLoad {
	cfg := svc.Config()
	st := viewmodel.TeamLoadState{Team: len(cfg.Team.URLs) > 0, Sharing: cfg.Team.ShareLoad}
	var t report.TeamLoad
	if st.Team {
		t, st.Err = svc.TeamLoad(ctx, now)
	}
	return viewmodel.NewTeamLoadView(t, st)
}

// apply shows vm; call on the UI goroutine only.
func (v *teamLoadView) apply(vm viewmodel.TeamLoad) {
	v.shown = vm
	v.caption.SetText(vm.Caption)
	v.note.SetText(vm.Note)
	setVisible(v.note, vm.Note != "")
	objs := make([]fyne.CanvasObject, 0, 2*len(vm.Rows))
	for _, r := range vm.Rows {
		objs = append(objs, widget.NewLabelWithStyle(r.Member, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), teamLoadBars(r))
	}
	v.rows.Objects = objs
	v.rows.Refresh()
	if v.changed != nil {
		v.changed()
	}
}

// teamLoadBars is one member's bars, relative to the heaviest member:
// pages, and night interruptions, with the flag in words under them.
func teamLoadBars(r viewmodel.TeamLoadRow) fyne.CanvasObject {
	bar := func(v float64, text string) *widget.ProgressBar {
		b := widget.NewProgressBar()
		b.SetValue(v)
		b.TextFormatter = func() string { return text }
		return b
	}
	bars := container.NewGridWithColumns(2, bar(r.PagesBar, pluralPages(r.Pages)), bar(r.NightBar, fmt.Sprintf("%d at night", r.Night)))
	if r.Flag == "" {
		return bars
	}
	flag := widget.NewLabel("⚠ " + r.Flag)
	flag.Importance = widget.DangerImportance
	flag.Wrapping = fyne.TextWrapWord
	return container.NewVBox(bars, flag)
}
