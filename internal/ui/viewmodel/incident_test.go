package viewmodel

import (
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/app/team"
	"github.com/standby-oncall/standby/internal/page"
)

// withIncident is pv with the team's incident on it.
func withIncident(up, commander, doc string, helpers ...string) app.PageView {
	p := pv(up, page.StatusTriggered, page.UrgencyHigh)
	p.Incident = &app.Incident{Page: p.ID, Commander: commander, Doc: doc, Helpers: helpers,
		Line: app.IncidentLine(commander, doc != "", helpers)}
	return p
}

// Each row shows its incident line before its detail, links the living
// document, and offers what I can do: declare (with the hub), hand over
// mine, join another's; nothing once I help or without the hub.
func TestPageRowIncident(t *testing.T) {
	const doc = "https://docs.example.com/inc/42"
	pages := []app.PageView{
		pv("a", page.StatusTriggered, page.UrgencyHigh),
		withIncident("b", "alice", doc, "bob"),
		withIncident("c", "bob", ""),
		withIncident("d", "bob", doc, "alice"),
	}
	cases := []struct {
		hub  bool
		want []IncidentAction
	}{
		{true, []IncidentAction{IncidentDeclare, IncidentHandover, IncidentJoin, IncidentNone}},
		{false, []IncidentAction{IncidentNone, IncidentHandover, IncidentNone, IncidentNone}},
	}
	for _, c := range cases {
		s := app.Snapshot{At: now, Me: "alice", Pages: pages, Team: team.Status{Configured: true, Connected: c.hub}}
		vm := Pages(s)
		for i, w := range c.want {
			if got := vm.Rows[i].Incident.Action; got != w {
				t.Errorf("hub %v, row %d: action %q, want %q", c.hub, i, got, w)
			}
		}
		b := vm.Rows[1]
		if b.Incident.Line != "Incident — commander alice — doc ↗ — bob is helping" || b.Incident.Doc != doc {
			t.Errorf("row b incident = %+v", b.Incident)
		}
		if !strings.HasPrefix(b.Detail, b.Incident.Line+" · ") || !strings.Contains(b.Detail, "svc · am · ") {
			t.Errorf("row b detail = %q", b.Detail)
		}
		if a := vm.Rows[0]; a.Incident.Line != "" || strings.Contains(a.Detail, "Incident") {
			t.Errorf("row a is no incident: %+v", a)
		}
		tray := Tray(s, berlin)
		for i, w := range c.want {
			if tray.Items[i].Incident != w {
				t.Errorf("hub %v, tray item %d: %q, want %q", c.hub, i, tray.Items[i].Incident, w)
			}
		}
	}
}
