package ui

import (
	"context"
	"errors"
	"image/color"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/report"
	"github.com/standby-oncall/standby/internal/trayhost"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// Report is the shell's fake's: nothing recorded yet.
func (f *fakeService) Report(context.Context, time.Time, int) (report.Report, error) {
	return report.Report{}, nil
}

// fakeReports answers Report with r and err.
type fakeReports struct {
	r   report.Report
	err error
}

func (f fakeReports) Report(context.Context, time.Time, int) (report.Report, error) {
	return f.r, f.err
}

// loadReport builds the tab on svc, loads it and waits for it to show.
func loadReport(t *testing.T, svc reportService) *reportView {
	t.Helper()
	var v *reportView
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		v = newReportView(svc)
		w := test.NewWindow(v.root)
		t.Cleanup(w.Close)
		w.Resize(fyne.NewSize(900, 700))
		v.load(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
		synctest.Wait()
	})
	return v
}

func TestReportTabSaysWhenNothingIsRecorded(t *testing.T) {
	v := loadReport(t, fakeReports{})
	if !strings.HasPrefix(v.status.Text, "Nothing recorded yet.") || v.content.Visible() {
		t.Errorf("no history: status %q, pictures shown %v", v.status.Text, v.content.Visible())
	}
}

func TestReportTabSaysWhyItCannotRead(t *testing.T) {
	v := loadReport(t, fakeReports{err: errors.New("database is locked")})
	if v.status.Text != "The report cannot be read: database is locked" || v.content.Visible() {
		t.Errorf("failing store: status %q, pictures shown %v", v.status.Text, v.content.Visible())
	}
}

func TestReportTabDrawsTheWeeks(t *testing.T) {
	mon := time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)
	r := report.Report{From: mon.AddDate(0, 0, -7), To: mon.AddDate(0, 0, 14), Since: mon.Add(3 * time.Hour)}
	r.Weeks = []report.Period{
		{Start: mon.AddDate(0, 0, -7), Coverage: report.NotCovered, Note: "Not recorded: Standby's history starts Mon 09 Nov."},
		{Start: mon, Coverage: report.Partial, Counts: report.Counts{Pages: 3, Loud: 2, LoudNight: 1}},
		{Start: mon.AddDate(0, 0, 7), Coverage: report.Full, Counts: report.Counts{Pages: 1, Loud: 1}},
	}
	r.Total = report.Period{Counts: report.Counts{Pages: 4, Loud: 3, LoudNight: 1, LoudQuiet: 1, Responded: 2, Median: 90 * time.Second, P90: 4 * time.Minute}}
	r.Heat[1][3] = 2 // Tuesday 03:00, twice
	r.Heat[4][14] = 1
	v := loadReport(t, fakeReports{r: r})

	if !v.content.Visible() || !strings.Contains(v.status.Text, "recorded since Mon 09 Nov 03:00") {
		t.Fatalf("status %q, pictures shown %v", v.status.Text, v.content.Visible())
	}
	if want := "4 pages, 3 loud (1 at night, 1 in quiet hours)"; !strings.HasPrefix(v.summary.Text, want) ||
		!strings.Contains(v.summary.Text, "half within 1m30s, nine in ten within 4m0s") {
		t.Errorf("summary %q", v.summary.Text)
	}
	if v.caption.Text != "3 loud interruptions since Mon 02 Nov, by hour and weekday." {
		t.Errorf("caption %q", v.caption.Text)
	}
	if tips := strings.Split(v.weeks.Text, "\n"); len(tips) != 3 || !strings.Contains(tips[0], "Not recorded") || !strings.HasPrefix(tips[1], "Week of Mon 09 Nov: 3 pages, 2 loud (1 at night)") {
		t.Errorf("weeks in words %q", tips)
	}

	// The heatmap: Tuesday 03:00 in the darkest shade, an empty hour in
	// the empty colour; weekday names beside it.
	img, names := pictureParts(v.heat)
	light, dark := reportPaletteFor(false), reportPaletteFor(true)
	busy := heatCellRect(1, 3).Min
	if got := img.At(busy.X+1, busy.Y+1); !sameRGB(got, light.Heat[viewmodel.HeatLevels-1]) {
		t.Errorf("Tuesday 03:00 drawn %v, want the darkest shade", got)
	}
	quiet := heatCellRect(0, 0).Min
	if got := img.At(quiet.X+1, quiet.Y+1); !sameRGB(got, light.Empty) && !sameRGB(got, dark.Empty) {
		t.Errorf("Monday 00:00 drawn %v, want the empty colour", got)
	}
	if !strings.HasPrefix(strings.Join(names, " "), "Mon Tue Wed Thu Fri Sat Sun 00 06 12 18") {
		t.Errorf("heatmap labels %q", names)
	}
	// The bars: one outline and two bars, each week's date under it.
	_, labels := pictureParts(v.bars)
	if strings.Join(labels, " ") != "02 Nov 09 Nov 16 Nov" {
		t.Errorf("week labels %q", labels)
	}
}

// pictureParts returns a picture's image and its texts in order.
func pictureParts(c *fyne.Container) (img interface {
	At(x, y int) color.Color
}, texts []string) {
	for _, o := range c.Objects {
		switch o := o.(type) {
		case *canvas.Image:
			img = o.Image
		case *canvas.Text:
			texts = append(texts, o.Text)
		}
	}
	return img, texts
}

func sameRGB(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar == br && ag == bg && ab == bb
}

// The shell reads the report when its tab is shown.
func TestShellLoadsTheReportWhenItsTabIsShown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		sh := startShell(t, svc, trayhost.Result{Bus: true, Host: true}, nil)
		if sh.report.status.Text != "Loading…" {
			t.Fatalf("the report was read before its tab was shown: %q", sh.report.status.Text)
		}
		sh.tabs.SelectIndex(2)
		synctest.Wait()
		if sh.tabs.Items[2].Text != "Report" || !strings.HasPrefix(sh.report.status.Text, "Nothing recorded yet.") {
			t.Errorf("tab %q says %q", sh.tabs.Items[2].Text, sh.report.status.Text)
		}
	})
}
