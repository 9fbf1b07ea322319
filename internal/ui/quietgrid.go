package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// quietGrid is the weekly quiet-hours editor: seven rows (Monday first) of
// 24 hour cells, coloured where quiet. A click toggles one cell; a drag
// paints the state the first cell takes onto every cell it passes. It is
// presentation-only: it holds the grid being edited and reports each
// change through OnChanged; saving is the view's business.
type quietGrid struct {
	widget.BaseWidget

	// OnChanged is called on the UI goroutine after a click or a finished
	// drag changed the grid.
	OnChanged func(viewmodel.Grid)

	grid viewmodel.Grid

	pressed  *cell // where the mouse went down, if it did
	dragging bool
	paint    bool // the state a drag paints
	last     fyne.Position
	before   viewmodel.Grid // the grid when the drag started
}

type cell struct{ day, hour int }

const (
	gridLabelWidth = 40
	gridHeadHeight = 20
	gridCellWidth  = 18 // minimum cell size; cells grow with the widget
	gridCellHeight = 22
	gridGap        = 1
)

func newQuietGrid(g viewmodel.Grid) *quietGrid {
	q := &quietGrid{grid: g}
	q.ExtendBaseWidget(q)
	return q
}

// Grid returns the grid as edited.
func (q *quietGrid) Grid() viewmodel.Grid { return q.grid }

// SetGrid replaces the grid (Revert, or a saved config) without calling
// OnChanged.
func (q *quietGrid) SetGrid(g viewmodel.Grid) {
	q.grid = g
	q.Refresh()
}

// cellAt returns the cell under pos (in the widget's coordinates).
func (q *quietGrid) cellAt(pos fyne.Position) (cell, bool) {
	w, h := q.cellSize()
	x, y := pos.X-gridLabelWidth, pos.Y-gridHeadHeight
	if x < 0 || y < 0 || w <= 0 || h <= 0 {
		return cell{}, false
	}
	c := cell{day: int(y / h), hour: int(x / w)}
	if c.day > 6 || c.hour > 23 {
		return cell{}, false
	}
	return c, true
}

// cellCenter is the inverse of cellAt, for tests and keyboard use.
func (q *quietGrid) cellCenter(day, hour int) fyne.Position {
	w, h := q.cellSize()
	return fyne.NewPos(gridLabelWidth+(float32(hour)+0.5)*w, gridHeadHeight+(float32(day)+0.5)*h)
}

func (q *quietGrid) cellSize() (float32, float32) {
	s := q.Size()
	return (s.Width - gridLabelWidth) / 24, (s.Height - gridHeadHeight) / 7
}

// Tapped toggles the cell under the pointer.
func (q *quietGrid) Tapped(ev *fyne.PointEvent) {
	c, ok := q.cellAt(ev.Position)
	if !ok {
		return
	}
	q.grid[c.day][c.hour] = !q.grid[c.day][c.hour]
	q.Refresh()
	q.changed()
}

// MouseDown remembers the cell a drag starts from: the driver reports the
// first drag event only after the pointer moved a little.
func (q *quietGrid) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	if c, ok := q.cellAt(ev.Position); ok {
		q.pressed = &c
	}
}

// MouseUp ends a press; a drag ends in DragEnd.
func (q *quietGrid) MouseUp(*desktop.MouseEvent) { q.pressed = nil }

// Dragged paints every cell between the previous and the current pointer
// position with the state the first cell took.
func (q *quietGrid) Dragged(ev *fyne.DragEvent) {
	from := ev.Position.Subtract(ev.Dragged)
	if !q.dragging {
		start, ok := q.cellAt(from)
		if q.pressed != nil {
			start, ok = *q.pressed, true
		}
		if !ok {
			return
		}
		q.dragging, q.before = true, q.grid
		q.paint = !q.grid[start.day][start.hour]
		q.grid[start.day][start.hour] = q.paint
	} else {
		from = q.last
	}
	q.last = ev.Position
	q.paintLine(from, ev.Position)
	q.Refresh()
}

// paintLine paints the cells on the segment a→b, sampled at a quarter of
// a cell so that a fast drag leaves no holes.
func (q *quietGrid) paintLine(a, b fyne.Position) {
	w, h := q.cellSize()
	step := min(w, h) / 4
	d := b.Subtract(a)
	n := 1
	if step > 0 {
		n = max(1, int(max(abs32(d.X), abs32(d.Y))/step))
	}
	for i := 0; i <= n; i++ {
		t := float32(i) / float32(n)
		if c, ok := q.cellAt(fyne.NewPos(a.X+d.X*t, a.Y+d.Y*t)); ok {
			q.grid[c.day][c.hour] = q.paint
		}
	}
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

// DragEnd reports the painted grid once.
func (q *quietGrid) DragEnd() {
	if !q.dragging {
		return
	}
	q.dragging, q.pressed = false, nil
	if q.grid != q.before {
		q.changed()
	}
}

// Cursor shows a pointer over the cells.
func (q *quietGrid) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (q *quietGrid) changed() {
	if q.OnChanged != nil {
		q.OnChanged(q.grid)
	}
}

// MinSize leaves room for the labels and a small square per hour.
func (q *quietGrid) MinSize() fyne.Size {
	q.ExtendBaseWidget(q)
	return fyne.NewSize(gridLabelWidth+24*gridCellWidth, gridHeadHeight+7*gridCellHeight)
}

// CreateRenderer builds the labels and the 168 cells once; Refresh only
// recolours them.
func (q *quietGrid) CreateRenderer() fyne.WidgetRenderer {
	r := &quietGridRenderer{q: q}
	for d := range 7 {
		r.days[d] = canvas.NewText(viewmodel.GridDays[d], theme.Color(theme.ColorNameForeground))
		r.days[d].TextSize = theme.CaptionTextSize()
		for h := range 24 {
			r.cells[d][h] = canvas.NewRectangle(color.Transparent)
		}
	}
	for i := range r.hours {
		r.hours[i] = canvas.NewText(fmt.Sprintf("%02d", i*3), theme.Color(theme.ColorNameForeground))
		r.hours[i].TextSize = theme.CaptionTextSize()
	}
	r.Refresh()
	return r
}

type quietGridRenderer struct {
	q     *quietGrid
	days  [7]*canvas.Text
	hours [8]*canvas.Text // every third hour
	cells [7][24]*canvas.Rectangle
}

func (r *quietGridRenderer) Layout(size fyne.Size) {
	w, h := (size.Width-gridLabelWidth)/24, (size.Height-gridHeadHeight)/7
	for d := range 7 {
		ts := r.days[d].MinSize()
		r.days[d].Move(fyne.NewPos(0, gridHeadHeight+float32(d)*h+(h-ts.Height)/2))
		r.days[d].Resize(ts)
		for hr := range 24 {
			c := r.cells[d][hr]
			c.Move(fyne.NewPos(gridLabelWidth+float32(hr)*w, gridHeadHeight+float32(d)*h))
			c.Resize(fyne.NewSize(w-gridGap, h-gridGap))
		}
	}
	for i, t := range r.hours {
		ts := t.MinSize()
		t.Move(fyne.NewPos(gridLabelWidth+float32(i*3)*w, (gridHeadHeight-ts.Height)/2))
		t.Resize(ts)
	}
}

func (r *quietGridRenderer) MinSize() fyne.Size { return r.q.MinSize() }

func (r *quietGridRenderer) Refresh() {
	on := theme.Color(theme.ColorNamePrimary)
	off := theme.Color(theme.ColorNameInputBackground)
	fg := theme.Color(theme.ColorNameForeground)
	for d := range 7 {
		r.days[d].Color = fg
		for h := range 24 {
			c := r.cells[d][h]
			c.FillColor = off
			if r.q.grid[d][h] {
				c.FillColor = on
			}
		}
	}
	for _, t := range r.hours {
		t.Color = fg
	}
	canvas.Refresh(r.q)
}

func (r *quietGridRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, 7+8+7*24)
	for d := range 7 {
		objs = append(objs, r.days[d])
		for h := range 24 {
			objs = append(objs, r.cells[d][h])
		}
	}
	for _, t := range r.hours {
		objs = append(objs, t)
	}
	return objs
}

func (r *quietGridRenderer) Destroy() {}
