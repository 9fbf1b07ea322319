package viewmodel

import (
	"slices"

	"github.com/standby-oncall/standby/internal/app"
)

// IncidentAction is what I can do about a page's incident, as the page
// row's and the tray's words.
type IncidentAction string

// The incident actions; IncidentNone offers nothing (no team hub, or I am
// already helping).
const (
	IncidentNone     IncidentAction = ""
	IncidentDeclare  IncidentAction = "Declare incident"
	IncidentHandover IncidentAction = "Hand over"
	IncidentJoin     IncidentAction = "Join incident"
)

// RowIncident is a page's incident as its row shows it.
type RowIncident struct {
	// Line is "Incident — commander alice — doc ↗ — bob is helping", ""
	// when the page is no incident.
	Line string
	// Doc is the living document's link, "" when none.
	Doc string
	// Action is what I can do: declare one, hand mine over, or join.
	Action IncidentAction
}

// incidentOf is p's incident for me: incidents are kept on the team hub,
// so nothing is offered while it is not connected, except handing over
// one I command (the hub says why it cannot).
func incidentOf(p app.PageView, me string, hub bool) RowIncident {
	inc := p.Incident
	if inc == nil {
		if hub {
			return RowIncident{Action: IncidentDeclare}
		}
		return RowIncident{}
	}
	r := RowIncident{Line: inc.Line, Doc: inc.Doc}
	switch {
	case inc.Commander == me:
		r.Action = IncidentHandover
	case !hub:
	case !slices.Contains(inc.Helpers, me):
		r.Action = IncidentJoin
	}
	return r
}
