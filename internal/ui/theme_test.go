package ui

import (
	"image/color"
	"log/slog"
	"math"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/trayhost"
)

// luminance is WCAG 2's relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over composites c (possibly translucent) over the opaque bg.
func over(c, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(n.R, b.R), G: mix(n.G, b.G), B: mix(n.B, b.B), A: 255}
}

// Labels of low importance are drawn in the disabled colour, far below
// 4.5:1: Standby's views use none.
func TestNoLowImportanceLabels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		svc.snap = demoSnapshot(3, time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC))
		a := test.NewTempApp(t)
		sh := newShell(a, svc, trayhost.Result{Bus: true, Host: true}, slog.New(slog.DiscardHandler))
		defer sh.win.Close()
		vm, _ := sh.compute(t.Context(), svc.snap.At, sh.tray)
		sh.apply(vm)
		for i, tab := range sh.tabs.Items {
			// A tab's view is put in the window when first shown; the
			// Report tab then reads the history in the background.
			sh.tabs.SelectIndex(i)
			synctest.Wait()
			for _, o := range test.LaidOutObjects(tab.Content) {
				if l, ok := o.(*widget.Label); ok && l.Importance == widget.LowImportance && l.Text != "" {
					t.Errorf("tab %s: label %q is drawn in the disabled colour", tab.Text, l.Text)
				}
			}
		}
	})
}

// TestThemeTextContrast checks, in light and dark, every text colour
// Standby draws against every background it is drawn on: ≥ 4.5:1.
func TestThemeTextContrast(t *testing.T) {
	th := newTheme()
	texts := []fyne.ThemeColorName{
		theme.ColorNameForeground, theme.ColorNameError, theme.ColorNameWarning,
		theme.ColorNameSuccess, theme.ColorNamePrimary, theme.ColorNamePlaceHolder, theme.ColorNameHyperlink,
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		bg := th.Color(theme.ColorNameBackground, v)
		backs := map[string]color.Color{
			"background": bg,
			"input":      over(th.Color(theme.ColorNameInputBackground, v), bg),
			"hover":      over(th.Color(theme.ColorNameHover, v), bg),
			"selection":  over(th.Color(theme.ColorNameSelection, v), bg),
			"header":     over(th.Color(theme.ColorNameHeaderBackground, v), bg),
		}
		for _, fg := range texts {
			for name, b := range backs {
				if c := contrast(over(th.Color(fg, v), b), b); c < 4.5 {
					t.Errorf("variant %d: %s on %s is %.2f:1", v, fg, name, c)
				}
			}
		}
		// Text on filled buttons.
		for fg, fill := range map[fyne.ThemeColorName]fyne.ThemeColorName{
			theme.ColorNameForegroundOnPrimary: theme.ColorNamePrimary,
			theme.ColorNameForegroundOnError:   theme.ColorNameError,
			theme.ColorNameForegroundOnWarning: theme.ColorNameWarning,
			theme.ColorNameForegroundOnSuccess: theme.ColorNameSuccess,
			theme.ColorNameForeground:          theme.ColorNameButton,
		} {
			f := over(th.Color(fill, v), bg)
			if c := contrast(over(th.Color(fg, v), f), f); c < 4.5 {
				t.Errorf("variant %d: %s on %s is %.2f:1", v, fg, fill, c)
			}
		}
	}
}
