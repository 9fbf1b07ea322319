package viewmodel

import (
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/report"
)

// HeatLevels is how many shades a non-empty heatmap cell can take.
const HeatLevels = 4

// Heatmap is the Report tab's hour-of-day × weekday picture of loud
// interruptions: rows Monday first (GridDays), a column per wall-clock hour.
type Heatmap struct {
	// Cells hold each hour's count and its shade: 0 for none, else
	// 1…HeatLevels relative to the busiest cell.
	Cells [7][24]HeatCell
	Max   int
	// Caption says what the picture shows, or that it is empty.
	Caption string
}

// HeatCell is one hour of one weekday.
type HeatCell struct {
	Count int
	Level int
}

// WeekBars is the Report tab's weekly bar chart: one bar per week, oldest
// first, its height the loud interruptions, the night ones part of it.
type WeekBars struct {
	Bars []WeekBar
	// Max is the tallest bar's count (at least 1, so heights divide).
	Max int
}

// WeekBar is one week.
type WeekBar struct {
	Label string // "09 Mar"
	Loud  int
	Night int
	Pages int
	// NotRecorded weeks are drawn as an outline, not as a zero.
	NotRecorded bool
	// Tip is the week in words, for a tooltip or a screen reader.
	Tip string
}

// ReportView is the Report tab's pictures.
type ReportView struct {
	Heat Heatmap
	Bars WeekBars
}

// NewReportView computes the pictures from a report.
func NewReportView(r report.Report) ReportView {
	return ReportView{Heat: newHeatmap(r), Bars: newWeekBars(r.Weeks)}
}

func newHeatmap(r report.Report) Heatmap {
	h := Heatmap{Max: r.Heat.Max()}
	total := 0
	for d := range 7 {
		for hr := range 24 {
			n := r.Heat[d][hr]
			total += n
			h.Cells[d][hr] = HeatCell{Count: n, Level: heatLevel(n, h.Max)}
		}
	}
	switch total {
	case 0:
		h.Caption = "No loud interruptions since " + r.From.Format("Mon 02 Jan") + "."
	case 1:
		h.Caption = "1 loud interruption since " + r.From.Format("Mon 02 Jan") + ", by hour and weekday."
	default:
		h.Caption = fmt.Sprintf("%d loud interruptions since %s, by hour and weekday.", total, r.From.Format("Mon 02 Jan"))
	}
	return h
}

// heatLevel is n's shade: 0 for none, else ⌈n·HeatLevels/max⌉.
func heatLevel(n, max int) int {
	if n <= 0 || max <= 0 {
		return 0
	}
	return (n*HeatLevels + max - 1) / max
}

func newWeekBars(weeks []report.Period) WeekBars {
	b := WeekBars{Max: 1}
	for _, w := range weeks {
		bar := WeekBar{Label: w.Start.Format("02 Jan"), Loud: w.Loud, Night: w.LoudNight, Pages: w.Pages,
			NotRecorded: w.Coverage == report.NotCovered}
		bar.Tip = weekTip(w)
		b.Max = max(b.Max, w.Loud)
		b.Bars = append(b.Bars, bar)
	}
	return b
}

func weekTip(w report.Period) string {
	head := "Week of " + w.Start.Format("Mon 02 Jan")
	if w.Coverage == report.NotCovered {
		return head + ": " + w.Note
	}
	s := fmt.Sprintf("%s: %d pages, %d loud (%d at night)", head, w.Pages, w.Loud, w.LoudNight)
	if w.Responded > 0 {
		s += ", answered in " + w.Median.Round(time.Second).String() + " (median)"
	}
	if w.Note != "" {
		s += ". " + w.Note
	}
	return s
}
