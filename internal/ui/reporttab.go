package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/report"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// reportService is what the Report tab reads.
type reportService interface {
	Report(ctx context.Context, now time.Time, weeks int) (report.Report, error)
}

// reportWeeks is how many weeks the Report tab shows.
const reportWeeks = 8

// reportBarHeight is the weekly bars' height in pixels.
const reportBarHeight = 120

// reportView is the Report tab: my interruptions as pictures — a weekday
// × hour heatmap and a bar per week — with the same facts in words. It
// reads the history when the tab is shown, not on every poll.
type reportView struct {
	svc     reportService
	root    fyne.CanvasObject
	status  *widget.Label // why there is nothing to show, or how far back it goes
	summary *widget.Label
	heat    *fyne.Container
	caption *widget.Label
	bars    *fyne.Container
	weeks   *widget.Label // the weeks in words, for screen readers
	content *fyne.Container
	// loaded is the report shown (for tests and the pictures' redraw).
	loaded report.Report
}

func newReportView(svc reportService) *reportView {
	v := &reportView{
		svc:     svc,
		status:  widget.NewLabel("Loading…"),
		summary: widget.NewLabel(""),
		heat:    container.NewWithoutLayout(),
		caption: widget.NewLabel(""),
		bars:    container.NewWithoutLayout(),
		weeks:   widget.NewLabel(""),
	}
	v.status.Wrapping = fyne.TextWrapWord
	v.summary.Wrapping = fyne.TextWrapWord
	v.content = container.NewVBox(
		v.summary,
		widget.NewCard("When the loud ones came", "by weekday and hour, in your time zone", container.NewVBox(container.NewHBox(v.heat), v.caption)),
		widget.NewCard("Week by week", "loud interruptions, the night ones at the bottom; an outline is a week not recorded", container.NewVBox(container.NewHBox(v.bars), v.weeks)),
	)
	v.content.Hide()
	v.root = container.NewVScroll(container.NewVBox(v.status, v.content))
	return v
}

// load reads the report off the UI goroutine and shows it.
func (v *reportView) load(now time.Time) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		r, err := v.svc.Report(ctx, now, reportWeeks)
		fyne.Do(func() { v.apply(r, err) })
	}()
}

// apply shows r, or why there is nothing to show; UI goroutine only.
func (v *reportView) apply(r report.Report, err error) {
	v.loaded = r
	switch {
	case err != nil:
		v.status.SetText("The report cannot be read: " + err.Error())
		v.content.Hide()
		return
	case r.Since.IsZero():
		v.status.SetText("Nothing recorded yet. Standby keeps a history of the pages it sees and what it did with each from now on; this report fills in as pages come.")
		v.content.Hide()
		return
	}
	v.status.SetText(reportStatus(r))
	v.summary.SetText(reportSummary(r.Total))
	vm := viewmodel.NewReportView(r)
	p := reportPaletteFor(isDark(theme.Color(theme.ColorNameBackground)))
	v.heat.Objects = heatObjects(vm.Heat, p)
	v.heat.Layout = fixedSize(heatSize())
	v.heat.Refresh()
	v.caption.SetText(vm.Heat.Caption)
	v.bars.Objects = barObjects(vm.Bars, p)
	v.bars.Layout = fixedSize(barsSize(len(vm.Bars.Bars)))
	v.bars.Refresh()
	tips := make([]string, 0, len(vm.Bars.Bars))
	for _, b := range vm.Bars.Bars {
		tips = append(tips, b.Tip)
	}
	v.weeks.SetText(strings.Join(tips, "\n"))
	v.content.Show()
}

// reportStatus says what the numbers cover.
func reportStatus(r report.Report) string {
	s := fmt.Sprintf("The last %d weeks, from %s.", len(r.Weeks), r.From.Format("Mon 02 Jan"))
	if r.Since.After(r.From) {
		s += " Standby has recorded since " + r.Since.Format("Mon 02 Jan 15:04") + "; the weeks before are not counted as quiet, they are not known."
	}
	return s
}

// reportSummary is the total in one sentence.
func reportSummary(t report.Period) string {
	if t.Pages == 0 {
		return "No pages in these weeks."
	}
	s := fmt.Sprintf("%d pages, %d loud (%d at night, %d in quiet hours), %d held for a teammate, %d resolved by me.",
		t.Pages, t.Loud, t.LoudNight, t.LoudQuiet, t.Held, t.Resolved)
	if t.Responded > 0 {
		s += fmt.Sprintf(" I answered %d loud pages: half within %s, nine in ten within %s.", t.Responded, roundDur(t.Median), roundDur(t.P90))
	}
	return s
}

func roundDur(d time.Duration) string {
	if d >= time.Minute {
		d = d.Round(time.Second)
	} else {
		d = d.Round(100 * time.Millisecond)
	}
	return d.String()
}

// isDark reports whether a background colour is dark.
func isDark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return 299*r+587*g+114*b < 500*0xffff
}

// The pictures' label columns, in Fyne units.
const (
	heatNames  = 40 // weekday names left of the heatmap
	heatHours  = 18 // hour labels under it
	barsLabels = 18 // week labels under the bars
)

func heatSize() fyne.Size {
	return fyne.NewSize(heatNames+24*heatStep-heatGap, 7*heatStep-heatGap+heatHours)
}

func barsSize(n int) fyne.Size {
	return fyne.NewSize(float32(max(n*barStep-barGap, 1)), reportBarHeight+barsLabels)
}

// heatObjects is the heatmap image with weekday names on its left and the
// hours 00, 06, 12, 18 under it, positioned in pixels as drawn.
func heatObjects(h viewmodel.Heatmap, p reportPalette) []fyne.CanvasObject {
	img := pixelImage(heatmapImage(h, p))
	img.Move(fyne.NewPos(heatNames, 0))
	objs := []fyne.CanvasObject{img}
	size := theme.CaptionTextSize()
	for d, name := range viewmodel.GridDays {
		t := caption(name, size)
		t.Move(fyne.NewPos(0, float32(d*heatStep)+(heatCell-size)/2-2))
		objs = append(objs, t)
	}
	for hr := 0; hr < 24; hr += 6 {
		t := caption(fmt.Sprintf("%02d", hr), size)
		t.Move(fyne.NewPos(heatNames+float32(hr*heatStep), 7*heatStep))
		objs = append(objs, t)
	}
	return objs
}

// barObjects is the weekly bars' image with each week's date under it
// (every other one when there are many).
func barObjects(b viewmodel.WeekBars, p reportPalette) []fyne.CanvasObject {
	objs := []fyne.CanvasObject{pixelImage(weekBarsImage(b, p, reportBarHeight))}
	size := theme.CaptionTextSize()
	every := 1
	if len(b.Bars) > 8 {
		every = 2
	}
	for i, bar := range b.Bars {
		if i%every != 0 {
			continue
		}
		t := caption(bar.Label, size)
		t.Move(fyne.NewPos(float32(i*barStep), reportBarHeight+2))
		objs = append(objs, t)
	}
	return objs
}

// pixelImage shows img one pixel per Fyne unit, unsmoothed.
func pixelImage(img *image.RGBA) *canvas.Image {
	c := canvas.NewImageFromImage(img)
	c.FillMode = canvas.ImageFillStretch
	c.ScaleMode = canvas.ImageScalePixels
	sz := fyne.NewSize(float32(img.Bounds().Dx()), float32(img.Bounds().Dy()))
	c.SetMinSize(sz)
	c.Resize(sz)
	return c
}

func caption(text string, size float32) *canvas.Text {
	t := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	t.Resize(t.MinSize())
	return t
}

// fixedSize is a layout that leaves its objects where they were put and
// asks for size.
type fixedSize fyne.Size

func (f fixedSize) Layout([]fyne.CanvasObject, fyne.Size) {}

func (f fixedSize) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size(f) }
