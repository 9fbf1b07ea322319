package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// lineText is one line of text cut to its width with an ellipsis, placed
// and coloured as a widget.Label with TextTruncateEllipsis places and
// colours it. The label shapes its whole text with a new shaper at every
// layout to find the cut (a banner's ~0.5 ms each time, several times
// while a window opens: a third of the main thread's first apply, perf);
// lineText cuts once per width, with a few measurements (fit).
type lineText struct {
	widget.BaseWidget
	// Text is the whole text; what shows is cut to the width.
	Text string
	// Importance colours the text as a label's: warning, danger, success.
	Importance widget.Importance
}

func newLineText(text string) *lineText {
	t := &lineText{Text: text}
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer draws the cut text.
func (t *lineText) CreateRenderer() fyne.WidgetRenderer {
	r := &lineTextRenderer{t: t, text: canvas.NewText("", color.Black), cutFor: -1}
	r.Refresh()
	return r
}

type lineTextRenderer struct {
	t    *lineText
	text *canvas.Text
	// cut is fit's answer for cutText at cutFor wide, kept while the
	// text and the width stay the same.
	cut, cutText string
	cutFor       float32
}

func (r *lineTextRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.text} }
func (r *lineTextRenderer) Destroy()                     {}

// inset is where a label's text starts from its edges.
func (r *lineTextRenderer) inset() float32 {
	return theme.Size(theme.SizeNameInnerPadding)
}

// MinSize is a truncating label's: an "M" and an ellipsis wide, a line
// and its padding high.
func (r *lineTextRenderer) MinSize() fyne.Size {
	size := theme.TextSize()
	m := fyne.MeasureText("M", size, r.text.TextStyle)
	e := fyne.MeasureText("…", size, r.text.TextStyle)
	return fyne.NewSize(m.Width+e.Width, m.Height+2*r.inset())
}

// Layout cuts the text to the width, once per width and text.
func (r *lineTextRenderer) Layout(size fyne.Size) {
	in := r.inset()
	width := size.Width - 2*in
	if width != r.cutFor || r.t.Text != r.cutText || r.text.TextSize != r.textSize() {
		r.text.TextSize = r.textSize()
		r.cut, r.cutText, r.cutFor = fit(r.t.Text, r.text.TextSize, r.text.TextStyle, width), r.t.Text, width
	}
	r.text.Text = r.cut
	r.text.Move(fyne.NewPos(in, in))
	r.text.Resize(fyne.NewSize(fyne.Max(width, 0), r.text.MinSize().Height))
}

func (r *lineTextRenderer) textSize() float32 { return theme.TextSize() }

// Refresh takes the text, the colour and the theme's sizes anew.
func (r *lineTextRenderer) Refresh() {
	r.text.Color = theme.Color(importanceColor(r.t.Importance))
	r.Layout(r.t.Size())
	r.text.Refresh()
}

// importanceColor is the colour a label's text takes for imp.
func importanceColor(imp widget.Importance) fyne.ThemeColorName {
	switch imp {
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	case widget.HighImportance:
		return theme.ColorNamePrimary
	case widget.LowImportance:
		return theme.ColorNameDisabled
	default:
		return theme.ColorNameForeground
	}
}

// fit cuts s to the longest prefix that, with "…", fits in width. Each
// measurement of a new text shapes it with a new shaper (~0.1–0.3 ms), so
// the cut starts from the proportional guess and gallops from there: two
// or three measurements where a binary search over the runes took eight.
func fit(s string, size float32, style fyne.TextStyle, width float32) string {
	if width <= 0 {
		return ""
	}
	full := fyne.MeasureText(s, size, style).Width
	if full <= width {
		return s
	}
	rs := []rune(s)
	fits := func(k int) bool {
		return fyne.MeasureText(string(rs[:k])+"…", size, style).Width <= width
	}
	guess := int(float32(len(rs)) * width / full)
	return string(rs[:longestFit(guess, len(rs)-1, fits)]) + "…"
}

// longestFit is the largest k in [0, hi] for which fits(k), fits being
// true up to some k and false after it (0 when nothing fits). It asks
// fits at guess first, then steps away from it by 1, 2, 4… and ends
// with a binary search between the last two answers.
func longestFit(guess, hi int, fits func(int) bool) int {
	if hi <= 0 {
		return 0
	}
	guess = max(0, min(guess, hi))
	lo := 0 // fits(lo), or lo is 0
	if fits(guess) {
		lo = guess
		step := 1
		for lo+step <= hi && fits(lo+step) {
			lo += step
			step *= 2
		}
		hi = min(hi, lo+step-1)
	} else {
		hi = guess - 1
		for step := 1; ; step *= 2 {
			c := hi - step + 1
			if c <= 0 {
				break // between 0 and hi
			}
			if fits(c) {
				lo = c // between c and hi
				break
			}
			hi = c - 1
		}
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}
