package ui

import (
	"image/color"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// PageActions are the buttons of a page row.
type PageActions struct {
	Ack, Unack, Resolve, Look, Release func(page.ID)
	Open                               func(u *url.URL)
}

// pagesView is the Pages tab: a virtualised list of rows plus the empty
// state. It only applies view-models; actions go out through callbacks.
type pagesView struct {
	vm       viewmodel.PagesVM
	actions  PageActions
	list     *widget.List
	empty    *widget.Label
	selected int
	root     *fyne.Container
}

func newPagesView(a PageActions) *pagesView {
	v := &pagesView{actions: a, selected: -1}
	v.empty = widget.NewLabel("")
	v.empty.Wrapping = fyne.TextWrapWord
	v.empty.Alignment = fyne.TextAlignCenter
	v.list = widget.NewList(
		func() int { return len(v.vm.Rows) },
		func() fyne.CanvasObject { return newPageRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.vm.Rows) {
				o.(*pageRowWidget).set(v.vm.Rows[i], v.actions)
			}
		},
	)
	v.list.OnSelected = func(i widget.ListItemID) { v.selected = i }
	v.list.OnUnselected = func(widget.ListItemID) { v.selected = -1 }
	v.root = container.NewStack(v.list, container.NewCenter(v.empty))
	return v
}

// apply shows vm; call on the UI goroutine only.
func (v *pagesView) apply(vm viewmodel.PagesVM) {
	v.vm = vm
	v.empty.SetText(vm.Empty)
	if vm.Empty == "" {
		v.empty.Hide()
	} else {
		v.empty.Show()
	}
	if v.selected >= len(vm.Rows) {
		v.list.UnselectAll()
	}
	v.list.Refresh()
}

// current returns the selected row.
func (v *pagesView) current() (viewmodel.PageRow, bool) {
	if v.selected < 0 || v.selected >= len(v.vm.Rows) {
		return viewmodel.PageRow{}, false
	}
	return v.vm.Rows[v.selected], true
}

// key handles the keyboard shortcuts: a ack, l looking, Enter open.
func (v *pagesView) key(r rune) {
	row, ok := v.current()
	if !ok {
		return
	}
	switch r {
	case 'a':
		if row.CanAck {
			v.actions.Ack(row.ID)
		}
	case 'l':
		if row.CanLook {
			v.actions.Look(row.ID)
		}
	case '\n':
		v.open(row)
	}
}

func (v *pagesView) open(row viewmodel.PageRow) {
	if u, err := url.Parse(row.URL); err == nil && row.URL != "" {
		v.actions.Open(u)
	}
}

// pageRowWidget is one row: severity bar, text, state, buttons.
type pageRowWidget struct {
	widget.BaseWidget
	bar                             *canvas.Rectangle
	title, sub, state, reason, err  *widget.Label
	ack, unack, look, resolve, open *widget.Button
	row                             viewmodel.PageRow
	actions                         PageActions
}

func newPageRow() *pageRowWidget {
	w := &pageRowWidget{
		bar:   canvas.NewRectangle(color.Transparent),
		title: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		sub:   widget.NewLabel(""), state: widget.NewLabel(""), reason: widget.NewLabel(""), err: widget.NewLabel(""),
	}
	w.title.Truncation = fyne.TextTruncateEllipsis
	w.reason.Truncation = fyne.TextTruncateEllipsis
	w.reason.Importance = widget.LowImportance
	w.err.Importance = widget.DangerImportance
	w.bar.SetMinSize(fyne.NewSize(6, 10))
	w.ack = widget.NewButtonWithIcon("Ack", theme.ConfirmIcon(), func() { w.actions.Ack(w.row.ID) })
	w.ack.Importance = widget.HighImportance
	w.unack = widget.NewButton("Un-ack", func() { w.actions.Unack(w.row.ID) })
	w.look = widget.NewButtonWithIcon("I'm looking", theme.VisibilityIcon(), func() {
		if w.row.Looking {
			w.actions.Release(w.row.ID)
		} else {
			w.actions.Look(w.row.ID)
		}
	})
	w.resolve = widget.NewButton("Resolve", func() { w.actions.Resolve(w.row.ID) })
	w.open = widget.NewButtonWithIcon("", theme.ComputerIcon(), func() {
		if u, err := url.Parse(w.row.URL); err == nil && w.row.URL != "" {
			w.actions.Open(u)
		}
	})
	w.ExtendBaseWidget(w)
	return w
}

func (w *pageRowWidget) set(r viewmodel.PageRow, a PageActions) {
	w.row, w.actions = r, a
	w.bar.FillColor = severityColor(r.Color)
	w.bar.Refresh()
	w.title.SetText(r.Title)
	w.sub.SetText(r.Subtitle)
	w.state.SetText(r.State)
	w.reason.SetText(r.Reason)
	msg := r.Error
	if msg == "" {
		msg = r.Queued
	}
	w.err.SetText(msg)
	setVisible(w.err, msg != "")
	setVisible(w.ack, r.CanAck)
	setVisible(w.unack, r.CanUnack)
	if r.Looking {
		w.look.SetText("Stop looking")
	} else {
		w.look.SetText("I'm looking")
	}
	setVisible(w.look, r.CanLook || r.Looking)
	setVisible(w.open, r.URL != "")
}

// CreateRenderer lays the row out.
func (w *pageRowWidget) CreateRenderer() fyne.WidgetRenderer {
	text := container.NewVBox(w.title, container.NewHBox(w.sub, w.state), w.reason, w.err)
	buttons := container.NewHBox(w.ack, w.unack, w.look, w.resolve, w.open)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, w.bar, container.NewCenter(buttons), text))
}

func setVisible(o fyne.CanvasObject, v bool) {
	if v {
		o.Show()
	} else {
		o.Hide()
	}
}

func severityColor(name string) color.Color {
	switch name {
	case viewmodel.ColorError:
		return theme.Color(theme.ColorNameError)
	case viewmodel.ColorWarning:
		return theme.Color(theme.ColorNameWarning)
	case viewmodel.ColorSuccess:
		return theme.Color(theme.ColorNameSuccess)
	default:
		return theme.Color(theme.ColorNameDisabled)
	}
}
