package ui

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
)

// sharedIcon is a theme icon for the buttons and marks repeated on every
// row of a list or strip, drawn once per colour and then shared by all of
// them. Fyne reads an SVG icon anew on every refresh of every image that
// shows it (the XML parsed for its aspect, and re-written to colour a
// themed one), and a button's image refreshes three times while it is
// made: with 500 pages that parsing was most of the main thread's first
// apply of the Pages list (perf). A shared icon is instead a bitmap in a
// small format of its own (iconFormat), drawn by the SVG library Fyne
// draws with, at twice the theme's inline icon size: exact at a scale of
// 2, and a 2×2 average at 1, which is how the GL painter's linear
// filtering shrinks it. It is not a fyne.ThemedResource, so the image
// takes its content as it is: the colour follows the theme and its
// variant at each refresh, as a themed icon's does.
type sharedIcon struct {
	src   fyne.Resource
	color fyne.ThemeColorName
	cache *iconCache
}

// Name names the icon in its current colour and size: a new colour or
// size is a new resource.
func (i *sharedIcon) Name() string { return i.current().name }

// Content is the icon in the theme's current colour, as a bitmap (or, if
// the SVG could not be drawn, as Fyne's coloured SVG, which Fyne then
// draws itself).
func (i *sharedIcon) Content() []byte { return i.current().content }

// current is the icon in the theme's current colour and size, drawn the
// first time they are asked for. Fyne asks for the name and the content
// several times at each refresh of each image.
func (i *sharedIcon) current() iconDrawn {
	c := color.NRGBAModel.Convert(theme.Color(i.color)).(color.NRGBA)
	px := iconPixels()
	return i.cache.get(iconKey{i.src.Name(), c, px}, func() iconDrawn {
		base := strings.TrimSuffix(i.src.Name(), ".svg")
		d := iconDrawn{name: fmt.Sprintf("%s-%02x%02x%02x%02x-%dpx", base, c.R, c.G, c.B, c.A, px)}
		svg := theme.NewColoredResource(i.src, i.color).Content()
		var err error
		if d.content, err = rasterize(svg, px, c); err != nil {
			d.content = svg
		}
		return d
	})
}

// iconPixels is the side of a shared icon's bitmap: twice the theme's
// inline icon size.
func iconPixels() int {
	return int(math.Ceil(2 * float64(theme.Size(theme.SizeNameInlineIcon))))
}

// iconKey is one icon (its source's name) in one colour and size: the
// icons made anew for each banner share what was drawn for the first.
type iconKey struct {
	src   string
	color color.NRGBA
	px    int
}

// iconDrawn is an icon's name and content in one colour and size.
type iconDrawn struct {
	name    string
	content []byte
}

// iconCache holds each icon drawn per colour and size for the icons made
// with it; it only grows by those few icons times the colours of the
// themes in use.
type iconCache struct {
	mu sync.Mutex // Content may be asked from any goroutine
	m  map[iconKey]iconDrawn
}

func newIconCache() *iconCache { return &iconCache{m: map[iconKey]iconDrawn{}} }

// icon makes a shared icon: src, a theme icon, in the theme's colour name.
func (c *iconCache) icon(src fyne.Resource, name fyne.ThemeColorName) *sharedIcon {
	return &sharedIcon{src: src, color: name, cache: c}
}

// get returns the icon under key, drawn by draw the first time.
func (c *iconCache) get(key iconKey, draw func() iconDrawn) iconDrawn {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.m[key]; ok {
		return d
	}
	d := draw()
	c.m[key] = d
	return d
}

// iconFormat is the bitmap format of shared icons, a theme icon being
// one colour: its magic, the width and height (big-endian uint16), the
// colour (RGB and 0xff), then each pixel's alpha, row by row. It is registered
// with package image, so Fyne's images decode it: into an *image.RGBA,
// which the GL painter uploads as it is. Small (1.6 kB at 40×40) because
// Fyne copies an image's content twice at each refresh.
const iconFormat = "\x89SBICON"

const iconHeader = len(iconFormat) + 8

func init() {
	image.RegisterFormat("standby-icon", iconFormat, decodeIcon, decodeIconConfig)
}

// rasterize draws svg at px pixels wide (its height from its aspect) in
// iconFormat, in colour c.
func rasterize(svg []byte, px int, c color.Color) (out []byte, err error) {
	icon, err := oksvg.ReadIconStream(bytes.NewReader(svg))
	if err != nil {
		return nil, fmt.Errorf("reading the icon: %w", err)
	}
	if icon.ViewBox.W <= 0 || icon.ViewBox.H <= 0 {
		return nil, errors.New("reading the icon: no view box")
	}
	w, h := px, int(math.Round(float64(px)*icon.ViewBox.H/icon.ViewBox.W))
	if h < 1 || h > math.MaxUint16 || w > math.MaxUint16 {
		return nil, fmt.Errorf("drawing the icon: %d×%d pixels", w, h)
	}
	defer func() {
		if r := recover(); r != nil { // oksvg panics on some paths
			out, err = nil, fmt.Errorf("drawing the icon: %v", r)
		}
	}()
	icon.SetTarget(0, 0, float64(w), float64(h))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	icon.Draw(rasterx.NewDasher(w, h, rasterx.NewScannerGV(w, h, img, img.Bounds())), 1)
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	out = make([]byte, 0, iconHeader+w*h)
	out = append(out, iconFormat...)
	out = binary.BigEndian.AppendUint16(out, uint16(w))
	out = binary.BigEndian.AppendUint16(out, uint16(h))
	out = append(out, n.R, n.G, n.B, 0xff) // the alphas carry its opacity
	for i := 3; i < len(img.Pix); i += 4 {
		out = append(out, img.Pix[i])
	}
	return out, nil
}

func decodeIconConfig(r io.Reader) (image.Config, error) {
	c, _, err := readIconHeader(r)
	return c, err
}

func readIconHeader(r io.Reader) (image.Config, color.NRGBA, error) {
	var h [iconHeader]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return image.Config{}, color.NRGBA{}, fmt.Errorf("reading an icon's header: %w", err)
	}
	f := h[len(iconFormat):]
	w, ht := binary.BigEndian.Uint16(f), binary.BigEndian.Uint16(f[2:])
	return image.Config{ColorModel: color.RGBAModel, Width: int(w), Height: int(ht)},
		color.NRGBA{R: f[4], G: f[5], B: f[6], A: f[7]}, nil
}

// decodeIcon reads an icon into an *image.RGBA: the alphas are read into
// the last quarter of its pixels, then spread over them from the first
// (pixel i is written at 4i, below the alphas not read yet at 3n+j, j>i).
func decodeIcon(r io.Reader) (image.Image, error) {
	cfg, c, err := readIconHeader(r)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, cfg.Width, cfg.Height))
	n := cfg.Width * cfg.Height
	if _, err := io.ReadFull(r, img.Pix[3*n:]); err != nil {
		return nil, fmt.Errorf("reading an icon's pixels: %w", err)
	}
	for i := range n {
		a := uint32(img.Pix[3*n+i])
		img.Pix[4*i] = uint8((uint32(c.R)*a + 0x7f) / 0xff)
		img.Pix[4*i+1] = uint8((uint32(c.G)*a + 0x7f) / 0xff)
		img.Pix[4*i+2] = uint8((uint32(c.B)*a + 0x7f) / 0xff)
		img.Pix[4*i+3] = uint8(a)
	}
	return img, nil
}
