package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/app/team"
	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/handoff"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/report"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

const docLink = "https://docs.example.com/inc/42"

// incidentSnapshot is two demo pages: the first an incident bob commands
// with a living document and carol helping, the second none; alice is
// connected to the hub.
func incidentSnapshot(at time.Time) app.Snapshot {
	s := demoSnapshot(2, at)
	s.Team = team.Status{Configured: true, Connected: true}
	helpers := []string{"carol"}
	s.Pages[0].Incident = &app.Incident{Page: s.Pages[0].ID, Commander: "bob", Doc: docLink, Helpers: helpers,
		Line: app.IncidentLine("bob", true, helpers)}
	return s
}

// The incident line is on the row, the doc button opens the living
// document, and the selected row's incident button says what it does and
// does it.
func TestPageRowIncidentLineAndActions(t *testing.T) {
	var c calls
	var incidents []string
	a := c.actions()
	a.Incident = func(id page.ID, act viewmodel.IncidentAction) {
		incidents = append(incidents, string(act)+" "+id.Upstream)
	}
	test.NewTempApp(t)
	v := newPagesView(a)
	w := test.NewTempWindow(t, v.root)
	w.Resize(fyne.NewSize(1100, 620))
	vm := viewmodel.Pages(incidentSnapshot(time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)))
	v.apply(vm)

	r := rowFor(t, w, vm.Rows[0].ID)
	if !strings.HasPrefix(r.full[2], "Incident — commander bob — doc ↗ — carol is helping · ") {
		t.Errorf("row detail = %q", r.full[2])
	}
	if !r.doc.Visible() || r.inc.Visible() {
		t.Errorf("unselected row: doc shown %v (want true), incident action shown %v (want false)", r.doc.Visible(), r.inc.Visible())
	}
	test.Tap(r.doc)
	if len(c.open) != 1 || c.open[0] != docLink {
		t.Errorf("doc opened %v, want %s", c.open, docLink)
	}
	v.list.Select(0)
	r = rowFor(t, w, vm.Rows[0].ID)
	if !r.inc.Visible() || r.inc.Text != "Join incident" || r.doc.Text != "Doc ↗" {
		t.Fatalf("selected row: incident button %v %q, doc %q", r.inc.Visible(), r.inc.Text, r.doc.Text)
	}
	test.Tap(r.inc)
	v.list.Select(1)
	r2 := rowFor(t, w, vm.Rows[1].ID)
	if r2.doc.Visible() || r2.inc.Text != "Declare incident" {
		t.Errorf("page without incident: doc shown %v, action %q", r2.doc.Visible(), r2.inc.Text)
	}
	test.Tap(r2.inc)
	if want := []string{"Join incident demo-0000", "Declare incident demo-0001"}; !slices.Equal(incidents, want) {
		t.Errorf("incident actions %v, want %v", incidents, want)
	}
}

// The tray's page submenu offers the same incident action.
func TestTrayPageIncidentItem(t *testing.T) {
	var got []string
	a := TrayActions{Open: func() {}, OpenPage: func(page.ID) {}, Ack: func(page.ID) {}, Look: func(page.ID) {},
		Incident: func(id page.ID, act viewmodel.IncidentAction) { got = append(got, string(act)) }}
	vm := viewmodel.Tray(incidentSnapshot(time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)), time.UTC)
	m := trayMenu(vm, a)
	var subs [][]string
	for _, it := range m.Items {
		if it.ChildMenu != nil {
			subs = append(subs, labels(it.ChildMenu))
			for _, s := range it.ChildMenu.Items {
				if strings.Contains(s.Label, "ncident") {
					s.Action()
				}
			}
		}
	}
	if len(subs) != 2 || !slices.Contains(subs[0], "Join incident") || !slices.Contains(subs[1], "Declare incident…") {
		t.Fatalf("submenus %v", subs)
	}
	if !slices.Equal(got, []string{"Join incident", "Declare incident"}) {
		t.Errorf("actions %v", got)
	}
}

// From the window: Join goes at once; Declare asks for the living
// document (refusing a link that is not http(s)) and declares with it.
func TestShellIncidentActions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		svc.snap = incidentSnapshot(time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC))
		sh := startShell(t, svc, noHost, nil)
		first, second := svc.snap.Pages[0].ID, svc.snap.Pages[1].ID
		sh.incidentAction(first, viewmodel.IncidentJoin)
		synctest.Wait()

		sh.incidentAction(second, viewmodel.IncidentDeclare)
		top := sh.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("Declare showed no dialog")
		}
		var doc *widget.Entry
		for _, o := range test.LaidOutObjects(top) {
			if e, ok := o.(*widget.Entry); ok {
				doc = e
			}
		}
		if doc == nil {
			t.Fatal("no doc link entry in the Declare dialog")
		}
		test.Type(doc, "file:///etc/passwd")
		if doc.Validate() == nil {
			t.Error("a file: link passed as the living document")
		}
		doc.SetText(docLink)
		test.Tap(buttonWithText(t, top, "Declare"))
		synctest.Wait()
		calls, ids := svc.recorded()
		if !slices.Equal(calls, []string{"join", "declare:" + docLink}) || ids[0] != first || ids[1] != second {
			t.Errorf("calls %v on %v", calls, ids)
		}
	})
}

// The handoff view shows my shift's Markdown, copies it, lists what
// teammates handed off, and says why there is none.
func TestHandoffView(t *testing.T) {
	a := test.NewTempApp(t)
	svc := newFake()
	end := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	h := handoff.Build("alice", handoff.Shift{Name: "Payments Primary", Start: end.Add(-24 * time.Hour), End: end},
		[]handoff.Page{{ID: "am/1", Title: "Disk full", Seen: end.Add(-time.Hour), Open: true, Notes: []string{"cleaned /var/log"}}}, end)
	svc.after = afterPageFake{handoff: h, team: []bus.Handoff{{From: "bob", Pages: 3, Open: 0, Text: "- CPU hot"}}}
	v := newHandoffView(svc, a.Clipboard)
	w := test.NewTempWindow(t, v.root)
	w.Resize(fyne.NewSize(760, 560))
	v.apply(computeHandoff(t.Context(), svc, end, false))
	if v.headline.Text != "Handoff from alice: 1 page, 1 still open" || !strings.Contains(v.text.Text, "Disk full") ||
		!strings.Contains(v.text.Text, "cleaned /var/log") || v.text.Text != h.Markdown(time.UTC) {
		t.Errorf("headline %q, text:\n%s", v.headline.Text, v.text.Text)
	}
	if !strings.Contains(v.received.Text, "Handoff from bob: 3 pages, 0 still open\n- CPU hot") {
		t.Errorf("from teammates: %q", v.received.Text)
	}
	if v.copy.Disabled() {
		t.Fatal("Copy is disabled with a handoff shown")
	}
	test.Tap(v.copy)
	if got := a.Clipboard().Content(); got != h.Markdown(time.UTC) {
		t.Errorf("clipboard = %q", got)
	}

	svc.mu.Lock()
	svc.after = afterPageFake{handoffErr: fmt.Errorf("%w: no shift of mine ended in the last 30 days", app.ErrNoShift)}
	svc.mu.Unlock()
	v.apply(computeHandoff(t.Context(), svc, end, false))
	if v.headline.Text != "No handoff: no shift of mine ended in the last 30 days." || v.text.Text != "" || !v.copy.Disabled() ||
		v.received.Text != "None." {
		t.Errorf("without a shift: %q %q copy disabled %v, received %q", v.headline.Text, v.text.Text, v.copy.Disabled(), v.received.Text)
	}
}

// The Team view lists the members with their bars and the flag, and says
// when my counts are left out or the hub cannot be read.
func TestTeamLoadViewShows(t *testing.T) {
	test.NewTempApp(t)
	svc := newFake()
	svc.cfg.Team.URLs = []string{"nats://127.0.0.1:4222"}
	svc.after.load = report.Team([]report.MemberWeek{
		{Member: "alice", Week: "2026-11-16", Pages: 20, Night: 10},
		{Member: "bob", Week: "2026-11-16", Pages: 4, Night: 1},
		{Member: "carol", Week: "2026-11-16", Pages: 3, Night: 0},
	}, []string{"2026-11-16"})
	v := newTeamLoadView(svc)
	test.NewTempWindow(t, v.root)
	v.apply(computeTeamLoad(t.Context(), svc, time.Now()))
	if n := len(v.rows.Objects); n != 6 {
		t.Fatalf("%d cells, want a name and bars for each of 3 members", n)
	}
	var texts []string
	for _, o := range test.LaidOutObjects(v.rows) {
		switch w := o.(type) {
		case *widget.Label:
			texts = append(texts, w.Text)
		case *widget.ProgressBar:
			if w.TextFormatter != nil {
				texts = append(texts, fmt.Sprintf("%s %.2f", w.TextFormatter(), w.Value))
			}
		}
	}
	joined := strings.Join(texts, " | ")
	for _, want := range []string{"alice | 20 pages 1.00 | 10 at night 0.50 | ⚠ Carried more than twice", "bob | 4 pages 0.20 | 1 at night 0.05"} {
		if !strings.Contains(joined, want) {
			t.Errorf("team view lacks %q:\n%s", want, joined)
		}
	}
	if !v.note.Visible() || !strings.HasPrefix(v.note.Text, "share_load is off") {
		t.Errorf("note with share_load off: %q", v.note.Text)
	}
	svc.after.loadErr = errors.New("team: not connected")
	v.apply(computeTeamLoad(t.Context(), svc, time.Now()))
	if len(v.rows.Objects) != 0 || v.caption.Text != "The team's load could not be read: team: not connected." {
		t.Errorf("hub not read: %d rows, %q", len(v.rows.Objects), v.caption.Text)
	}
}

// Ticking the box saves [team] share_load and shares my counts at once.
func TestTeamLoadShareBox(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		svc := newFake()
		v := newTeamLoadView(svc)
		test.NewTempWindow(t, v.root)
		test.Tap(v.share)
		synctest.Wait()
		if !svc.Config().Team.ShareLoad {
			t.Error("share_load not saved")
		}
		if calls, _ := svc.recorded(); !slices.Contains(calls, "publish-load") {
			t.Errorf("my counts not shared on ticking the box: %v", calls)
		}
	})
}

// The Schedule tab's button writes my shifts into the chosen file.
func TestWriteShiftsICS(t *testing.T) {
	test.NewTempApp(t)
	svc := newFake()
	svc.after.ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
	path := filepath.Join(t.TempDir(), "my-oncall.ics")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := writeShiftsICS(svc, w, time.Now())
	if err != nil || !strings.Contains(msg, path) {
		t.Fatalf("msg %q, err %v", msg, err)
	}
	if got, _ := os.ReadFile(path); string(got) != svc.after.ics {
		t.Errorf("file = %q", got)
	}
	svc.after.ics = ""
	w, _ = storage.Writer(storage.NewFileURI(path))
	if _, err := writeShiftsICS(svc, w, time.Now()); err == nil || !strings.Contains(err.Error(), "my-oncall.ics") {
		t.Errorf("a failed write says %v", err)
	}
}

// The After the shift card and the Team load are built when their tabs
// are first shown, not at start, and only once.
func TestAfterPageCardsComeWithTheirTabs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sh := startShell(t, newFake(), noHost, nil)
		cards, team := len(sh.schedule.cards.Objects), len(sh.sources.teamBox.Objects)
		for range 2 {
			sh.tabs.Select(sh.lazy.schedule.item)
			sh.tabs.Select(sh.lazy.sources.item)
			synctest.Wait()
		}
		if got := len(sh.schedule.cards.Objects); got != cards+1 {
			t.Errorf("Schedule cards: %d at start, %d after showing the tab twice; want one more", cards, got)
		}
		if got := len(sh.sources.teamBox.Objects); got != team+1 {
			t.Errorf("Team card: %d objects at start, %d after showing the tab twice; want one more", team, got)
		}
		sh.tabs.Select(sh.lazy.schedule.item)
		buttonWithText(t, sh.win.Content(), "Handoff…")
		buttonWithText(t, sh.win.Content(), "Write my shifts as .ics…")
	})
}
