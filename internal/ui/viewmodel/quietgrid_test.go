package viewmodel

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/quiet"
)

// mark sets hours [from,to) of grid row d; to may pass 24 into the next days.
func mark(g *Grid, d, from, to int) {
	for h := from; h < to; h++ {
		g.set(d*24+h, true)
	}
}

func TestWindowsFromGrid(t *testing.T) {
	tests := []struct {
		name string
		grid func(*Grid)
		want []quiet.Window
	}{
		{"empty", func(*Grid) {}, []quiet.Window{}},
		{"weekend all day", func(g *Grid) { mark(g, 5, 0, 48) },
			[]quiet.Window{{Days: []string{"sat", "sun"}, AllDay: true}}},
		{"every hour", func(g *Grid) { mark(g, 0, 0, 7*24) },
			[]quiet.Window{{Days: []string{"mon-sun"}, AllDay: true}}},
		{"weeknights cross midnight", func(g *Grid) {
			for d := range 5 {
				mark(g, d, 22, 24+7)
			}
		}, []quiet.Window{{Days: []string{"mon-fri"}, From: "22:00", To: "07:00"}}},
		{"Sunday night into Monday wraps the week", func(g *Grid) { mark(g, 6, 23, 24+6) },
			[]quiet.Window{{Days: []string{"sun"}, From: "23:00", To: "06:00"}}},
		{"evening to midnight", func(g *Grid) { mark(g, 2, 20, 24) },
			[]quiet.Window{{Days: []string{"wed"}, From: "20:00", To: "24:00"}}},
		{"two runs a day", func(g *Grid) {
			mark(g, 0, 0, 7)
			mark(g, 0, 12, 13)
			mark(g, 0, 22, 24)
		}, []quiet.Window{
			{Days: []string{"mon"}, From: "00:00", To: "07:00"},
			{Days: []string{"mon"}, From: "12:00", To: "13:00"},
			{Days: []string{"mon"}, From: "22:00", To: "24:00"},
		}},
		{"a night too long to be one window", func(g *Grid) { mark(g, 3, 5, 24+10) }, []quiet.Window{
			{Days: []string{"thu"}, From: "05:00", To: "24:00"},
			{Days: []string{"fri"}, From: "00:00", To: "10:00"},
		}},
		{"night into a weekend with no night to copy", func(g *Grid) { mark(g, 4, 18, 24*3) }, []quiet.Window{
			{Days: []string{"fri"}, From: "18:00", To: "24:00"},
			{Days: []string{"sat", "sun"}, AllDay: true},
		}},
		{"default rules", func(g *Grid) { *g = GridFromWindows(config.Default().Quiet.Windows) }, []quiet.Window{
			{Days: []string{"mon-fri", "sun"}, From: "22:00", To: "07:00"},
			{Days: []string{"sat", "sun"}, AllDay: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g Grid
			tt.grid(&g)
			got := WindowsFromGrid(g)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("WindowsFromGrid =\n  %v\nwant\n  %v", got, tt.want)
			}
			if back := GridFromWindows(got); back != g {
				t.Fatalf("windows %v do not give the grid back", got)
			}
			if err := (quiet.Rules{Windows: got}).Validate(); err != nil {
				t.Fatalf("windows are invalid: %v", err)
			}
		})
	}
}

func TestGridFromWindows(t *testing.T) {
	tests := []struct {
		name    string
		windows []quiet.Window
		want    func(*Grid)
	}{
		{"Sat–Sun all day", []quiet.Window{{Days: []string{"sat-sun"}, AllDay: true}}, func(g *Grid) { mark(g, 5, 0, 48) }},
		{"a window belongs to the day it starts", []quiet.Window{{Days: []string{"Sunday"}, From: "22:00", To: "07:00"}},
			func(g *Grid) { mark(g, 6, 22, 24+7) }},
		{"wrapping range", []quiet.Window{{Days: []string{"fri-mon"}, From: "09:00", To: "10:00"}}, func(g *Grid) {
			for _, d := range []int{4, 5, 6, 0} {
				mark(g, d, 9, 10)
			}
		}},
		{"minutes round outwards", []quiet.Window{{Days: []string{"tue"}, From: "22:30", To: "06:15"}},
			func(g *Grid) { mark(g, 1, 22, 24+7) }},
		{"to 24:00", []quiet.Window{{Days: []string{"wed"}, From: "21:00", To: "24:00"}}, func(g *Grid) { mark(g, 2, 21, 24) }},
		{"invalid windows are skipped", []quiet.Window{{Days: []string{"mon"}, From: "7:00", To: "07:00"}, {Days: []string{"xyz"}, AllDay: true}},
			func(*Grid) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want Grid
			tt.want(&want)
			if got := GridFromWindows(tt.windows); got != want {
				t.Fatalf("grid:\n%s\nwant:\n%s", gridString(got), gridString(want))
			}
		})
	}
}

func TestHourAligned(t *testing.T) {
	if !HourAligned(config.Default().Quiet.Windows) {
		t.Fatal("the default windows are on the hour")
	}
	if HourAligned([]quiet.Window{{Days: []string{"mon"}, From: "22:30", To: "07:00"}}) {
		t.Fatal("22:30 is not on the hour")
	}
}

// randomGrid draws grids of several textures: sparse noise, dense noise,
// and runs (nights, whole days) like real schedules.
func randomGrid(r *rand.Rand) Grid {
	var g Grid
	switch r.IntN(3) {
	case 0, 1:
		p := []float64{0.15, 0.85}[r.IntN(2)]
		for i := range hoursPerWeek {
			g.set(i, r.Float64() < p)
		}
	default:
		for range r.IntN(6) {
			mark(&g, r.IntN(7), r.IntN(24), r.IntN(24)+r.IntN(60))
		}
	}
	return g
}

// TestGridRoundTrip: for random grids, the windows give the same grid back,
// are valid config, and the policy itself (quiet.Rules.QuietAt) is quiet
// in exactly the marked hours.
func TestGridRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 24))
	monday := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC) // a Monday, no DST in UTC
	for i := range 300 {
		g := randomGrid(r)
		ws := WindowsFromGrid(g)
		if back := GridFromWindows(ws); back != g {
			t.Fatalf("case %d: round trip differs\ngrid:\n%s\nwindows: %v\nback:\n%s", i, gridString(g), ws, gridString(back))
		}
		if err := (quiet.Rules{Windows: ws}).Validate(); err != nil {
			t.Fatalf("case %d: invalid windows %v: %v", i, ws, err)
		}
		if i%10 != 0 {
			continue // QuietAt over every hour is the slow part
		}
		rules := quiet.Rules{Windows: ws}
		for h := range hoursPerWeek {
			at := monday.Add(time.Duration(h)*time.Hour + 30*time.Minute)
			if q, _, _ := rules.QuietAt(at, time.UTC); q != g.at(h) {
				t.Fatalf("case %d: at %s QuietAt = %v, grid says %v (windows %v)", i, at.Format("Mon 15:04"), q, g.at(h), ws)
			}
		}
	}
}

// TestGridWindowsAreFew: no day needs more windows than it has runs.
func TestGridWindowsAreFew(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		g := randomGrid(r)
		entries := 0
		for _, w := range WindowsFromGrid(g) {
			entries += len(windowDays(w))
		}
		if runs := countRuns(g); entries > runs+7 {
			t.Fatalf("%d day-windows for %d runs:\n%s", entries, runs, gridString(g))
		}
	}
}

func countRuns(g Grid) int {
	n := 0
	for d := range 7 {
		for h := range 24 {
			if g[d][h] && (h == 0 || !g[d][h-1]) {
				n++
			}
		}
	}
	return n
}

func FuzzGridRoundTrip(f *testing.F) {
	f.Add(uint64(0), uint64(0), uint64(0))
	f.Add(^uint64(0), ^uint64(0), ^uint64(0))
	f.Add(uint64(0xC00000_7F), uint64(0xC00000_7F)<<24, uint64(1)<<40)
	f.Fuzz(func(t *testing.T, a, b, c uint64) {
		var g Grid
		bits := [3]uint64{a, b, c}
		for i := range hoursPerWeek {
			g.set(i, bits[i/64]>>(i%64)&1 == 1)
		}
		if back := GridFromWindows(WindowsFromGrid(g)); back != g {
			t.Fatalf("round trip differs for\n%s", gridString(g))
		}
	})
}

func TestGridSummary(t *testing.T) {
	g := GridFromWindows(config.Default().Quiet.Windows)
	got := GridSummary(g)
	want := [7]string{
		"Mon: quiet 00:00–07:00, 22:00–24:00",
		"Tue: quiet 00:00–07:00, 22:00–24:00",
		"Wed: quiet 00:00–07:00, 22:00–24:00",
		"Thu: quiet 00:00–07:00, 22:00–24:00",
		"Fri: quiet 00:00–07:00, 22:00–24:00",
		"Sat: quiet all day",
		"Sun: quiet all day",
	}
	if got != want {
		t.Fatalf("summary:\n%s", strings.Join(got[:], "\n"))
	}
	if s := GridSummary(Grid{})[2]; s != "Wed: never quiet" {
		t.Fatalf("empty day: %q", s)
	}
	if n := g.QuietHours(); n != 5*9+48 {
		t.Fatalf("QuietHours = %d", n)
	}
}

func gridString(g Grid) string {
	var b strings.Builder
	for d := range 7 {
		b.WriteString(GridDays[d] + " ")
		for h := range 24 {
			if g[d][h] {
				b.WriteByte('#')
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestGridZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	summer := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{berlin, "Times are in Europe/Berlin (CEST)"},
		{time.UTC, "Times are in UTC"},
		{time.FixedZone("Local", 0), "Times are in your system time zone (Local)"},
	}
	for _, tt := range tests {
		if got := GridZone(tt.loc, summer); got != tt.want {
			t.Errorf("GridZone(%s) = %q, want %q", tt.loc, got, tt.want)
		}
	}
}
