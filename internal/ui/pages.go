package ui

import (
	"net/url"
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// PageActions are what a page row can do; the shell wires them to the
// application service.
type PageActions struct {
	Ack, Unack, Resolve, Look, Release func(page.ID)
	Open                               func(u *url.URL)
	// Silence stops the alarm; nil hides the button.
	Silence func()
	// Incident declares, hands over or joins the page's incident (the
	// shell asks for the doc link or the new commander); nil: never.
	Incident func(id page.ID, act viewmodel.IncidentAction)
	// RingNow ends a held page's hold and rings it now ("Ring me now");
	// nil hides the button.
	RingNow func(page.ID)
}

// pagesView is the Pages tab: filters and a search box above a
// virtualised list of pages, Alertmanager groups folded under a header.
// The selection is a page id (or a group key), never a row index: the
// list re-sorts under it as pages come and go. It only applies
// view-models; actions go out through callbacks.
type pagesView struct {
	vm       viewmodel.PagesVM
	applied  bool // vm was applied at least once
	opts     viewmodel.ListOptions
	items    []viewmodel.Item
	actions  PageActions
	list     *pageList
	empty    *widget.Label
	filter   *widget.RadioGroup
	search   *widget.Entry
	silence  *widget.Button // shown while the alarm rings
	selected page.ID        // zero: none
	root     *fyne.Container
	icons    rowIcons // the rows' buttons' icons
}

func newPagesView(a PageActions) *pagesView {
	v := &pagesView{actions: a, opts: viewmodel.ListOptions{Expanded: map[string]bool{}}, icons: newRowIcons()}
	v.empty = widget.NewLabel("")
	v.empty.Wrapping = fyne.TextWrapWord
	v.empty.Alignment = fyne.TextAlignCenter
	v.list = newPageList(v,
		func() int { return len(v.items) },
		func() fyne.CanvasObject { return newPageRow(v) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.items) {
				it := v.items[i]
				o.(*pageRowWidget).set(it, it.ID() == v.selected)
			}
		},
	)
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.items) && v.items[i].ID() != v.selected {
			v.selected = v.items[i].ID()
			v.list.RefreshItem(i)
		}
	}
	v.list.OnUnselected = func(i widget.ListItemID) {
		if i < len(v.items) && v.items[i].ID() == v.selected {
			v.selected = page.ID{}
		}
		v.list.RefreshItem(i)
	}
	v.filter = widget.NewRadioGroup(viewmodel.FilterNames, func(s string) {
		for i, n := range viewmodel.FilterNames {
			if n == s {
				v.opts.Filter = viewmodel.Filter(i)
			}
		}
		v.relist()
	})
	v.filter.Horizontal = true
	v.filter.Required = true
	v.filter.Selected = viewmodel.FilterNames[viewmodel.FilterAll]
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Search pages ( / )")
	v.search.OnChanged = func(q string) {
		v.opts.Query = q
		v.relist()
	}
	// Enter in the search box goes to the list, selecting the first match.
	v.search.OnSubmitted = func(string) {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.list); c != nil {
			c.Focus(v.list)
		}
		if v.selected.IsZero() {
			v.move(1)
		}
	}
	v.silence = widget.NewButton("Silence alarm", func() {
		if v.actions.Silence != nil {
			v.actions.Silence()
		}
	})
	v.silence.Importance = widget.DangerImportance
	v.silence.Hide()
	bar := container.NewBorder(nil, nil, v.filter, v.silence, v.search)
	v.root = container.NewBorder(bar, nil, nil, nil, container.NewStack(v.list, v.empty))
	return v
}

// apply shows vm; call on the UI goroutine only.
func (v *pagesView) apply(vm viewmodel.PagesVM) {
	// The other views' changes (a source's "polled 20 s ago") come here
	// too: an unchanged list is not refreshed, nor the window redrawn.
	if v.applied && reflect.DeepEqual(v.vm, vm) {
		return
	}
	v.vm, v.applied = vm, true
	if vm.Ringing && v.actions.Silence != nil {
		v.silence.Show()
	} else {
		v.silence.Hide()
	}
	v.relist()
}

// relist recomputes the lines from the view-model and the user's choices
// and keeps the selection on the same page wherever it now sorts.
func (v *pagesView) relist() {
	v.items = viewmodel.PageList(v.vm, v.opts)
	msg := v.vm.Empty
	if msg == "" && len(v.items) == 0 {
		msg = "No page matches this filter or search."
	}
	v.empty.SetText(msg)
	setVisible(v.empty, msg != "")
	v.list.Refresh()
	if v.selected.IsZero() {
		return
	}
	if i, ok := v.index(v.selected); ok {
		v.list.Select(i)
		return
	}
	v.selected = page.ID{}
	v.list.UnselectAll()
}

func (v *pagesView) index(id page.ID) (int, bool) {
	for i, it := range v.items {
		if it.ID() == id {
			return i, true
		}
	}
	return 0, false
}

// current returns the selected line.
func (v *pagesView) current() (viewmodel.Item, bool) {
	if v.selected.IsZero() {
		return viewmodel.Item{}, false
	}
	i, ok := v.index(v.selected)
	if !ok {
		return viewmodel.Item{}, false
	}
	return v.items[i], true
}

// key handles the shortcuts on the selected line: a ack, l looking,
// Enter open (a page) or fold/unfold (a group), / search.
func (v *pagesView) key(r rune) {
	if r == '/' {
		if c := fyne.CurrentApp().Driver().CanvasForObject(v.search); c != nil {
			c.Focus(v.search)
		}
		return
	}
	it, ok := v.current()
	if !ok {
		return
	}
	switch r {
	case 'a':
		v.ack(it)
	case 'l':
		v.look(it)
	case '\n':
		if it.Header != nil {
			v.toggle(it.Header.Key)
		} else {
			v.open(it.Row)
		}
	}
}

// move selects the line d lines below (above, when negative) the
// selected one, or the first line when none is selected.
func (v *pagesView) move(d int) {
	if len(v.items) == 0 {
		return
	}
	i, ok := v.index(v.selected)
	switch {
	case !ok:
		i = 0
	default:
		i = min(max(i+d, 0), len(v.items)-1)
	}
	v.list.Select(i)
	v.list.ScrollTo(i)
}

func (v *pagesView) ack(it viewmodel.Item) {
	if h := it.Header; h != nil {
		for _, id := range h.AckIDs {
			v.actions.Ack(id)
		}
		return
	}
	if it.Row.CanAck {
		v.actions.Ack(it.Row.ID)
	}
}

func (v *pagesView) look(it viewmodel.Item) {
	if h := it.Header; h != nil {
		for _, id := range h.LookIDs {
			v.actions.Look(id)
		}
		return
	}
	switch {
	case it.Row.Looking:
		v.actions.Release(it.Row.ID)
	case it.Row.CanLook:
		v.actions.Look(it.Row.ID)
	}
}

func (v *pagesView) toggle(key string) {
	v.opts.Expanded[key] = !v.opts.Expanded[key]
	v.relist()
}

// incident runs the row's incident action.
func (v *pagesView) incident(row viewmodel.PageRow) {
	if v.actions.Incident != nil && row.Incident.Action != viewmodel.IncidentNone {
		v.actions.Incident(row.ID, row.Incident.Action)
	}
}

// openDoc opens the living document of the row's incident.
func (v *pagesView) openDoc(row viewmodel.PageRow) {
	if u, ok := openURL(row.Incident.Doc); ok {
		v.actions.Open(u)
	}
}

func (v *pagesView) open(row viewmodel.PageRow) {
	if u, ok := openURL(row.URL); ok {
		v.actions.Open(u)
	}
}

// pageList is the Pages list with Standby's keys when it has the focus
// (reached with Tab): arrows select, a, l, Enter and / act on the
// selected page or group by id, as they do when nothing is focused.
type pageList struct {
	widget.List
	v *pagesView
}

func newPageList(v *pagesView, length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *pageList {
	l := &pageList{v: v}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedRune handles a, l and /.
func (l *pageList) TypedRune(r rune) { l.v.key(r) }

// TypedKey handles the arrows and Enter; other keys go to the list.
func (l *pageList) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyUp:
		l.v.move(-1)
	case fyne.KeyDown:
		l.v.move(1)
	case fyne.KeyReturn, fyne.KeyEnter:
		l.v.key('\n')
	default:
		l.List.TypedKey(e)
	}
}
