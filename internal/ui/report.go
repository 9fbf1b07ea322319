package ui

import (
	"image"
	"image/color"
	"image/draw"

	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// The Report tab's pictures are drawn as images from the view-model, so
// they render the same headless and on screen; the tab puts them in
// canvas.NewImageFromImage with Fyne labels for the days, hours and weeks.

// reportPalette are the pictures' colours.
type reportPalette struct {
	Background color.RGBA
	Empty      color.RGBA                       // a heat cell with no interruption
	Heat       [viewmodel.HeatLevels]color.RGBA // shades 1…HeatLevels
	Loud       color.RGBA                       // a bar's daytime part
	Night      color.RGBA                       // a bar's night part
	Outline    color.RGBA                       // a week that was not recorded
}

// reportPaletteFor is the palette for the light or dark variant.
func reportPaletteFor(dark bool) reportPalette {
	p := reportPalette{
		Background: color.RGBA{0xff, 0xff, 0xff, 0xff},
		Empty:      color.RGBA{0xe8, 0xe8, 0xe8, 0xff},
		Heat: [viewmodel.HeatLevels]color.RGBA{
			{0xfd, 0xd4, 0x9e, 0xff}, {0xfc, 0x8d, 0x59, 0xff}, {0xe3, 0x4a, 0x33, 0xff}, {0xb3, 0x00, 0x00, 0xff},
		},
		Loud:    color.RGBA{0xfc, 0x8d, 0x59, 0xff},
		Night:   color.RGBA{0x4a, 0x3a, 0x8c, 0xff},
		Outline: color.RGBA{0x9e, 0x9e, 0x9e, 0xff},
	}
	if dark {
		p.Background = color.RGBA{0x17, 0x17, 0x18, 0xff}
		p.Empty = color.RGBA{0x2e, 0x2e, 0x30, 0xff}
		p.Night = color.RGBA{0x9c, 0x8c, 0xe6, 0xff}
		p.Outline = color.RGBA{0x75, 0x75, 0x75, 0xff}
	}
	return p
}

// Heatmap cell geometry, in pixels.
const (
	heatCell = 14
	heatGap  = 2
	heatStep = heatCell + heatGap
)

// heatCellRect is the rectangle of weekday d (Monday = 0), hour h.
func heatCellRect(d, h int) image.Rectangle {
	return image.Rect(h*heatStep, d*heatStep, h*heatStep+heatCell, d*heatStep+heatCell)
}

// heatmapImage draws the weekday × hour grid: a row per weekday, Monday
// on top, a column per hour from 00 on the left, shaded by level.
func heatmapImage(h viewmodel.Heatmap, p reportPalette) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 24*heatStep-heatGap, 7*heatStep-heatGap))
	fill(img, img.Bounds(), p.Background)
	for d := range 7 {
		for hr := range 24 {
			c := p.Empty
			if lv := h.Cells[d][hr].Level; lv > 0 {
				c = p.Heat[min(lv, viewmodel.HeatLevels)-1]
			}
			fill(img, heatCellRect(d, hr), c)
		}
	}
	return img
}

// Bar chart geometry, in pixels.
const (
	barWidth = 28
	barGap   = 12
	barStep  = barWidth + barGap
)

// weekBarRect is the full-height slot of bar i in a chart height tall.
func weekBarRect(i, height int) image.Rectangle {
	return image.Rect(i*barStep, 0, i*barStep+barWidth, height)
}

// weekBarsImage draws a bar per week, oldest on the left: its height is
// the loud interruptions against the tallest week, the night ones at the
// bottom in their own colour; a week that was not recorded is an outline.
func weekBarsImage(b viewmodel.WeekBars, p reportPalette, height int) *image.RGBA {
	width := max(len(b.Bars)*barStep-barGap, 1)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	fill(img, img.Bounds(), p.Background)
	for i, bar := range b.Bars {
		slot := weekBarRect(i, height)
		if bar.NotRecorded {
			outline(img, slot, p.Outline)
			continue
		}
		top := height - bar.Loud*height/b.Max
		night := height - bar.Night*height/b.Max
		fill(img, image.Rect(slot.Min.X, top, slot.Max.X, night), p.Loud)
		fill(img, image.Rect(slot.Min.X, night, slot.Max.X, height), p.Night)
	}
	return img
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, &image.Uniform{C: c}, image.Point{}, draw.Src)
}

func outline(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	fill(img, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1), c)
	fill(img, image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y), c)
	fill(img, image.Rect(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y), c)
	fill(img, image.Rect(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y), c)
}
