package report

import (
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

func at(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, berlin) }

// history is a synthetic month: recording began Tue 3 March 12:00; the
// week of 9 March had four pages, the week of 16 March none, and the
// current week (now Wed 25 March 10:00) one so far.
func history() Input {
	return Input{
		Now: at(time.March, 25, 10, 0), Loc: berlin, Weeks: 5, Since: at(time.March, 3, 12, 0),
		Pages: []Page{
			{Key: "early", Seen: at(time.March, 2, 8, 0)}, // before the history began: not counted
			{Key: "A", Seen: at(time.March, 10, 3, 0), Resolved: at(time.March, 10, 4, 0)},
			{Key: "B", Seen: at(time.March, 10, 14, 0), Acked: at(time.March, 10, 14, 10)},
			{Key: "C", Seen: at(time.March, 11, 11, 0)},
			{Key: "D", Seen: at(time.March, 12, 23, 30)},
			{Key: "F", Seen: at(time.March, 23, 9, 0), Acked: at(time.March, 23, 9, 1)},
		},
		Events: []Event{
			{Key: "early", At: at(time.March, 2, 8, 0), Kind: Loud},
			{Key: "A", At: at(time.March, 10, 3, 0), Kind: Loud, Quiet: true},
			{Key: "A", At: at(time.March, 10, 3, 2), Kind: Claimed},
			{Key: "B", At: at(time.March, 10, 14, 0), Kind: Loud},
			{Key: "C", At: at(time.March, 11, 11, 0), Kind: Held},
			{Key: "D", At: at(time.March, 12, 23, 30), Kind: Loud},
			{Key: "D", At: at(time.March, 12, 23, 31), Kind: "quiet"}, // other kinds are ignored
			{Key: "F", At: at(time.March, 23, 9, 0), Kind: Loud},
		},
		Shifts: []Shift{
			{Name: "Payments", Start: at(time.March, 9, 18, 0), End: at(time.March, 10, 9, 0)},
			{Name: "Payments", Start: at(time.March, 30, 9, 0), End: at(time.March, 31, 9, 0)}, // future: left out
		},
	}
}

func TestWeeks(t *testing.T) {
	r := Compute(history())
	want := []struct {
		start    time.Time
		coverage Coverage
		counts   Counts
		note     string
	}{
		{at(time.February, 23, 0, 0), NotCovered, Counts{}, "Not recorded: Standby's history begins Tue 03 Mar 2026 12:00."},
		{at(time.March, 2, 0, 0), Partial, Counts{}, "Recorded from Tue 03 Mar 12:00. No pages."},
		{at(time.March, 9, 0, 0), Full, Counts{Pages: 4, Loud: 3, LoudQuiet: 1, LoudNight: 2, Held: 1, Resolved: 1,
			Responded: 2, Median: 2 * time.Minute, P90: 10 * time.Minute}, ""},
		{at(time.March, 16, 0, 0), Full, Counts{}, "No pages."},
		{at(time.March, 23, 0, 0), Full, Counts{Pages: 1, Loud: 1, Responded: 1, Median: time.Minute, P90: time.Minute},
			"So far (until Wed 25 Mar 10:00)."},
	}
	if len(r.Weeks) != len(want) {
		t.Fatalf("%d weeks, want %d", len(r.Weeks), len(want))
	}
	for i, w := range want {
		got := r.Weeks[i]
		if !got.Start.Equal(w.start) || got.Coverage != w.coverage || got.Counts != w.counts || got.Note != w.note {
			t.Errorf("week %d = %s %s %+v %q\nwant      %s %s %+v %q", i, got.Start, got.Coverage, got.Counts, got.Note, w.start, w.coverage, w.counts, w.note)
		}
	}
	if tot := r.Total.Counts; tot.Pages != 5 || tot.Loud != 4 || tot.Responded != 3 || tot.Median != 2*time.Minute || tot.P90 != 10*time.Minute {
		t.Errorf("total = %+v", tot)
	}
}

func TestShifts(t *testing.T) {
	r := Compute(history())
	if len(r.Shifts) != 1 {
		t.Fatalf("shifts = %+v, want only the past one", r.Shifts)
	}
	want := Counts{Pages: 1, Loud: 1, LoudQuiet: 1, LoudNight: 1, Resolved: 1, Responded: 1, Median: 2 * time.Minute, P90: 2 * time.Minute}
	if got := r.Shifts[0]; got.Counts != want || got.Label != "Payments Mon 09 Mar 18:00 → Tue 10 Mar 09:00" {
		t.Errorf("shift = %q %+v, want %+v", got.Label, got.Counts, want)
	}
}

func TestHeat(t *testing.T) {
	r := Compute(history())
	want := map[[2]int]int{{1, 3}: 1, {1, 14}: 1, {3, 23}: 1, {0, 9}: 1} // Tue 03, Tue 14, Thu 23, Mon 09
	sum := 0
	for d := range 7 {
		for h := range 24 {
			sum += r.Heat[d][h]
			if r.Heat[d][h] != want[[2]int{d, h}] {
				t.Errorf("heat[%d][%d] = %d, want %d", d, h, r.Heat[d][h], want[[2]int{d, h}])
			}
		}
	}
	if sum != 4 || r.Heat.Max() != 1 {
		t.Errorf("heat sum %d max %d, want 4 and 1", sum, r.Heat.Max())
	}
}

// Weeks start at local midnight on Monday, also across DST: the week of
// the spring change is 167 hours long.
func TestWeeksAcrossDST(t *testing.T) {
	in := Input{Now: at(time.April, 1, 12, 0), Loc: berlin, Weeks: 2}
	r := Compute(in)
	if !r.Weeks[0].Start.Equal(at(time.March, 23, 0, 0)) || !r.Weeks[1].Start.Equal(at(time.March, 30, 0, 0)) {
		t.Fatalf("weeks start %v, %v", r.Weeks[0].Start, r.Weeks[1].Start)
	}
	if d := r.Weeks[0].End.Sub(r.Weeks[0].Start); d != 167*time.Hour {
		t.Errorf("DST week lasts %v, want 167h", d)
	}
	if r.Weeks[0].Note != "No pages." || r.Weeks[0].Coverage != Full {
		t.Errorf("empty week without a history start: %+v", r.Weeks[0])
	}
}

func TestPercentile(t *testing.T) {
	m := time.Minute
	for _, c := range []struct {
		in       []time.Duration
		p50, p90 time.Duration
	}{
		{nil, 0, 0},
		{[]time.Duration{3 * m}, 3 * m, 3 * m},
		{[]time.Duration{1 * m, 2 * m, 3 * m, 4 * m, 5 * m, 6 * m, 7 * m, 8 * m, 9 * m, 10 * m}, 5 * m, 9 * m},
		{[]time.Duration{1 * m, 2 * m, 30 * m}, 2 * m, 30 * m},
	} {
		if got := percentile(c.in, 50); got != c.p50 {
			t.Errorf("p50(%v) = %v, want %v", c.in, got, c.p50)
		}
		if got := percentile(c.in, 90); got != c.p90 {
			t.Errorf("p90(%v) = %v, want %v", c.in, got, c.p90)
		}
	}
}

func TestNight(t *testing.T) {
	for h, want := range map[int]bool{21: false, 22: true, 23: true, 0: true, 6: true, 7: false, 12: false} {
		if DefaultNight.Has(h) != want {
			t.Errorf("night has %d = %v", h, !want)
		}
	}
	if !(Night{From: 1, To: 5}).Has(3) || (Night{From: 1, To: 5}).Has(5) {
		t.Error("a night within one day")
	}
}
