package ui

import (
	"math"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

func TestSourcesTabAddsAndTests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		svc := newFake()
		v := newSourcesView(svc)
		w := test.NewWindow(v.root)
		defer w.Close()
		w.Resize(fyne.NewSize(900, 900))

		test.Type(v.name, "prod")
		test.Type(v.url, "http://127.0.0.1:9093")
		test.Type(v.token, "s3cret")
		v.form.OnSubmit()
		synctest.Wait()
		calls, _ := svc.recorded()
		if !slices.Equal(calls, []string{"add-source:alertmanager:prod", "test-source:prod"}) {
			t.Fatalf("calls %v", calls)
		}
		if v.result.Text != "Added prod. Test: ok, 2 open pages." || v.token.Text != "" {
			t.Fatalf("result %q, token left %q", v.result.Text, v.token.Text)
		}
		if strings.Contains(v.result.Text, "s3cret") {
			t.Fatal("the token is shown")
		}

		// A refused source keeps what was typed and says why.
		v.name.SetText("")
		test.Type(v.token, "kept")
		v.form.OnSubmit()
		synctest.Wait()
		if v.result.Text != "Not added: a source needs a name" || v.token.Text != "kept" {
			t.Fatalf("refused: result %q, token %q", v.result.Text, v.token.Text)
		}

		v.apply([]viewmodel.SourceRow{{Name: "prod", Health: "ok", Color: viewmodel.ColorSuccess, Detail: "2 open pages"}})
		test.Tap(buttonWithText(t, v.root, "Test"))
		synctest.Wait()
		if calls, _ := svc.recorded(); calls[len(calls)-1] != "test-source:prod" || v.result.Text != "prod: ok, 2 open pages" {
			t.Fatalf("Test button: calls %v, result %q", calls, v.result.Text)
		}
	})
}

func TestSettingsTabSaves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		svc := newFake()
		v := newSettingsView(svc)
		w := test.NewWindow(v.root)
		defer w.Close()
		test.Type(v.name, "Alice  ")
		v.form.OnSubmit()
		synctest.Wait()
		if got := svc.Config().User.Name; got != "Alice" || v.status.Text != "Saved." {
			t.Fatalf("saved name %q, status %q", got, v.status.Text)
		}
	})
}

// TestScheduleWeekRender draws the week of the autumn DST change in
// Berlin and checks where the shifts land in pixels: the Sunday 09:00
// shift on the fourth day column at 9/24 of its width.
func TestScheduleWeekRender(t *testing.T) {
	test.NewTempApp(t)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	at := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, berlin) }
	span := func(name string, from, to time.Time) schedule.Span {
		return schedule.Span{Start: from, End: to, Schedules: []string{name},
			Shifts: []schedule.Shift{{Schedule: name, Start: from, End: to}}}
	}
	sv := app.ScheduleView{Shifts: []schedule.Span{span("Payments", at(25, 9), at(25, 17)), span("Database", at(24, 20), at(25, 8))}}
	now := at(22, 6)
	svc := newFake()
	v := newScheduleView(svc)
	w := test.NewWindow(v.root)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 800))
	v.apply(viewmodel.Schedule(sv, now, berlin))

	r := test.WidgetRenderer(v.week).(*weekRenderer)
	width := v.week.Size().Width
	dayW := (width - weekLabelWidth()) / viewmodel.WeekDays
	where := func(x float32) (day int, hour float64) {
		d := float64(x-weekLabelWidth()) / float64(dayW)
		return int(d), (d - math.Floor(d)) * 24
	}
	if len(r.blocks) != 2 || len(r.blocks[0]) != 1 || r.names[0].Text != "Payments" {
		t.Fatalf("lanes %d", len(r.blocks))
	}
	b := r.blocks[0][0]
	day, hour := where(b.Position().X)
	endDay, endHour := where(b.Position().X + b.Size().Width)
	if day != 3 || math.Abs(hour-9) > 0.05 || endDay != 3 || math.Abs(endHour-17) > 0.05 {
		t.Fatalf("Sunday's shift drawn from day %d %.2f h to day %d %.2f h, want day 3 09:00–17:00", day, hour, endDay, endHour)
	}
	if r.days[3].Text != "Sun 25" {
		t.Fatalf("fourth column is %q", r.days[3].Text)
	}
	day, hour = where(r.blocks[1][0].Position().X)
	if day != 2 || math.Abs(hour-20) > 0.05 {
		t.Fatalf("the shift across the change starts at day %d %.2f h, want day 2 20:00", day, hour)
	}
	day, hour = where(r.now.Position1.X)
	if day != 0 || math.Abs(hour-6) > 0.05 {
		t.Fatalf("now at day %d %.2f h", day, hour)
	}

	test.Tap(v.refresh)
	if len(svc.refreshd) != 1 {
		t.Fatal("Refresh now did not refresh the feeds")
	}
}
