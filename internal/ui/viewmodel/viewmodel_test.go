package viewmodel

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/schedule"
)

var (
	berlin, _ = time.LoadLocation("Europe/Berlin")
	now       = time.Date(2026, 11, 24, 3, 0, 0, 0, berlin)
)

func pv(up string, st page.Status, u page.Urgency, claims ...page.Claim) app.PageView {
	return app.PageView{
		PageState: engine.PageState{Page: page.Page{ID: page.ID{Source: "am", Upstream: up}, Title: "T " + up,
			Service: "svc", Status: st, Urgency: u, OpenedAt: now.Add(-12 * time.Minute), Claims: claims}},
		Now: quiet.Decision{Level: quiet.Loud, Reason: "Loud: outside quiet hours"},
	}
}

func TestPagesRowsAndStates(t *testing.T) {
	bob := page.Claim{By: "bob", Kind: page.ClaimLooking, At: now.Add(-3 * time.Minute), Expires: now.Add(27 * time.Minute)}
	expired := page.Claim{By: "carol", Kind: page.ClaimLooking, At: now.Add(-40 * time.Minute), Expires: now.Add(-10 * time.Minute)}
	mine := pv("d", page.StatusTriggered, page.UrgencyHigh)
	mine.MyClaim = &page.Claim{By: "alice", Expires: now.Add(30 * time.Minute)}
	acked := pv("c", page.StatusAcknowledged, page.UrgencyHigh)
	acked.AckedBy = "dave"
	failed := pv("e", page.StatusTriggered, page.UrgencyLow)
	failed.LastError = &engine.ActionError{Kind: engine.ActAck, Msg: "token rejected (401)"}
	s := app.Snapshot{At: now, Me: "alice", Pages: []app.PageView{
		pv("a", page.StatusTriggered, page.UrgencyHigh),
		pv("b", page.StatusTriggered, page.UrgencyHigh, bob),
		acked, mine, failed,
		pv("f", page.StatusTriggered, page.UrgencyLow, expired),
	}}
	vm := Pages(s)
	want := []struct{ state, color string }{
		{"new", ColorError},
		{"bob is looking (3 min ago)", ColorError},
		{"acked by dave", ColorMuted},
		{"you are looking (until 03:30)", ColorError},
		{"new", ColorWarning},
		{"new", ColorWarning}, // an expired claim no longer counts
	}
	if len(vm.Rows) != len(want) {
		t.Fatalf("%d rows", len(vm.Rows))
	}
	for i, w := range want {
		if vm.Rows[i].State != w.state || vm.Rows[i].Color != w.color {
			t.Errorf("row %d: state %q color %q, want %q %q", i, vm.Rows[i].State, vm.Rows[i].Color, w.state, w.color)
		}
	}
	if vm.Waiting != 3 { // a, e, f: not acked, not claimed by anyone
		t.Errorf("Waiting = %d, want 3", vm.Waiting)
	}
	if r := vm.Rows[2]; r.CanAck || !r.CanUnack {
		t.Errorf("acked row actions: %+v", r)
	}
	if r := vm.Rows[3]; r.CanLook || !r.Looking {
		t.Errorf("my claimed row: %+v", r)
	}
	if !strings.Contains(vm.Rows[4].Error, "Ack failed: token rejected (401)") {
		t.Errorf("error row: %q", vm.Rows[4].Error)
	}
	if vm.Rows[0].Subtitle != "svc · am · 12m" || vm.Empty != "" {
		t.Errorf("subtitle %q empty %q", vm.Rows[0].Subtitle, vm.Empty)
	}
}

func TestPagesEmptyStates(t *testing.T) {
	tests := []struct {
		name    string
		sources []engine.SourceStatus
		want    string
	}{
		{"no sources", nil, "Add your Alertmanager"},
		{"all stale", []engine.SourceStatus{{Name: "am", Health: engine.HealthStale}}, "no source can be reached"},
		{"quiet", []engine.SourceStatus{{Name: "am", Health: engine.HealthOK}}, "All quiet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm := Pages(app.Snapshot{At: now, Sources: tt.sources})
			if !strings.Contains(vm.Empty, tt.want) {
				t.Fatalf("Empty = %q, want it to mention %q", vm.Empty, tt.want)
			}
		})
	}
}

func TestTrayStateAndMenu(t *testing.T) {
	onCall := quiet.OnCall{OnCall: true, Schedule: "Payments", Until: now.Add(30 * time.Hour)}
	tests := []struct {
		name   string
		snap   app.Snapshot
		state  TrayState
		status string
		sched  string
	}{
		{"idle", app.Snapshot{}, TrayIdle, "No open pages", "Not on call"},
		{"on call", app.Snapshot{Quiet: app.QuietStatus{OnCall: onCall}}, TrayOnCall, "No open pages", "On call until Wed 09:00"},
		{"quiet beats on call", app.Snapshot{Quiet: app.QuietStatus{Quiet: true, Until: now.Add(4 * time.Hour), OnCall: onCall}}, TrayQuiet, "No open pages", "On call until Wed 09:00"},
		{"page beats quiet", app.Snapshot{Quiet: app.QuietStatus{Quiet: true, Until: now.Add(4 * time.Hour)},
			Pages: []app.PageView{pv("a", page.StatusTriggered, page.UrgencyHigh)}}, TrayPage, "1 page waiting", "Not on call"},
		{"taken pages are not waiting", app.Snapshot{Pages: []app.PageView{pv("a", page.StatusAcknowledged, page.UrgencyHigh)}}, TrayIdle, "1 open, all taken", "Not on call"},
		{"next shift", app.Snapshot{NextShift: now.Add(50 * time.Hour)}, TrayIdle, "No open pages", "Next shift Thu 05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.snap.At, tt.snap.Me = now, "alice"
			vm := Tray(tt.snap, berlin)
			if vm.State != tt.state || vm.Status != tt.status || vm.Schedule != tt.sched {
				t.Fatalf("got %q %q %q, want %q %q %q", vm.State, vm.Status, vm.Schedule, tt.state, tt.status, tt.sched)
			}
			if tt.snap.Quiet.Quiet != (vm.Quiet != "") {
				t.Fatalf("Quiet line %q", vm.Quiet)
			}
		})
	}
}

func TestTrayListsAtMostTen(t *testing.T) {
	s := app.Snapshot{At: now, Me: "alice"}
	for i := range 14 {
		s.Pages = append(s.Pages, pv(fmt.Sprint(i), page.StatusTriggered, page.UrgencyHigh))
	}
	vm := Tray(s, berlin)
	if len(vm.Items) != MaxTrayPages || vm.More != "and 4 more…" || vm.Status != "14 pages waiting" {
		t.Fatalf("items %d more %q status %q", len(vm.Items), vm.More, vm.Status)
	}
	if !vm.Items[0].CanAck || !vm.Items[0].CanLook {
		t.Fatalf("first item actions: %+v", vm.Items[0])
	}
}

func TestTrayProblem(t *testing.T) {
	vm := Tray(app.Snapshot{At: now, NotifyErr: "no daemon"}, berlin)
	if !strings.Contains(vm.Problem, "Notifications are failing") {
		t.Fatalf("Problem = %q", vm.Problem)
	}
	vm = Tray(app.Snapshot{At: now, Sources: []engine.SourceStatus{{Name: "pd", Health: engine.HealthStale}}}, berlin)
	if !strings.Contains(vm.Problem, "pd unreachable") {
		t.Fatalf("Problem = %q", vm.Problem)
	}
}

func TestSources(t *testing.T) {
	s := app.Snapshot{At: now, Sources: []engine.SourceStatus{
		{Name: "am", Health: engine.HealthOK, Pages: 2, LastAttempt: now.Add(-20 * time.Second), Interval: 30 * time.Second},
		{Name: "pd", Health: engine.HealthStale, Err: "token rejected (401)", LastSuccess: now.Add(-2 * time.Hour)},
		{Name: "og", Health: engine.HealthPending},
	}}
	rows := Sources(s)
	if rows[0].Color != ColorSuccess || rows[0].Detail != "2 open pages · polled just now · every 30s" {
		t.Errorf("ok row: %+v", rows[0])
	}
	if rows[1].Color != ColorError || !strings.Contains(rows[1].Detail, "token rejected (401)") || !strings.Contains(rows[1].Detail, "last reached 2 h ago") {
		t.Errorf("stale row: %+v", rows[1])
	}
	if rows[2].Detail != "connecting…" {
		t.Errorf("pending row: %+v", rows[2])
	}
}

func TestScheduleGroupsByLocalDay(t *testing.T) {
	mk := func(start time.Time, h int) schedule.Span {
		return schedule.Span{Start: start, End: start.Add(time.Duration(h) * time.Hour), Schedules: []string{"Payments"}}
	}
	v := app.ScheduleView{
		OnCall: quiet.OnCall{OnCall: true, Schedule: "Payments", Until: now.Add(54 * time.Hour)},
		Shifts: []schedule.Span{
			mk(now.Add(-2*time.Hour), 56),
			mk(time.Date(2026, 11, 26, 22, 0, 0, 0, berlin), 2),
			mk(time.Date(2026, 11, 26, 23, 30, 0, 0, berlin), 1),
		},
		Feeds: []app.FeedStatus{{Name: "primary", Stale: true, Err: "server said 500 Internal Server Error"}},
	}
	vm := Schedule(v, now, berlin)
	if vm.Headline != "On call for Payments until Thu 26 Nov 09:00 (2 d 6 h left)" {
		t.Errorf("headline %q", vm.Headline)
	}
	if len(vm.Days) != 2 || vm.Days[0].Day != "Tue 24 Nov" || len(vm.Days[1].Shifts) != 2 {
		t.Fatalf("days %+v", vm.Days)
	}
	if !strings.Contains(vm.Feeds[0], "keeping the last good copy: server said 500") {
		t.Errorf("feed line %q", vm.Feeds[0])
	}
	empty := Schedule(app.ScheduleView{}, now, berlin)
	if !strings.Contains(empty.Empty, "standby feed add") || empty.Headline != "Not on call, and no shift in the next 90 days." {
		t.Errorf("empty %+v", empty)
	}
}

// A shift under way that began days ago is listed under today: its line
// says when it began, not that day's clock time alone (which read as if it
// started today).
func TestScheduleShiftBegunEarlierSaysSince(t *testing.T) {
	began := now.AddDate(0, 0, -3) // Sat 21 Nov, same clock time as now
	v := app.ScheduleView{Shifts: []schedule.Span{
		{Start: began, End: now.Add(48 * time.Hour), Schedules: []string{"Payments"}},
		{Start: now.Add(-time.Hour), End: now.Add(time.Hour), Schedules: []string{"Game day"}},
	}}
	vm := Schedule(v, now, berlin)
	today := now.In(berlin).Format("Mon 02 Jan")
	if len(vm.Days) != 1 || vm.Days[0].Day != today || len(vm.Days[0].Shifts) != 2 {
		t.Fatalf("days %+v, want both shifts under %s", vm.Days, today)
	}
	want := fmt.Sprintf("since %s → %s · Payments", began.In(berlin).Format("Mon 02 Jan 15:04"), now.Add(48*time.Hour).In(berlin).Format("Mon 02 Jan 15:04"))
	if vm.Days[0].Shifts[0] != want {
		t.Errorf("shift begun 3 days ago reads %q, want %q", vm.Days[0].Shifts[0], want)
	}
	if got := vm.Days[0].Shifts[1]; !strings.HasPrefix(got, now.Add(-time.Hour).In(berlin).Format("15:04")+" → ") {
		t.Errorf("shift begun earlier today reads %q, want its clock time alone", got)
	}
}

func TestTeam(t *testing.T) {
	if vm := Team(app.Snapshot{Team: app.TeamStatus{Hint: "join"}}); vm.Title != "Team: working alone" || vm.Detail != "join" {
		t.Errorf("%+v", vm)
	}
	if vm := Team(app.Snapshot{Team: app.TeamStatus{Configured: true, Err: "hub refused the token (revoked or wrong)"}}); vm.Color != ColorError || !strings.Contains(vm.Detail, "refused") {
		t.Errorf("%+v", vm)
	}
}

func TestDurations(t *testing.T) {
	for _, tt := range []struct {
		d          time.Duration
		age, count string
	}{
		{30 * time.Second, "now", "0 min"},
		{12 * time.Minute, "12m", "12 min"},
		{3*time.Hour + 5*time.Minute, "3h05m", "3 h 05 min"},
		{100 * time.Hour, "4d", "4 d 4 h"},
	} {
		if Age(tt.d) != tt.age || Countdown(tt.d) != tt.count {
			t.Errorf("%v: %q %q", tt.d, Age(tt.d), Countdown(tt.d))
		}
	}
}

func TestQuietExplainsAtMostMaxDecisions(t *testing.T) {
	s := app.Snapshot{At: now}
	for i := range MaxDecisions + 5 {
		s.Pages = append(s.Pages, pv(fmt.Sprint(i), page.StatusTriggered, page.UrgencyHigh))
	}
	vm := Quiet(s)
	if len(vm.Decisions) != MaxDecisions+1 || vm.Decisions[MaxDecisions] != "… and 5 more on the Pages tab" {
		t.Fatalf("%d lines, last %q", len(vm.Decisions), vm.Decisions[len(vm.Decisions)-1])
	}
	if !strings.HasSuffix(vm.Decisions[0], "Loud: outside quiet hours") {
		t.Fatalf("first line %q", vm.Decisions[0])
	}
}

func TestDecisionLogInUserZone(t *testing.T) {
	got := DecisionLog([]app.Decision{{Seen: time.Date(2026, 11, 24, 2, 12, 0, 0, time.UTC), Title: "Disk full",
		Reason: "Deferred to 07:00: quiet hours, you are not on call"}}, berlin)
	if len(got) != 1 || got[0] != "Tue 03:12  Disk full — Deferred to 07:00: quiet hours, you are not on call" {
		t.Fatalf("log = %q", got)
	}
}

// A page row's ages move with the clock's minutes only: the same row at
// 03:05:10 and 03:05:50 (a poll in between), one minute more at 03:06:00.
func TestPageAgesMoveAtWholeMinutes(t *testing.T) {
	bob := page.Claim{By: "bob", Kind: page.ClaimLooking, At: now.Add(-20 * time.Second), Expires: now.Add(time.Hour)}
	p := pv("a", page.StatusTriggered, page.UrgencyHigh, bob)
	p.OpenedAt = now.Add(-10 * time.Second) // 02:59:50
	rowAt := func(at time.Time) PageRow {
		return Pages(app.Snapshot{At: at, Me: "alice", Pages: []app.PageView{p}}).Rows[0]
	}
	base := now.Add(5 * time.Minute)
	a, b, c := rowAt(base.Add(10*time.Second)), rowAt(base.Add(50*time.Second)), rowAt(base.Add(time.Minute))
	if a != b {
		t.Errorf("the row changed within a minute:\n%+v\n%+v", a, b)
	}
	if !strings.HasSuffix(a.Subtitle, " · 6m") || a.State != "bob is looking (6 min ago)" {
		t.Errorf("at 03:05:10: %q, %q; want 6m since 02:59 (at most a minute off)", a.Subtitle, a.State)
	}
	if !strings.HasSuffix(c.Subtitle, " · 7m") || c.State != "bob is looking (7 min ago)" {
		t.Errorf("at 03:06:00: %q, %q, want 7m", c.Subtitle, c.State)
	}
}

func TestClockAge(t *testing.T) {
	for _, c := range []struct {
		then, at time.Time
		want     time.Duration
	}{
		{now.Add(50 * time.Second), now.Add(70 * time.Second), time.Minute}, // 20 s apart, a minute crossed
		{now.Add(1 * time.Second), now.Add(59 * time.Second), 0},
		{now, now.Add(2*time.Hour + 59*time.Second), 2 * time.Hour},
		{now.Add(time.Minute), now, -time.Minute}, // a clock skewed behind
	} {
		if got := ClockAge(c.then, c.at); got != c.want {
			t.Errorf("ClockAge(%v, %v) = %v, want %v", c.then, c.at, got, c.want)
		}
	}
}
