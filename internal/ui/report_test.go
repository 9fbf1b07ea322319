package ui

import (
	"image"
	"image/color"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/report"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

func centre(r image.Rectangle) image.Point { return image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2) }

func rgba(img *image.RGBA, pt image.Point) color.RGBA { return img.RGBAAt(pt.X, pt.Y) }

// The heatmap fills exactly the cells of the hours that rang, shaded by
// how often, and leaves every other cell empty.
func TestHeatmapImageFillsTheRightCells(t *testing.T) {
	var r report.Report
	r.Heat[1][3] = 4  // Tuesday 03:00, the busiest
	r.Heat[1][14] = 1 // Tuesday 14:00
	r.Heat[6][23] = 2 // Sunday 23:00
	for _, dark := range []bool{false, true} {
		p := reportPaletteFor(dark)
		img := heatmapImage(viewmodel.NewReportView(r).Heat, p)
		if img.Bounds().Dx() != 24*heatStep-heatGap || img.Bounds().Dy() != 7*heatStep-heatGap {
			t.Fatalf("heatmap is %v", img.Bounds())
		}
		want := map[[2]int]color.RGBA{{1, 3}: p.Heat[3], {1, 14}: p.Heat[0], {6, 23}: p.Heat[1]}
		for d := range 7 {
			for h := range 24 {
				c, ok := want[[2]int{d, h}]
				if !ok {
					c = p.Empty
				}
				r := heatCellRect(d, h)
				for _, pt := range []image.Point{r.Min, centre(r), r.Max.Sub(image.Pt(1, 1))} {
					if got := rgba(img, pt); got != c {
						t.Fatalf("dark=%v cell %d/%d at %v = %v, want %v", dark, d, h, pt, got, c)
					}
				}
			}
		}
		if got := rgba(img, image.Pt(heatCell, heatCell)); got != p.Background {
			t.Errorf("the gap between cells = %v, want the background", got)
		}
	}
}

func TestWeekBarsImage(t *testing.T) {
	mon := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	weeks := []report.Period{
		{Start: mon, Coverage: report.NotCovered},
		{Start: mon.AddDate(0, 0, 7), Coverage: report.Full, Counts: report.Counts{Loud: 8, LoudNight: 2}},
		{Start: mon.AddDate(0, 0, 14), Coverage: report.Full, Counts: report.Counts{Loud: 4}},
		{Start: mon.AddDate(0, 0, 21), Coverage: report.Full},
	}
	p := reportPaletteFor(false)
	const h = 80
	img := weekBarsImage(viewmodel.NewReportView(report.Report{Weeks: weeks}).Bars, p, h)
	x := func(i int) int { return centre(weekBarRect(i, h)).X }
	for _, c := range []struct {
		name string
		pt   image.Point
		want color.RGBA
	}{
		{"not recorded: outline", image.Pt(weekBarRect(0, h).Min.X, h/2), p.Outline},
		{"not recorded: hollow", image.Pt(x(0), h/2), p.Background},
		{"8 loud: full height", image.Pt(x(1), 0), p.Loud},
		{"8 loud, 2 at night: bottom quarter night", image.Pt(x(1), h-h/4), p.Night},
		{"8 loud: above the night part", image.Pt(x(1), h-h/4-1), p.Loud},
		{"4 loud: half height", image.Pt(x(2), h/2), p.Loud},
		{"4 loud: nothing above half", image.Pt(x(2), h/2-1), p.Background},
		{"no pages: no bar", image.Pt(x(3), h-1), p.Background},
		{"gap between bars", image.Pt(weekBarRect(1, h).Max.X+1, h-1), p.Background},
	} {
		if got := rgba(img, c.pt); got != c.want {
			t.Errorf("%s: pixel %v = %v, want %v", c.name, c.pt, got, c.want)
		}
	}
}
