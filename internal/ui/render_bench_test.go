package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// BenchmarkPagesRender measures the Pages tab from pagesView.apply(vm) to
// a rendered frame (w.Canvas().Capture() lays out the canvas and paints it
// with the test driver's software painter), in a 900×620 window like the
// app's. Target: ≤ 100 ms with 500 open pages; 50 pages is the peer figure
// (the list is virtualised, so both should cost about the same).
//
//   - cold: a new view and window, the first view-model applied (the
//     window opening on 500 pages);
//
//   - warm: the same window, alternating two view-models of the same size
//     (the follow loop applying a change);
//
//   - apply: the cold case without the paint, v.apply(vm) alone: what
//     the main thread does before "standby: ready" (the list lays its
//     rows out and refreshes their buttons' icons inside apply);
//
//   - paint: Capture alone on the warm window, no apply: the software
//     painter's own cost, the floor under the other two.
//
//     go test -run '^$' -bench BenchmarkPagesRender -benchtime 20x -count 5 ./internal/ui
func BenchmarkPagesRender(b *testing.B) {
	for _, n := range []int{500, 50} {
		vm := demoRows(n)
		b.Run(fmt.Sprintf("cold/rows=%d", n), func(b *testing.B) { coldApply(b, vm, true) })
		b.Run(fmt.Sprintf("apply/rows=%d", n), func(b *testing.B) { coldApply(b, vm, false) })
		b.Run(fmt.Sprintf("warm/rows=%d", n), func(b *testing.B) {
			test.NewTempApp(b)
			var c calls
			v := newPagesView(c.actions())
			w := test.NewTempWindow(b, v.root)
			w.Resize(fyne.NewSize(900, 620))
			other := demoRows(n)
			for i := range other.Rows {
				other.Rows[i].State = "Bob is looking (1 min ago)"
				other.Rows[i].CanLook, other.Rows[i].Looking = false, true
			}
			v.apply(other)
			w.Canvas().Capture()
			i := 0
			for b.Loop() {
				if i%2 == 0 {
					v.apply(vm)
				} else {
					v.apply(other)
				}
				i++
				w.Canvas().Capture()
			}
		})
		b.Run(fmt.Sprintf("paint/rows=%d", n), func(b *testing.B) {
			test.NewTempApp(b)
			var c calls
			v := newPagesView(c.actions())
			w := test.NewTempWindow(b, v.root)
			w.Resize(fyne.NewSize(900, 620))
			v.apply(vm)
			w.Canvas().Capture()
			for b.Loop() {
				w.Canvas().Capture()
			}
		})
	}
}

// coldApply times a new view's first apply in a window already on screen,
// and the frame after it when paint is set.
func coldApply(b *testing.B, vm viewmodel.PagesVM, paint bool) {
	test.NewTempApp(b)
	var c calls
	for b.Loop() {
		b.StopTimer()
		v := newPagesView(c.actions())
		w := test.NewWindow(v.root)
		w.Resize(fyne.NewSize(900, 620))
		w.Canvas().Capture() // the empty window is already on screen
		b.StartTimer()
		v.apply(vm)
		if paint {
			w.Canvas().Capture()
		}
		b.StopTimer()
		w.Close()
		b.StartTimer()
	}
}
