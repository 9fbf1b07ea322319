package ui

import (
	"errors"
	"strings"
	"testing"
	"testing/synctest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// newTestGrid shows a grid in a test window and records every OnChanged.
func newTestGrid(t *testing.T, g viewmodel.Grid) (*quietGrid, fyne.Window, *[]viewmodel.Grid) {
	t.Helper()
	test.NewTempApp(t)
	q := newQuietGrid(g)
	var calls []viewmodel.Grid
	q.OnChanged = func(g viewmodel.Grid) { calls = append(calls, g) }
	w := test.NewWindow(q)
	t.Cleanup(w.Close)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(gridLabelWidth+24*20, gridHeadHeight+7*20))
	return q, w, &calls
}

func TestQuietGridTapToggles(t *testing.T) {
	q, _, calls := newTestGrid(t, viewmodel.Grid{})
	test.TapAt(q, q.cellCenter(2, 22)) // Wed 22:00
	if !q.Grid()[2][22] {
		t.Fatal("tap did not mark Wed 22:00")
	}
	if len(*calls) != 1 || !(*calls)[0][2][22] {
		t.Fatalf("OnChanged calls = %d", len(*calls))
	}
	test.TapAt(q, q.cellCenter(2, 22))
	if q.Grid() != (viewmodel.Grid{}) || len(*calls) != 2 || (*calls)[1] != (viewmodel.Grid{}) {
		t.Fatal("a second tap did not unmark the cell")
	}
	test.TapAt(q, fyne.NewPos(5, 5)) // the corner above the day labels
	if len(*calls) != 2 {
		t.Fatal("a tap outside the cells changed the grid")
	}
}

func TestQuietGridDragPaintsFirstCellsNewState(t *testing.T) {
	q, w, calls := newTestGrid(t, viewmodel.Grid{})
	// Drag along Monday from 20:00 to 23:00 in one move: the first cell was
	// empty, so every cell passed becomes quiet.
	from, to := q.cellCenter(0, 20), q.cellCenter(0, 23)
	test.Drag(w.Canvas(), to, to.X-from.X, 0)
	want := viewmodel.Grid{}
	for h := 20; h <= 23; h++ {
		want[0][h] = true
	}
	if q.Grid() != want {
		t.Fatalf("after painting: %v", viewmodel.GridSummary(q.Grid())[0])
	}
	if len(*calls) != 1 || (*calls)[0] != want {
		t.Fatalf("OnChanged calls = %d, want one at the end of the drag", len(*calls))
	}

	// Press on a quiet cell (Mon 21:00) and drag down across the days in
	// several moves: the first cell becomes free, so the drag erases.
	q.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: q.cellCenter(0, 21)}})
	prev := q.cellCenter(0, 21)
	for _, p := range []fyne.Position{q.cellCenter(1, 21), q.cellCenter(2, 21)} {
		q.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p}, Dragged: fyne.NewDelta(p.X-prev.X, p.Y-prev.Y)})
		prev = p
	}
	if len(*calls) != 1 {
		t.Fatal("OnChanged was called before the drag ended")
	}
	q.DragEnd()
	q.MouseUp(&desktop.MouseEvent{})
	want[0][21] = false // Tue and Wed 21:00 were already free
	if q.Grid() != want {
		t.Fatalf("after erasing: %v", viewmodel.GridSummary(q.Grid())[0])
	}
	if len(*calls) != 2 || (*calls)[1] != want {
		t.Fatalf("OnChanged calls = %d", len(*calls))
	}
}

func TestQuietGridFastDragLeavesNoHoles(t *testing.T) {
	q, w, _ := newTestGrid(t, viewmodel.Grid{})
	from, to := q.cellCenter(3, 0), q.cellCenter(3, 23)
	test.Drag(w.Canvas(), to, to.X-from.X, 0) // one event across the whole day
	if s := viewmodel.GridSummary(q.Grid())[3]; s != "Thu: quiet all day" {
		t.Fatalf("got %q", s)
	}
}

func TestQuietGridSetGridDoesNotReport(t *testing.T) {
	q, _, calls := newTestGrid(t, viewmodel.Grid{})
	var g viewmodel.Grid
	g[5][3] = true
	q.SetGrid(g)
	if q.Grid() != g || len(*calls) != 0 {
		t.Fatalf("SetGrid: grid %v, %d calls", q.Grid() == g, len(*calls))
	}
}

func TestQuietGridRendersCells(t *testing.T) {
	var g viewmodel.Grid
	g[6][7] = true
	q, _, _ := newTestGrid(t, g)
	r := test.WidgetRenderer(q).(*quietGridRenderer)
	on, off := r.cells[6][7].FillColor, r.cells[0][0].FillColor
	if on == off {
		t.Fatal("a quiet cell has the same colour as a free one")
	}
	test.TapAt(q, q.cellCenter(0, 0))
	if r.cells[0][0].FillColor != on {
		t.Fatal("a tapped cell was not recoloured")
	}
	if got := r.hours[7].Text; got != "21" {
		t.Fatalf("last hour label %q", got)
	}
	if got := r.days[0].Text; got != "Mon" {
		t.Fatalf("first day label %q", got)
	}
}

// TestQuietViewSaveAndRevert edits the grid in the Quiet hours tab, saves
// it through a fake service (off the UI goroutine; synctest.Wait waits for
// that goroutine), reverts an unsaved change and shows a failed save.
func TestQuietViewSaveAndRevert(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		svc := newFake()
		v := newQuietView(svc, TrayActions{QuietHour: func() {}, QuietNight: func() {}, Resume: func() {}})
		v.prepare() // as the window does when the tab is first shown
		w := test.NewWindow(v.root)
		defer w.Close()
		w.Resize(fyne.NewSize(900, 900))

		def := viewmodel.GridFromWindows(config.Default().Quiet.Windows)
		if v.grid.Grid() != def || !v.save.Disabled() || !v.revert.Disabled() {
			t.Fatal("the tab does not start from the config's windows, or Save is enabled with nothing to save")
		}
		if !strings.HasPrefix(v.zone.Text, "Times are in ") {
			t.Fatalf("zone label %q", v.zone.Text)
		}

		test.TapAt(v.grid, v.grid.cellCenter(2, 12)) // Wed 12:00
		if v.status.Text != "Unsaved changes." || v.save.Disabled() || !strings.HasPrefix(v.windows.Text, "Will be saved as:") {
			t.Fatalf("after an edit: status %q, save disabled %v, windows %q", v.status.Text, v.save.Disabled(), v.windows.Text)
		}
		if !strings.Contains(v.days.Text, "Wed: quiet 00:00–07:00, 12:00–13:00, 22:00–24:00") {
			t.Fatalf("day summary:\n%s", v.days.Text)
		}
		test.Tap(v.save)
		synctest.Wait()
		if v.status.Text != "Saved to /fake/config.toml." || !v.save.Disabled() {
			t.Fatalf("after saving: status %q", v.status.Text)
		}
		want := def
		want[2][12] = true
		if got := viewmodel.GridFromWindows(svc.Config().Quiet.Windows); got != want {
			t.Fatalf("saved windows %v", svc.Config().Quiet.Windows)
		}

		test.TapAt(v.grid, v.grid.cellCenter(0, 9))
		test.Tap(v.revert)
		if v.grid.Grid() != want || v.status.Text != "" || !v.revert.Disabled() {
			t.Fatalf("Revert: status %q", v.status.Text)
		}

		// A save that fails keeps the edit and says why.
		svc.saveErr = errors.New("config file is read-only")
		test.TapAt(v.grid, v.grid.cellCenter(0, 9))
		test.Tap(v.save)
		synctest.Wait()
		if v.status.Text != "Not saved: config file is read-only" || v.grid.Grid() == want || v.save.Disabled() {
			t.Fatalf("failed save: status %q, save disabled %v", v.status.Text, v.save.Disabled())
		}
	})
}
