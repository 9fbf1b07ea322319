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
// themed one), and a button's image refreshes when it is made and again
// when it is first laid out: with 500 pages that parsing was most of the
// main thread's first apply of the Pages list (perf). A shared icon is
// instead a bitmap in a trivial format (iconFormat) that decodes with one
// copy, drawn at twice the theme's inline icon size: exact at a scale of
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
func (i *sharedIcon) Name() string {
	return i.key(theme.Color(i.color), iconPixels())
}

// Content is the icon in the theme's current colour, as a bitmap (or, if
// the SVG could not be drawn, as Fyne's coloured SVG, which Fyne then
// draws itself).
func (i *sharedIcon) Content() []byte {
	c, px := theme.Color(i.color), iconPixels()
	return i.cache.get(i.key(c, px), func() []byte {
		svg := theme.NewColoredResource(i.src, i.color).Content()
		if b, err := rasterize(svg, px); err == nil {
			return b
		}
		return svg
	})
}

func (i *sharedIcon) key(c color.Color, px int) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	base := strings.TrimSuffix(i.src.Name(), ".svg")
	return fmt.Sprintf("%s-%02x%02x%02x%02x-%dpx", base, n.R, n.G, n.B, n.A, px)
}

// iconPixels is the side of a shared icon's bitmap: twice the theme's
// inline icon size.
func iconPixels() int {
	return int(math.Ceil(2 * float64(theme.Size(theme.SizeNameInlineIcon))))
}

// iconCache holds each icon's bitmap per colour and size for the icons
// made with it; it only grows by those few icons times the colours of the
// themes in use.
type iconCache struct {
	mu sync.Mutex // Content may be asked from any goroutine
	m  map[string][]byte
}

func newIconCache() *iconCache { return &iconCache{m: map[string][]byte{}} }

// icon makes a shared icon: src, a theme icon, in the theme's colour name.
func (c *iconCache) icon(src fyne.Resource, name fyne.ThemeColorName) *sharedIcon {
	return &sharedIcon{src: src, color: name, cache: c}
}

// get returns the content under key, made by build the first time.
func (c *iconCache) get(key string, build func() []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.m[key]; ok {
		return b
	}
	b := build()
	c.m[key] = b
	return b
}

// iconFormat is the bitmap format of shared icons: its magic, then the
// width and height (big-endian uint16), then the NRGBA pixels, row by
// row. It is registered with package image, so Fyne's images decode it.
const iconFormat = "\x89SBICON"

const iconHeader = len(iconFormat) + 4

func init() {
	image.RegisterFormat("standby-icon", iconFormat, decodeIcon, decodeIconConfig)
}

// rasterize draws svg at px pixels wide (its height from its aspect) in
// iconFormat.
func rasterize(svg []byte, px int) (out []byte, err error) {
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
	out = make([]byte, 0, iconHeader+len(img.Pix))
	out = append(out, iconFormat...)
	out = binary.BigEndian.AppendUint16(out, uint16(w))
	out = binary.BigEndian.AppendUint16(out, uint16(h))
	return append(out, img.Pix...), nil
}

func decodeIconConfig(r io.Reader) (image.Config, error) {
	var h [iconHeader]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return image.Config{}, fmt.Errorf("reading an icon's header: %w", err)
	}
	w, ht := binary.BigEndian.Uint16(h[len(iconFormat):]), binary.BigEndian.Uint16(h[len(iconFormat)+2:])
	return image.Config{ColorModel: color.NRGBAModel, Width: int(w), Height: int(ht)}, nil
}

func decodeIcon(r io.Reader) (image.Image, error) {
	c, err := decodeIconConfig(r)
	if err != nil {
		return nil, err
	}
	img := image.NewNRGBA(image.Rect(0, 0, c.Width, c.Height))
	if _, err := io.ReadFull(r, img.Pix); err != nil {
		return nil, fmt.Errorf("reading an icon's pixels: %w", err)
	}
	return img, nil
}
