package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	rows    *fyne.Container
	shown   viewmodel.TeamLoad
}

func newTeamLoadView(svc teamLoadService) *teamLoadView {
	v := &teamLoadView{svc: svc, caption: widget.NewLabel("Not read yet."), note: widget.NewLabel(""), rows: container.NewVBox()}
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
	objs := make([]fyne.CanvasObject, 0, len(vm.Rows))
	for _, r := range vm.Rows {
		objs = append(objs, teamLoadRow(r))
	}
	v.rows.Objects = objs
	v.rows.Refresh()
}

// teamLoadRow is one member: name, a bar of pages relative to the
// heaviest member with the counts on it, one of night interruptions, and
// the flag in words.
func teamLoadRow(r viewmodel.TeamLoadRow) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(r.Member, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	pages := widget.NewProgressBar()
	pages.SetValue(r.PagesBar)
	text := r.Text
	pages.TextFormatter = func() string { return text }
	night := widget.NewProgressBar()
	night.SetValue(r.NightBar)
	night.TextFormatter = func() string { return "at night" }
	bars := container.NewGridWithColumns(2, pages, night)
	row := container.NewBorder(nil, nil, name, nil, bars)
	if r.Flag == "" {
		return row
	}
	flag := widget.NewLabel("⚠ " + r.Flag)
	flag.Importance = widget.DangerImportance
	flag.Wrapping = fyne.TextWrapWord
	return container.NewVBox(row, flag)
}
