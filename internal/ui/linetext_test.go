package ui

import (
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// longestFit finds the last k that fits from any guess, and asks little
// when the guess is right.
func TestLongestFitFindsTheLastThatFits(t *testing.T) {
	for hi := 0; hi <= 40; hi++ {
		for last := -1; last <= hi; last++ { // -1: nothing fits
			for guess := -2; guess <= hi+2; guess++ {
				calls := 0
				fits := func(k int) bool {
					calls++
					if k < 0 || k > hi {
						t.Fatalf("hi %d: asked about %d", hi, k)
					}
					return k <= last
				}
				got := longestFit(guess, hi, fits)
				if want := max(last, 0); got != want {
					t.Fatalf("hi %d, last fitting %d, guess %d: got %d", hi, last, guess, got)
				}
				if guess == last && calls > 2 {
					t.Errorf("hi %d, right guess %d: %d measurements", hi, guess, calls)
				}
				if calls > 14 {
					t.Errorf("hi %d, last %d, guess %d: %d measurements", hi, last, guess, calls)
				}
			}
		}
	}
}

// fit keeps a text that fits, and otherwise cuts it to the longest prefix
// that fits with its ellipsis.
func TestFitCutsToTheWidth(t *testing.T) {
	test.NewTempApp(t)
	size, style := theme.TextSize(), fyne.TextStyle{}
	s := "Demo data: these pages and this calendar are made up. Add a real source in the Sources tab."
	full := fyne.MeasureText(s, size, style).Width
	if got := fit(s, size, style, full); got != s {
		t.Fatalf("a text as wide as the width was cut: %q", got)
	}
	for _, width := range []float32{5, 40, 100, 250, 333, full - 1} {
		got := fit(s, size, style, width)
		if !strings.HasSuffix(got, "…") {
			t.Fatalf("width %v: %q has no ellipsis", width, got)
		}
		prefix := []rune(strings.TrimSuffix(got, "…"))
		if !strings.HasPrefix(s, string(prefix)) {
			t.Fatalf("width %v: %q is not a prefix", width, got)
		}
		if len(prefix) > 0 && fyne.MeasureText(got, size, style).Width > width {
			t.Errorf("width %v: %q is wider", width, got)
		}
		if next := string([]rune(s)[:len(prefix)+1]) + "…"; fyne.MeasureText(next, size, style).Width <= width {
			t.Errorf("width %v: %q fits too, longer than %q", width, next, got)
		}
	}
	if got := fit(s, size, style, 0); got != "" {
		t.Errorf("no width: %q", got)
	}
}

// A lineText is painted as a label with the same text and importance,
// and is as small as a truncating label.
func TestLineTextLooksLikeALabel(t *testing.T) {
	test.NewTempApp(t)
	for _, imp := range []widget.Importance{widget.MediumImportance, widget.WarningImportance, widget.DangerImportance} {
		text := "The alarm cannot be heard"
		l := widget.NewLabel(text)
		l.Truncation, l.Importance = fyne.TextTruncateEllipsis, imp
		lt := newLineText(text)
		lt.Importance = imp
		if a, b := l.MinSize(), lt.MinSize(); a != b {
			t.Errorf("importance %d: min size %v, a label's %v", imp, b, a)
		}
		if diff := paintedDiff(t, l, lt, fyne.NewSize(400, 40)); diff != 0 {
			t.Errorf("importance %d: %d pixels differ from the label's", imp, diff)
		}
	}
}

// A long lineText shows the start of its text and an ellipsis inside its
// width, and its whole text again when it is wide enough.
func TestLineTextCutsToItsWidth(t *testing.T) {
	test.NewTempApp(t)
	text := strings.Repeat("a long banner text ", 10)
	lt := newLineText(text)
	w := test.NewTempWindow(t, lt)
	w.SetPadded(false)
	for _, width := range []float32{300, 200, 300, 2000} {
		w.Resize(fyne.NewSize(width, 40))
		r := test.TempWidgetRenderer(t, lt).(*lineTextRenderer)
		shown := r.text.Text
		if width == 2000 {
			if shown != text {
				t.Errorf("width %v: shows %q", width, shown)
			}
			continue
		}
		if !strings.HasSuffix(shown, "…") || !strings.HasPrefix(text, strings.TrimSuffix(shown, "…")) {
			t.Fatalf("width %v: shows %q", width, shown)
		}
		if got := fyne.MeasureText(shown, theme.TextSize(), fyne.TextStyle{}).Width; got > width-2*r.inset() {
			t.Errorf("width %v: %q is %v wide", width, shown, got)
		}
	}
	lt.Text = "short"
	lt.Refresh()
	if got := test.TempWidgetRenderer(t, lt).(*lineTextRenderer).text.Text; got != "short" {
		t.Errorf("after a new text: shows %q", got)
	}
}

// paintedDiff paints a and b alone in windows of size and counts the
// pixels that differ.
func paintedDiff(t *testing.T, a, b fyne.CanvasObject, size fyne.Size) int {
	t.Helper()
	paint := func(o fyne.CanvasObject) image.Image {
		w := test.NewTempWindow(t, o)
		w.SetPadded(false)
		w.Resize(size)
		return w.Canvas().Capture()
	}
	ia, ib := paint(a), paint(b)
	if ia.Bounds() != ib.Bounds() {
		t.Fatalf("sizes %v and %v", ia.Bounds(), ib.Bounds())
	}
	n := 0
	for y := ia.Bounds().Min.Y; y < ia.Bounds().Max.Y; y++ {
		for x := ia.Bounds().Min.X; x < ia.Bounds().Max.X; x++ {
			if ia.At(x, y) != ib.At(x, y) {
				n++
			}
		}
	}
	return n
}
