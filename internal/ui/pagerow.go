package ui

import (
	"image/color"
	"net/url"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// pageRowWidget is one dense line pair of the Pages list: a severity bar,
// the title with the state at its right, a small line with service ·
// source · age · reason (or the last error), and icon buttons that show
// their words on the selected row. It shows a page or a group header.
type pageRowWidget struct {
	widget.BaseWidget
	bar                   *canvas.Rectangle
	title, state, detail  *canvas.Text
	ack, unack, look, res *widget.Button
	open                  *widget.Button
	// inc declares, hands over or joins the page's incident (selected
	// row); doc opens its living document.
	inc, doc *widget.Button
	// ring is a held row's "Ring me now".
	ring    *widget.Button
	buttons *fyne.Container

	// full are the texts before they are cut to the width laid out.
	full     [3]string
	item     viewmodel.Item
	selected bool
	v        *pagesView
}

func newPageRow(v *pagesView) *pageRowWidget {
	w := &pageRowWidget{v: v, bar: canvas.NewRectangle(color.Transparent),
		title: canvas.NewText("", color.Black), state: canvas.NewText("", color.Black), detail: canvas.NewText("", color.Black)}
	w.title.TextStyle.Bold = true
	ic := v.icons
	w.ack = widget.NewButtonWithIcon("", ic.ack, func() { v.ack(w.item) })
	w.ack.Importance = widget.HighImportance
	w.unack = widget.NewButtonWithIcon("", ic.unack, func() { v.actions.Unack(w.item.Row.ID) })
	w.look = widget.NewButtonWithIcon("", ic.look, func() { v.look(w.item) })
	w.res = widget.NewButtonWithIcon("", ic.res, func() { v.actions.Resolve(w.item.Row.ID) })
	w.open = widget.NewButtonWithIcon("", ic.open, func() { v.open(w.item.Row) })
	w.inc = widget.NewButtonWithIcon("", ic.inc, func() { v.incident(w.item.Row) })
	w.doc = widget.NewButtonWithIcon("", ic.doc, func() { v.openDoc(w.item.Row) })
	w.ring = widget.NewButtonWithIcon("", ic.ring, func() {
		if v.actions.RingNow != nil {
			v.actions.RingNow(w.item.Row.ID)
		}
	})
	w.buttons = container.NewHBox(w.ack, w.unack, w.look, w.ring, w.res, w.inc, w.doc, w.open)
	w.ExtendBaseWidget(w)
	return w
}

// rowIcons are the row buttons' icons, one of each shared by every row
// (sharedIcon: drawn once, not read again at each refresh of each button).
type rowIcons struct{ ack, unack, look, res, open, inc, doc, ring fyne.Resource }

func newRowIcons() rowIcons {
	c := newIconCache()
	fg := theme.ColorNameForeground
	return rowIcons{
		// Ack is a HighImportance button: its icon has the colour Fyne
		// gives a themed icon there.
		ack:   c.icon(theme.ConfirmIcon(), theme.ColorNameForegroundOnPrimary),
		unack: c.icon(theme.ContentUndoIcon(), fg),
		look:  c.icon(theme.VisibilityIcon(), fg),
		res:   c.icon(theme.DeleteIcon(), fg),
		open:  c.icon(theme.ComputerIcon(), fg),
		inc:   c.icon(theme.AccountIcon(), fg),
		doc:   c.icon(theme.DocumentIcon(), fg),
		ring:  c.icon(theme.VolumeUpIcon(), fg),
	}
}

// buttonWords are each button's words, shown on the selected row (the
// icon alone elsewhere).
func (w *pageRowWidget) words() (ack, unack, look, res, open string) {
	if w.item.Header != nil {
		return "Ack all", "", "I'm looking at all", "", ""
	}
	look = "I'm looking"
	if w.item.Row.Looking {
		look = "Stop looking"
	}
	return "Ack", "Un-ack", look, "Resolve", "Open"
}

// set shows it; selected rows show their buttons' words.
func (w *pageRowWidget) set(it viewmodel.Item, selected bool) {
	w.item, w.selected = it, selected
	if h := it.Header; h != nil {
		mark := "▸ "
		if h.Expanded {
			mark = "▾ "
		}
		w.full = [3]string{mark + h.Title, "", groupDetail(h)}
		w.bar.FillColor = severityColor(h.Color)
		setVisible(w.ack, len(h.AckIDs) > 0)
		setVisible(w.look, len(h.LookIDs) > 0)
		w.unack.Hide()
		w.res.Hide()
		w.open.Hide()
		w.inc.Hide()
		w.doc.Hide()
		w.ring.Hide()
	} else {
		r := it.Row
		w.full = [3]string{r.Title, r.State, r.Detail}
		if msg := firstOf(r.Error, r.Queued); msg != "" {
			w.full[2] = msg
		}
		if it.Grouped {
			w.full[0] = "    " + r.Title
		}
		w.bar.FillColor = severityColor(r.Color)
		setVisible(w.ack, r.CanAck)
		setVisible(w.unack, r.CanUnack)
		setVisible(w.look, r.CanLook || r.Looking)
		setVisible(w.res, r.CanResolve && selected)
		setVisible(w.open, r.URL != "")
		setVisible(w.inc, r.Incident.Action != viewmodel.IncidentNone && selected)
		setVisible(w.doc, r.Incident.Doc != "")
		setVisible(w.ring, r.CanRingNow && w.v.actions.RingNow != nil)
	}
	a, u, l, res, o := w.words()
	words := map[*widget.Button]string{w.ack: a, w.unack: u, w.look: l, w.res: res, w.open: o,
		w.inc: string(w.item.Row.Incident.Action), w.doc: "Doc ↗", w.ring: "Ring me now"}
	for b, text := range words {
		if !selected {
			text = ""
		}
		if b.Text != text {
			b.SetText(text)
		}
	}
	w.Refresh()
}

func groupDetail(h *viewmodel.Header) string {
	s := "Enter or click to expand"
	if h.Expanded {
		s = "Enter or click to fold"
	}
	if n := len(h.AckIDs); n > 0 {
		return pluralPages(n) + " waiting for an ack · " + s
	}
	return "all acked · " + s
}

func pluralPages(n int) string {
	if n == 1 {
		return "1 page"
	}
	return strconv.Itoa(n) + " pages"
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// CreateRenderer lays the row out with rowLayout.
func (w *pageRowWidget) CreateRenderer() fyne.WidgetRenderer {
	return &pageRowRenderer{w: w, objects: []fyne.CanvasObject{w.bar, w.title, w.state, w.detail, w.buttons}}
}

type pageRowRenderer struct {
	w       *pageRowWidget
	objects []fyne.CanvasObject
}

func (r *pageRowRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *pageRowRenderer) Destroy()                     {}

// MinSize is two text lines and the padding, or the buttons if taller.
func (r *pageRowRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	h := textHeight(theme.TextSize(), true) + textHeight(theme.CaptionTextSize(), false) + 2*pad
	return fyne.NewSize(200, fyne.Max(h, r.w.buttons.MinSize().Height))
}

func (r *pageRowRenderer) Layout(size fyne.Size) {
	w := r.w
	pad := theme.Padding()
	bar := float32(5)
	w.bar.Move(fyne.NewPos(0, 0))
	w.bar.Resize(fyne.NewSize(bar, size.Height))
	// The list's scroll bar is drawn over the right edge: keep clear of it.
	right := size.Width - theme.Size(theme.SizeNameScrollBar) - pad
	bs := w.buttons.MinSize()
	w.buttons.Resize(bs)
	w.buttons.Move(fyne.NewPos(right-bs.Width, (size.Height-bs.Height)/2))
	left := bar + 2*pad
	textRight := right - bs.Width - pad
	titleH := textHeight(theme.TextSize(), true)
	stateW := fyne.MeasureText(w.full[1], theme.TextSize(), fyne.TextStyle{}).Width
	stateW = fyne.Min(stateW, (textRight-left)/2)
	top := (size.Height - titleH - textHeight(theme.CaptionTextSize(), false)) / 2
	place(w.title, w.full[0], left, top, textRight-left-stateW-2*pad, titleH)
	place(w.state, w.full[1], textRight-stateW, top, stateW, titleH)
	place(w.detail, w.full[2], left, top+titleH, textRight-left, textHeight(theme.CaptionTextSize(), false))
}

// place puts t at (x, y) and cuts its text to width with an ellipsis.
func place(t *canvas.Text, full string, x, y, width, h float32) {
	t.Text = fit(full, t.TextSize, t.TextStyle, width)
	t.Move(fyne.NewPos(x, y))
	t.Resize(fyne.NewSize(fyne.Max(width, 0), h))
}

func (r *pageRowRenderer) Refresh() {
	w := r.w
	fg := theme.Color(theme.ColorNameForeground)
	w.title.Color, w.state.Color, w.detail.Color = fg, fg, fg
	w.title.TextSize, w.state.TextSize = theme.TextSize(), theme.TextSize()
	w.detail.TextSize = theme.CaptionTextSize()
	if w.item.Header == nil && firstOf(w.item.Row.Error, w.item.Row.Queued) != "" {
		w.detail.Color = theme.Color(theme.ColorNameError)
	}
	r.Layout(w.Size())
	w.bar.Refresh()
	w.title.Refresh()
	w.state.Refresh()
	w.detail.Refresh()
}

func textHeight(size float32, bold bool) float32 {
	return fyne.MeasureText("Ág", size, fyne.TextStyle{Bold: bold}).Height
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

// openURL parses a row's link; ok is false when it has none.
func openURL(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	return u, err == nil && raw != ""
}
