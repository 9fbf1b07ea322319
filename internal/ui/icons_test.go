package ui

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fixedVariant is the theme in one variant whatever the system's.
type fixedVariant struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t fixedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// A shared icon is a bitmap at twice the inline icon size in the theme's
// current colour, made once per colour; its name changes with the colour,
// so an image is not reused in the other variant.
func TestSharedIconFollowsTheTheme(t *testing.T) {
	a := test.NewTempApp(t)
	icons := newIconCache()
	ack := icons.icon(theme.ConfirmIcon(), theme.ColorNameForeground)
	names := map[string]bool{}
	var masks [][]uint8
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		a.Settings().SetTheme(fixedVariant{theme.DefaultTheme(), v})
		got := ack.Content()
		img, format, err := image.Decode(bytes.NewReader(got))
		if err != nil || format != "standby-icon" {
			t.Fatalf("variant %d: decoding: %q, %v", v, format, err)
		}
		side := int(2 * theme.Size(theme.SizeNameInlineIcon))
		if b := img.Bounds(); b.Dx() != side || b.Dy() != side {
			t.Fatalf("variant %d: %v, want %d×%d", v, b, side, side)
		}
		want := color.NRGBAModel.Convert(theme.Color(theme.ColorNameForeground)).(color.NRGBA)
		rgba, ok := img.(*image.RGBA) // what the GL painter uploads as it is
		if !ok {
			t.Fatalf("variant %d: decoded into a %T", v, img)
		}
		opaque := 0
		mask := make([]uint8, 0, side*side)
		for i := 0; i < len(rgba.Pix); i += 4 {
			mask = append(mask, rgba.Pix[i+3])
			if rgba.Pix[i+3] == 0xff {
				opaque++
				if c := (color.NRGBA{rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2], 0xff}); c != want {
					t.Fatalf("variant %d: pixel %v, want the theme's %v", v, c, want)
				}
			}
		}
		if opaque < side { // a check mark's stroke is ~4 px wide at 40 px
			t.Errorf("variant %d: %d opaque pixels: the icon was not drawn", v, opaque)
		}
		masks = append(masks, mask)
		if again := ack.Content(); &again[0] != &got[0] {
			t.Errorf("variant %d: the icon was drawn again", v)
		}
		names[ack.Name()] = true
	}
	if !bytes.Equal(masks[0], masks[1]) {
		t.Error("the icon's shape differs between the variants")
	}
	if len(names) != 2 {
		t.Errorf("names in light and dark: %v, want two", names)
	}
	for n := range names {
		if strings.HasSuffix(n, ".svg") {
			t.Errorf("name %q: Fyne would take it for an SVG by its .svg", n)
		}
	}
}

// Icons made again from the same source (each banner row makes its own)
// share what was drawn: the cache does not grow with the rows.
func TestSharedIconsFromOneSourceAreDrawnOnce(t *testing.T) {
	test.NewTempApp(t)
	icons := newIconCache()
	first := icons.icon(theme.InfoIcon(), theme.ColorNameForeground).Content()
	for range 10 {
		again := icons.icon(theme.InfoIcon(), theme.ColorNameForeground).Content()
		if &again[0] != &first[0] {
			t.Fatal("the same icon was drawn again")
		}
	}
	other := icons.icon(theme.WarningIcon(), theme.ColorNameForeground).Content()
	if bytes.Equal(other, first) {
		t.Error("two different icons share one drawing")
	}
	if n := len(icons.m); n != 2 {
		t.Errorf("%d icons held, want 2", n)
	}
}

// On screen, a shared icon looks like Fyne's own coloured icon: the test
// driver paints both at the inline icon size and the two pictures differ
// by little more than antialiasing.
func TestSharedIconLooksLikeFynes(t *testing.T) {
	test.NewTempApp(t)
	icons := newIconCache()
	for _, src := range []fyne.Resource{theme.ConfirmIcon(), theme.VisibilityIcon(), theme.ComputerIcon(), theme.WarningIcon()} {
		// Disabled is a translucent colour: its opacity is the alphas'.
		for _, c := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameDisabled} {
			compareIcons(t, src.Name()+" in "+string(c), paintIcon(t, icons.icon(src, c)), paintIcon(t, theme.NewColoredResource(src, c)))
		}
	}
}

// compareIcons fails when the two pictures differ by more than 6 of 255
// per channel on average (two different icons differ by 20 to 45).
func compareIcons(t *testing.T, name string, ours, fynes *image.NRGBA) {
	t.Helper()
	var sum, worst int
	for i := range ours.Pix {
		d := int(ours.Pix[i]) - int(fynes.Pix[i])
		d = max(d, -d)
		sum += d
		worst = max(worst, d)
	}
	mean := float64(sum) / float64(len(ours.Pix))
	t.Logf("%s: mean difference %.2f, worst %d (of 255)", name, mean, worst)
	if mean > 6 {
		t.Errorf("%s: mean difference %.2f of 255 per channel from Fyne's icon", name, mean)
	}
}

// paintIcon paints res as a widget.Icon filling an inline-icon-sized
// window, and returns the picture.
func paintIcon(t *testing.T, res fyne.Resource) *image.NRGBA {
	t.Helper()
	w := test.NewTempWindow(t, widget.NewIcon(res))
	w.SetPadded(false)
	s := theme.Size(theme.SizeNameInlineIcon)
	w.Resize(fyne.NewSize(s, s))
	img := w.Canvas().Capture()
	out := image.NewNRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}
