package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// lazyTab is a tab whose view goes into the window the first time the
// tab is shown. Until then Fyne neither measures nor lays out nor
// refreshes it (AppTabs measures every tab's content, shown or not), and
// the latest view-model for it waits in pending: five tabs nobody looks
// at before the window is ready cost start-up time (issue #12).
type lazyTab struct {
	item    *container.TabItem
	root    fyne.CanvasObject
	pending func()
	// prepare holds what readies the view when it is first shown, in order,
	// before pending.
	prepare []func()
}

// newLazyTab makes the tab with an empty stand-in for root.
func newLazyTab(title string, root fyne.CanvasObject) *lazyTab {
	return &lazyTab{item: container.NewTabItem(title, container.NewStack()), root: root}
}

// beforeShow adds f to what readies the view when it is first shown:
// what only that tab shows is built then, not at start.
func (l *lazyTab) beforeShow(f func()) { l.prepare = append(l.prepare, f) }

// shown reports whether the view is in the window.
func (l *lazyTab) shown() bool { return l.item.Content == l.root }

// apply runs f, which applies a view-model to the tab's view, now if the
// view is in the window, or when it is first shown (the latest f wins).
func (l *lazyTab) apply(f func()) {
	if l.shown() {
		f()
		return
	}
	l.pending = f
}

// show puts the view in its tab and applies what waited; it reports
// whether it did, the tabs then need a refresh.
func (l *lazyTab) show() bool {
	if l.shown() {
		return false
	}
	l.item.Content = l.root
	for _, f := range l.prepare {
		f()
	}
	l.prepare = nil
	if f := l.pending; f != nil {
		l.pending = nil
		f()
	}
	return true
}
