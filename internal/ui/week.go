package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// weekChart draws viewmodel.WeekVM: day columns, one lane per calendar
// with my shifts filled, and a line at now. The words beside it (the
// Schedule tab's list) carry the same facts for screen readers.
type weekChart struct {
	widget.BaseWidget
	vm viewmodel.WeekVM
}

func newWeekChart() *weekChart {
	w := &weekChart{}
	w.ExtendBaseWidget(w)
	return w
}

// set shows vm; call on the UI goroutine only.
func (w *weekChart) set(vm viewmodel.WeekVM) {
	w.vm = vm
	w.Refresh()
}

// CreateRenderer builds the chart's objects from the view-model.
func (w *weekChart) CreateRenderer() fyne.WidgetRenderer {
	r := &weekRenderer{w: w}
	r.build()
	return r
}

// weekLaneGap is the space between lanes.
const weekLaneGap = 4

// weekLabelWidth is the width of the lane names' column: it follows the
// text size.
func weekLabelWidth() float32 { return 12 * theme.TextSize() }

type weekRenderer struct {
	w       *weekChart
	days    []*canvas.Text
	grid    []*canvas.Line
	lanes   []*canvas.Rectangle
	names   []*canvas.Text
	who     []*canvas.Text
	blocks  [][]*canvas.Rectangle // per lane
	now     *canvas.Line
	objects []fyne.CanvasObject
}

func (r *weekRenderer) build() {
	vm := r.w.vm
	fg := theme.Color(theme.ColorNameForeground)
	*r = weekRenderer{w: r.w}
	for _, d := range vm.Days {
		t := canvas.NewText(d, fg)
		t.TextStyle.Bold = true
		r.days = append(r.days, t)
		r.objects = append(r.objects, t)
	}
	for range viewmodel.WeekDays + 1 {
		l := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
		r.grid = append(r.grid, l)
		r.objects = append(r.objects, l)
	}
	for _, lane := range vm.Lanes {
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		name := canvas.NewText(lane.Name, fg)
		name.TextStyle.Bold = true
		who := canvas.NewText(lane.Who, fg)
		who.TextSize = theme.CaptionTextSize()
		var bs []*canvas.Rectangle
		for range lane.Blocks {
			b := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
			b.CornerRadius = 3
			bs = append(bs, b)
		}
		r.lanes, r.names, r.who, r.blocks = append(r.lanes, bg), append(r.names, name), append(r.who, who), append(r.blocks, bs)
		r.objects = append(r.objects, bg, name, who)
		for _, b := range bs {
			r.objects = append(r.objects, b)
		}
	}
	r.now = canvas.NewLine(theme.Color(theme.ColorNameError))
	r.now.StrokeWidth = 2
	r.objects = append(r.objects, r.now)
}

func (r *weekRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *weekRenderer) Destroy()                     {}

func (r *weekRenderer) headerHeight() float32 {
	return fyne.MeasureText("Mon 00", theme.TextSize(), fyne.TextStyle{Bold: true}).Height + theme.Padding()
}

func (r *weekRenderer) laneHeight() float32 {
	return fyne.MeasureText("Ág", theme.TextSize(), fyne.TextStyle{Bold: true}).Height +
		fyne.MeasureText("Ág", theme.CaptionTextSize(), fyne.TextStyle{}).Height + 2*theme.Padding()
}

// MinSize fits the header and every lane; the width is the label column
// plus a little per day.
func (r *weekRenderer) MinSize() fyne.Size {
	n := float32(len(r.w.vm.Lanes))
	return fyne.NewSize(weekLabelWidth()+7*60, r.headerHeight()+n*(r.laneHeight()+weekLaneGap))
}

// dayX is the x of position p (in days) for a chart of width width.
func dayX(p float64, width float32) float32 {
	return weekLabelWidth() + float32(p)*(width-weekLabelWidth())/viewmodel.WeekDays
}

func (r *weekRenderer) Layout(size fyne.Size) {
	hh, lh, pad := r.headerHeight(), r.laneHeight(), theme.Padding()
	for i, t := range r.days {
		t.Move(fyne.NewPos(dayX(float64(i), size.Width)+pad, 0))
	}
	for i, l := range r.grid {
		x := dayX(float64(i), size.Width)
		l.Position1, l.Position2 = fyne.NewPos(x, 0), fyne.NewPos(x, size.Height)
	}
	for i, bg := range r.lanes {
		y := hh + float32(i)*(lh+weekLaneGap)
		bg.Move(fyne.NewPos(0, y))
		bg.Resize(fyne.NewSize(size.Width, lh))
		lane := r.w.vm.Lanes[i]
		r.names[i].Text = fit(lane.Name, r.names[i].TextSize, r.names[i].TextStyle, weekLabelWidth()-2*pad)
		r.who[i].Text = fit(lane.Who, r.who[i].TextSize, r.who[i].TextStyle, weekLabelWidth()-2*pad)
		r.names[i].Move(fyne.NewPos(pad, y+pad))
		r.who[i].Move(fyne.NewPos(pad, y+pad+fyne.MeasureText("Ág", theme.TextSize(), fyne.TextStyle{Bold: true}).Height))
		for j, b := range r.blocks[i] {
			blk := r.w.vm.Lanes[i].Blocks[j]
			x0, x1 := dayX(blk.From, size.Width), dayX(blk.To, size.Width)
			b.Move(fyne.NewPos(x0, y+pad))
			b.Resize(fyne.NewSize(fyne.Max(x1-x0, 2), lh-2*pad))
		}
	}
	x := dayX(r.w.vm.Now, size.Width)
	r.now.Position1, r.now.Position2 = fyne.NewPos(x, 0), fyne.NewPos(x, size.Height)
}

// Refresh rebuilds the objects (a few dozen) from the view-model and the
// theme's colours.
func (r *weekRenderer) Refresh() {
	r.build()
	r.Layout(r.w.Size())
	canvas.Refresh(r.w)
}
