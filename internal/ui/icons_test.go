package ui

import (
	"bytes"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// fixedVariant is the theme in one variant whatever the system's.
type fixedVariant struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t fixedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// A shared icon has the content Fyne's coloured resource has, in the
// theme's current variant, made once per colour; its name changes with
// the colour, so a rendered image is not reused in the other variant.
func TestSharedIconFollowsTheTheme(t *testing.T) {
	a := test.NewTempApp(t)
	icons := newIconCache()
	ack := icons.icon(theme.ConfirmIcon(), theme.ColorNameForeground)
	names := map[string]bool{}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		a.Settings().SetTheme(fixedVariant{theme.DefaultTheme(), v})
		want := theme.NewColoredResource(theme.ConfirmIcon(), theme.ColorNameForeground).Content()
		got := ack.Content()
		if !bytes.Equal(got, want) {
			t.Errorf("variant %d: content differs from Fyne's coloured icon", v)
		}
		if again := ack.Content(); &again[0] != &got[0] {
			t.Errorf("variant %d: the icon was coloured again", v)
		}
		names[ack.Name()] = true
	}
	if len(names) != 2 {
		t.Errorf("names in light and dark: %v, want two", names)
	}
	for n := range names {
		if !bytes.HasSuffix([]byte(n), []byte(".svg")) {
			t.Errorf("name %q: Fyne takes it for an SVG by its .svg", n)
		}
	}
}
