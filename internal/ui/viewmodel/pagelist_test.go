package viewmodel

import (
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
)

// grouped returns a page of Alertmanager group g with alert name name.
func grouped(up, g, name string) app.PageView {
	p := pv(up, page.StatusTriggered, page.UrgencyHigh)
	p.Group, p.Labels = g, map[string]string{"alertname": name}
	return p
}

func ids(items []Item) []string {
	var out []string
	for _, it := range items {
		s := it.ID().String()
		if it.Grouped {
			s = "  " + s
		}
		out = append(out, s)
	}
	return out
}

func TestPageListFoldsGroupsWhereTheFirstMemberSorts(t *testing.T) {
	held := pv("h", page.StatusTriggered, page.UrgencyLow)
	held.Now = quiet.Decision{Level: quiet.Held, Reason: "Held — bob is on call"}
	acked := grouped("g3", "G", "HighErrorRate")
	acked.Status = page.StatusAcknowledged
	s := app.Snapshot{At: now, Me: "alice", Pages: []app.PageView{
		pv("a", page.StatusTriggered, page.UrgencyHigh),
		grouped("g1", "G", "HighErrorRate"),
		held,
		grouped("g2", "G", "HighErrorRate"),
		acked,
		grouped("lone", "L", "DiskFull"), // a group of one is a plain row
	}}
	vm := Pages(s)

	items := PageList(vm, ListOptions{})
	want := []string{"am/a", "group:/am/G", "am/h", "am/lone"}
	if got := ids(items); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("folded list = %v, want %v", got, want)
	}
	h := items[1].Header
	if h.Title != "HighErrorRate — 3 alerts" {
		t.Errorf("header title %q", h.Title)
	}
	if len(h.AckIDs) != 2 || h.AckIDs[0].Upstream != "g1" || h.AckIDs[1].Upstream != "g2" {
		t.Errorf("group Ack acts on %v, want g1 g2 (g3 is acked)", h.AckIDs)
	}
	if h.Color != ColorError {
		t.Errorf("header colour %q, want the worst member's", h.Color)
	}

	items = PageList(vm, ListOptions{Expanded: map[string]bool{"am/G": true}})
	want = []string{"am/a", "group:/am/G", "  am/g1", "  am/g2", "  am/g3", "am/h", "am/lone"}
	if got := ids(items); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("expanded list = %v, want %v", got, want)
	}

	if got := ids(PageList(vm, ListOptions{Filter: FilterHeld})); strings.Join(got, ",") != "am/h" {
		t.Errorf("held filter = %v", got)
	}
	mine := ids(PageList(vm, ListOptions{Filter: FilterMine}))
	if strings.Join(mine, ",") != "am/a,group:/am/G,am/lone" {
		t.Errorf("mine filter = %v (held and acked pages are not mine)", mine)
	}
	// Search narrows a group to one page: it is no longer folded.
	if got := ids(PageList(vm, ListOptions{Query: "T G2"})); strings.Join(got, ",") != "am/g2" {
		t.Errorf("search = %v", got)
	}
	if got := PageList(vm, ListOptions{Query: "nothing like this"}); len(got) != 0 {
		t.Errorf("search with no match = %v", ids(got))
	}
}

func TestPageRowDetailIsOneLine(t *testing.T) {
	vm := Pages(app.Snapshot{At: now, Me: "alice", Pages: []app.PageView{pv("a", page.StatusTriggered, page.UrgencyHigh)}})
	if d := vm.Rows[0].Detail; d != "svc · am · 12m · Loud: outside quiet hours" {
		t.Fatalf("detail %q", d)
	}
}
