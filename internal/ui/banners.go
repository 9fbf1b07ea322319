package ui

import (
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// bannersView is the strip above the tabs: one line per banner, at most
// viewmodel.MaxBanners at once, the rest behind "N more"; a banner leaves
// as soon as the snapshot no longer carries it. Dismissals last while the
// banner's cause does.
type bannersView struct {
	root      *fyne.Container
	win       fyne.Window
	banners   []app.Banner
	dismissed map[string]bool
	all       bool
	// shown is what the strip shows (nil before the first render): the
	// views are re-applied whenever anything on screen changes, and new
	// rows (icons drawn, text measured) are built only when it changed.
	shown *viewmodel.BannersVM
	icons *iconCache // the rows' icons, drawn once (sharedIcon)
}

func newBannersView(win fyne.Window) *bannersView {
	return &bannersView{root: container.NewVBox(), win: win, dismissed: map[string]bool{}, icons: newIconCache()}
}

// icon is the theme icon src, shared by every banner.
func (v *bannersView) icon(src fyne.Resource) fyne.Resource {
	return v.icons.icon(src, theme.ColorNameForeground)
}

// apply shows bs; call on the UI goroutine only.
func (v *bannersView) apply(bs []app.Banner) {
	v.banners = bs
	v.dismissed = viewmodel.Present(v.dismissed, bs)
	v.render()
}

func (v *bannersView) render() {
	vm := viewmodel.Banners(v.banners, v.dismissed, v.all)
	if v.shown != nil && reflect.DeepEqual(*v.shown, vm) {
		return
	}
	v.shown = &vm
	objs := make([]fyne.CanvasObject, 0, len(vm.Shown)+1)
	for _, b := range vm.Shown {
		objs = append(objs, v.row(b))
	}
	if more := vm.More + vm.Less; more != "" {
		link := widget.NewButton(more, func() {
			v.all = !v.all
			v.render()
		})
		link.Importance = widget.LowImportance
		objs = append(objs, container.NewHBox(link))
	}
	v.root.Objects = objs
	v.root.Refresh()
}

// row is one banner: icon, the text on one line, the whole text on
// request, and a close button where dismissing is safe.
func (v *bannersView) row(b viewmodel.BannerRow) fyne.CanvasObject {
	text := newLineText(b.Text)
	icon := v.icon(theme.InfoIcon())
	switch b.Level {
	case "error":
		text.Importance, icon = widget.DangerImportance, v.icon(theme.ErrorIcon())
	case "warning":
		text.Importance, icon = widget.WarningImportance, v.icon(theme.WarningIcon())
	}
	full := b.Text
	more := widget.NewButtonWithIcon("", v.icon(theme.MoreHorizontalIcon()), func() {
		dialog.ShowInformation("Standby", full, v.win)
	})
	more.Importance = widget.LowImportance
	right := container.NewHBox(more)
	if b.Dismissible {
		key := b.Key
		closer := widget.NewButtonWithIcon("", v.icon(theme.CancelIcon()), func() {
			v.dismissed[key] = true
			v.render()
		})
		closer.Importance = widget.LowImportance
		right.Add(closer)
	}
	return container.NewBorder(nil, nil, widget.NewIcon(icon), right, text)
}
