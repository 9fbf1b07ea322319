package handoff

import (
	"strings"
	"testing"
	"time"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// A replayed shift: Mon 09:00 → Tue 09:00 Berlin with three pages in it,
// one before it and one after.
func replay() (Shift, []Page) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, berlin) }
	shift := Shift{Name: "Payments", Start: at(9, 9, 0), End: at(10, 9, 0)}
	return shift, []Page{
		{ID: "am/old", Title: "Before", Seen: at(9, 8, 59)},
		{ID: "pd/Q1", Title: "Checkout *down*", Seen: at(9, 10, 0), AckedBy: "alice", AckedAt: at(9, 10, 4), ResolvedByMe: true,
			Notes: []string{"rolled back 1.42"}},
		{ID: "am/fp2", Title: "Disk full", Seen: at(9, 23, 30), Open: true, ClaimedBy: []string{"bob"},
			Incident: "Incident — commander bob — doc ↗"},
		{ID: "am/fp3", Title: "Flapping", Seen: at(10, 3, 0)},
		{ID: "am/late", Title: "After", Seen: at(10, 9, 0)},
	}
}

func TestBuildFromAReplayedShift(t *testing.T) {
	shift, pages := replay()
	h := Build("alice", shift, pages, shift.End.Add(time.Minute))
	var ids []string
	for _, p := range h.Pages {
		ids = append(ids, p.ID)
	}
	if got := strings.Join(ids, " "); got != "am/fp2 pd/Q1 am/fp3" {
		t.Errorf("pages = %s, want the open one first, then by time, none outside the shift", got)
	}
	if h.Open != 1 || h.Ongoing {
		t.Errorf("open %d ongoing %v", h.Open, h.Ongoing)
	}
	if got := h.Headline(); got != "Handoff from alice: 3 pages, 1 still open" {
		t.Errorf("headline %q", got)
	}
	if d := h.Pages[1].TimeToAck(); d != 4*time.Minute {
		t.Errorf("time to ack %v", d)
	}
	md := h.Markdown(berlin)
	for _, want := range []string{
		"## Handoff from alice: 3 pages, 1 still open\n",
		"Payments, Mon 09 Mar 09:00 → Tue 10 Mar 09:00.",
		"- **open** Disk full — `am/fp2`, seen Mon 09 Mar 23:30; claimed by bob\n  - Incident — commander bob — doc ↗\n",
		"- resolved Checkout \\*down\\* — `pd/Q1`, seen Mon 09 Mar 10:00; acked by alice after 4m0s; resolved by me\n  - note: rolled back 1.42\n",
		"- resolved Flapping — `am/fp3`, seen Tue 10 Mar 03:00; nobody acked it here\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestOngoingAndEmpty(t *testing.T) {
	shift, _ := replay()
	h := Build("alice", shift, nil, shift.Start.Add(time.Hour))
	if h.Headline() != "Handoff from alice: 0 pages, 0 still open (shift not over yet)" {
		t.Errorf("headline %q", h.Headline())
	}
	if md := h.Markdown(berlin); !strings.Contains(md, "No pages during the shift.") {
		t.Errorf("empty markdown:\n%s", md)
	}
}

func TestMarkdownEscapesPageText(t *testing.T) {
	shift, _ := replay()
	p := Page{ID: "x/1", Title: "# [click](http://evil) <b>\n- fake item", Seen: shift.Start}
	md := Build("a", shift, []Page{p}, shift.End).Markdown(berlin)
	if !strings.Contains(md, "- resolved \\# \\[click\\](http://evil) \\<b> - fake item — ") || strings.Contains(md, "\n- fake") {
		t.Errorf("page text became Markdown:\n%s", md)
	}
}
