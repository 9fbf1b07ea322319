package ui

import (
	"fmt"
	"net/url"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// demoRows returns n rows shaped like the demo's: every one can be
// acked, claimed and resolved and has a URL.
func demoRows(n int) viewmodel.PagesVM {
	vm := viewmodel.PagesVM{Rows: make([]viewmodel.PageRow, n), Waiting: n}
	for i := range vm.Rows {
		vm.Rows[i] = viewmodel.PageRow{
			ID:       page.ID{Source: "demo", Upstream: fmt.Sprintf("demo-%04d", i)},
			Severity: "critical", Color: viewmodel.ColorError,
			Title:    fmt.Sprintf("HighErrorRate: 5xx above 5%% for 10m (%d)", i),
			Subtitle: fmt.Sprintf("payments-api · demo · %dm", i+1),
			State:    "new", Reason: "Loud: outside quiet hours",
			URL:    fmt.Sprintf("https://demo.standby.invalid/pages/%d", i),
			CanAck: true, CanResolve: true, CanLook: true,
		}
	}
	return vm
}

// calls records what the page actions were called with.
type calls struct {
	ack, unack, resolve, look, release []page.ID
	open                               []string
}

func (c *calls) actions() PageActions {
	return PageActions{
		Ack:     func(id page.ID) { c.ack = append(c.ack, id) },
		Unack:   func(id page.ID) { c.unack = append(c.unack, id) },
		Resolve: func(id page.ID) { c.resolve = append(c.resolve, id) },
		Look:    func(id page.ID) { c.look = append(c.look, id) },
		Release: func(id page.ID) { c.release = append(c.release, id) },
		Open:    func(u *url.URL) { c.open = append(c.open, u.String()) },
	}
}

// showPages puts a pages view with vm applied in a test window of the
// app's size and returns them.
func showPages(t testing.TB, c *calls, vm viewmodel.PagesVM) (*pagesView, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	v := newPagesView(c.actions())
	w := test.NewTempWindow(t, v.root)
	w.Resize(fyne.NewSize(900, 620))
	v.apply(vm)
	return v, w
}

// rowFor finds the laid-out row widget showing id.
func rowFor(t *testing.T, w fyne.Window, id page.ID) *pageRowWidget {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Content()) {
		if r, ok := o.(*pageRowWidget); ok && r.Visible() && r.item.Header == nil && r.item.Row.ID == id {
			return r
		}
	}
	t.Fatalf("no visible row shows %v", id)
	return nil
}

func TestPagesAckButtonActsOnItsRow(t *testing.T) {
	var c calls
	vm := demoRows(5)
	v, w := showPages(t, &c, vm)

	r := rowFor(t, w, vm.Rows[0].ID)
	if !r.ack.Visible() {
		t.Fatal("row 0 can be acked but shows no Ack button")
	}
	test.Tap(r.ack)
	if len(c.ack) != 1 || c.ack[0] != vm.Rows[0].ID {
		t.Fatalf("Ack on row 0 acked %v, want [%v]", c.ack, vm.Rows[0].ID)
	}
	if n := len(c.look) + len(c.release) + len(c.resolve) + len(c.unack) + len(c.open); n != 0 {
		t.Fatalf("Ack also called %d other actions: %+v", n, c)
	}

	// Page 0 goes away: the recycled first row now shows page 1, and its
	// buttons must act on page 1, not on the page it showed before.
	next := viewmodel.PagesVM{Rows: vm.Rows[1:], Waiting: 4}
	v.apply(next)
	for _, o := range test.LaidOutObjects(w.Content()) {
		if r, ok := o.(*pageRowWidget); ok && r.Visible() && r.item.Header == nil && r.item.Row.ID == vm.Rows[0].ID {
			t.Fatal("a row still shows page 0 after it left the view-model")
		}
	}
	test.Tap(rowFor(t, w, vm.Rows[1].ID).ack)
	if len(c.ack) != 2 || c.ack[1] != vm.Rows[1].ID {
		t.Fatalf("Ack on the new first row acked %v, want %v last", c.ack, vm.Rows[1].ID)
	}
}

func TestPagesKeysActOnSelectedRow(t *testing.T) {
	var c calls
	vm := demoRows(3)
	vm.Rows[2].CanAck, vm.Rows[2].CanLook, vm.Rows[2].State = false, false, "acked by bob"
	v, _ := showPages(t, &c, vm)

	v.key('a') // nothing selected: nothing happens
	if len(c.ack) != 0 {
		t.Fatalf("a with no selection acked %v", c.ack)
	}

	v.list.Select(1)
	v.key('a')
	v.key('l')
	v.key('\n')
	want := vm.Rows[1].ID
	if len(c.ack) != 1 || c.ack[0] != want {
		t.Fatalf("a acked %v, want [%v]", c.ack, want)
	}
	if len(c.look) != 1 || c.look[0] != want {
		t.Fatalf("l claimed %v, want [%v]", c.look, want)
	}
	if len(c.open) != 1 || c.open[0] != vm.Rows[1].URL {
		t.Fatalf("Enter opened %q, want [%q]", c.open, vm.Rows[1].URL)
	}
	if len(c.resolve)+len(c.unack)+len(c.release) != 0 {
		t.Fatalf("keys called other actions: %+v", c)
	}

	// A row that cannot be acked or claimed ignores a and l.
	v.list.Select(2)
	v.key('a')
	v.key('l')
	if len(c.ack) != 1 || len(c.look) != 1 {
		t.Fatalf("a/l on a taken page acted: acks %v looks %v", c.ack, c.look)
	}

	// A shorter view-model drops a selection past its end.
	v.apply(viewmodel.PagesVM{Rows: vm.Rows[:1], Waiting: 1})
	v.key('a')
	if len(c.ack) != 1 {
		t.Fatalf("a after the selected row left acked %v", c.ack)
	}
}

// Issue #11 item 13: the list re-sorts under the selection (a new page
// sorts first); `a` must ack the page the user selected, not the page that
// now sits at the selected index.
func TestPagesKeysFollowSelectedPageAcrossResort(t *testing.T) {
	var c calls
	vm := demoRows(3)
	v, _ := showPages(t, &c, vm)
	v.list.Select(0)
	chosen := vm.Rows[0].ID

	newcomer := demoRows(4).Rows[3]
	newcomer.ID = page.ID{Source: "demo", Upstream: "new-first"}
	resorted := viewmodel.PagesVM{Rows: append([]viewmodel.PageRow{newcomer}, vm.Rows...), Waiting: 4}
	v.apply(resorted)
	v.key('a')
	if len(c.ack) != 1 || c.ack[0] != chosen {
		t.Fatalf("a after a re-sort acked %v, want [%v] (the selected page)", c.ack, chosen)
	}

	// The selected page leaves: nothing is selected, a does nothing.
	v.apply(viewmodel.PagesVM{Rows: []viewmodel.PageRow{newcomer, vm.Rows[1]}, Waiting: 2})
	v.key('a')
	if len(c.ack) != 1 {
		t.Fatalf("a after the selected page left acked %v", c.ack)
	}
}

// groupedRows returns a, then three pages of Alertmanager group G, then b.
func groupedRows() viewmodel.PagesVM {
	vm := demoRows(5)
	for i := 1; i <= 3; i++ {
		vm.Rows[i].Group, vm.Rows[i].GroupName = "G", "HighErrorRate"
	}
	vm.Rows[3].CanAck = false // already acked
	return vm
}

func TestPagesGroupHeaderKeysAndArrows(t *testing.T) {
	var c calls
	vm := groupedRows()
	v, _ := showPages(t, &c, vm)
	if len(v.items) != 3 || v.items[1].Header == nil || v.items[1].Header.Title != "HighErrorRate — 3 alerts" {
		t.Fatalf("lines: %+v", v.items)
	}

	v.move(1) // nothing selected: the first line
	v.move(1) // the group header
	v.key('a')
	if len(c.ack) != 2 || c.ack[0] != vm.Rows[1].ID || c.ack[1] != vm.Rows[2].ID {
		t.Fatalf("a on the group acked %v, want pages 1 and 2 (3 is acked)", c.ack)
	}
	v.key('l')
	if len(c.look) != 3 {
		t.Fatalf("l on the group claimed %v, want its 3 pages", c.look)
	}

	v.key('\n') // Enter unfolds the group; the header stays selected
	if len(v.items) != 6 || !v.items[2].Grouped {
		t.Fatalf("after Enter: %d lines", len(v.items))
	}
	v.move(1)
	v.move(1)
	v.key('a')
	if got := c.ack[len(c.ack)-1]; len(c.ack) != 3 || got != vm.Rows[2].ID {
		t.Fatalf("a on the second member acked %v, want %v last", c.ack, vm.Rows[2].ID)
	}
	v.move(10) // past the end: the last line
	v.key('\n')
	if len(c.open) != 1 || c.open[0] != vm.Rows[4].URL {
		t.Fatalf("Enter on the last line opened %v", c.open)
	}
	v.move(-10)
	if it, _ := v.current(); it.Row.ID != vm.Rows[0].ID {
		t.Fatalf("up past the top selected %v", it.ID())
	}
}

func TestPagesFilterAndSearch(t *testing.T) {
	var c calls
	vm := demoRows(4)
	vm.Rows[1].Held, vm.Rows[2].Mine, vm.Rows[3].Mine = true, true, true
	vm.Rows[3].Title = "Disk full on db-7"
	v, w := showPages(t, &c, vm)

	v.filter.SetSelected("Held")
	if len(v.items) != 1 || v.items[0].Row.ID != vm.Rows[1].ID {
		t.Fatalf("Held shows %d lines", len(v.items))
	}
	v.filter.SetSelected("Mine")
	if len(v.items) != 2 {
		t.Fatalf("Mine shows %d lines", len(v.items))
	}
	v.key('/')
	if w.Canvas().Focused() != v.search {
		t.Fatal("/ does not focus the search box")
	}
	test.Type(v.search, "disk")
	if len(v.items) != 1 || v.items[0].Row.ID != vm.Rows[3].ID {
		t.Fatalf("search 'disk' in Mine shows %d lines", len(v.items))
	}
	test.Type(v.search, "zzz")
	if len(v.items) != 0 || !v.empty.Visible() || v.empty.Text != "No page matches this filter or search." {
		t.Fatalf("no match: %d lines, empty %q", len(v.items), v.empty.Text)
	}
}

// A view-model equal to the one shown (the other views changed, or only
// time passed with nothing to show for it) does not refresh the list, so
// the window is not redrawn; a changed one does.
func TestPagesUnchangedViewModelLeavesListAlone(t *testing.T) {
	var c calls
	v, w := showPages(t, &c, demoRows(5))
	updates := 0
	update := v.list.UpdateItem
	v.list.UpdateItem = func(i int, o fyne.CanvasObject) {
		updates++
		update(i, o)
	}
	v.apply(demoRows(5)) // equal, not the same slices
	if updates != 0 {
		t.Fatalf("an unchanged view-model updated %d rows", updates)
	}
	changed := demoRows(5)
	changed.Rows[0].Detail = "payments-api · demo · 2m"
	v.apply(changed)
	if updates == 0 {
		t.Fatal("a changed view-model updated no row")
	}
	if got := rowFor(t, w, changed.Rows[0].ID).full[2]; got != changed.Rows[0].Detail {
		t.Fatalf("row 0 shows %q after the change, want %q", got, changed.Rows[0].Detail)
	}
}
