package ui

import (
	"fmt"
	"image/color"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// sharedIcon is a theme icon for the buttons repeated on every row of a
// list, coloured once per colour and then shared by all of them. Fyne
// colours a themed SVG anew (parsing and re-writing its XML, twice: the
// resource and the image each do it) on every refresh of every button's
// image, and a row's buttons refresh whenever one is shown or hidden,
// so the first apply of 500 pages spent most of the Pages list's time in
// encoding/xml (perf). It is not a fyne.ThemedResource, so the image
// takes its content as it is: the colour follows the theme and its
// variant at each refresh, as a themed icon's does.
type sharedIcon struct {
	src   fyne.Resource
	color fyne.ThemeColorName
	cache *iconCache
}

// Name names the icon in its current colour: Fyne keeps the rendered
// image under this name, so a new colour renders anew.
func (i *sharedIcon) Name() string {
	return i.key(theme.Color(i.color))
}

// Content is the icon's SVG in the theme's current colour.
func (i *sharedIcon) Content() []byte {
	c := theme.Color(i.color)
	return i.cache.get(i.key(c), func() []byte {
		return theme.NewColoredResource(i.src, i.color).Content()
	})
}

func (i *sharedIcon) key(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	base := strings.TrimSuffix(i.src.Name(), ".svg")
	return fmt.Sprintf("%s-%02x%02x%02x%02x.svg", base, n.R, n.G, n.B, n.A)
}

// iconCache holds each icon's SVG per colour for the icons made with
// it; it only grows by those few icons times the colours of the themes
// in use.
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
