package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// standbyTheme is Fyne's default theme, which follows the system's light
// or dark setting, with the colours that carry text darkened (light) or
// lightened (dark) where the default falls short of WCAG's 4.5:1 against
// the backgrounds they are drawn on; theme_test.go checks every pair.
type standbyTheme struct{ fyne.Theme }

// newTheme returns the app's theme.
func newTheme() fyne.Theme { return standbyTheme{theme.DefaultTheme()} }

// textColors are the overrides, per variant.
var textColors = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	// On white, and on the blue of a selected row (the hardest case).
	theme.VariantLight: {
		theme.ColorNameError:       color.NRGBA{R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0x8a, G: 0x4b, B: 0x00, A: 0xff},
		theme.ColorNameSuccess:     color.NRGBA{R: 0x1b, G: 0x5e, B: 0x20, A: 0xff},
		theme.ColorNamePrimary:     color.NRGBA{R: 0x0b, G: 0x4f, B: 0xc0, A: 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{R: 0x0b, G: 0x4f, B: 0xc0, A: 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0x59, G: 0x59, B: 0x59, A: 0xff},
	},
	// On near-black: a lighter red and blue, and dark text on the blue.
	theme.VariantDark: {
		theme.ColorNameError:               color.NRGBA{R: 0xff, G: 0x6e, B: 0x66, A: 0xff},
		theme.ColorNamePrimary:             color.NRGBA{R: 0x6e, G: 0xa6, B: 0xff, A: 0xff},
		theme.ColorNameHyperlink:           color.NRGBA{R: 0x6e, G: 0xa6, B: 0xff, A: 0xff},
		theme.ColorNameForegroundOnPrimary: color.NRGBA{R: 0x17, G: 0x17, B: 0x18, A: 0xff},
	},
}

// Color returns the override for name in variant, else the default's.
func (t standbyTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := textColors[v][name]; ok {
		return c
	}
	return t.Theme.Color(name, v)
}
