package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/store"
)

// Incident is an incident on a page as every member's app shows it.
type Incident struct {
	Page      page.ID   `json:"page"`
	Commander string    `json:"commander"`
	Doc       string    `json:"doc,omitempty"`
	Helpers   []string  `json:"helpers,omitempty"`
	Declared  time.Time `json:"declared"`
	HandedBy  string    `json:"handed_by,omitempty"`
	// Line is the page's incident line: "Incident — commander alice — doc ↗".
	Line string `json:"line"`
}

func incidentOf(inc bus.Incident) Incident {
	return Incident{Page: inc.Page, Commander: inc.Commander, Doc: inc.Doc, Helpers: inc.Helpers,
		Declared: inc.Declared, HandedBy: inc.HandedBy, Line: IncidentLine(inc.Commander, inc.Doc != "", inc.Helpers)}
}

// IncidentLine is the one line a page row shows for its incident.
func IncidentLine(commander string, doc bool, helpers []string) string {
	s := "Incident — commander " + commander
	if doc {
		s += " — doc ↗"
	}
	switch len(helpers) {
	case 0:
	case 1:
		s += " — " + helpers[0] + " is helping"
	default:
		s += " — " + strings.Join(helpers, ", ") + " are helping"
	}
	return s
}

// IncidentOn returns the incident on id, if the team has one.
func (s *Service) IncidentOn(id page.ID) (Incident, bool) {
	inc, ok := s.team.Incident(id)
	if !ok {
		return Incident{}, false
	}
	return incidentOf(inc), true
}

// Incidents returns the team's incidents by page, for the page list.
func (s *Service) Incidents() map[page.ID]Incident {
	out := map[page.ID]Incident{}
	for id, inc := range s.team.Incidents() {
		out[id] = incidentOf(inc)
	}
	return out
}

// DeclareIncident makes me the commander of an incident on id, kept on the
// team hub so every member's app shows it. doc is the living document;
// empty means the link made from [incident] doc_template, if any. The
// declaration is mirrored upstream as a note where the source has notes.
func (s *Service) DeclareIncident(ctx context.Context, id page.ID, doc string, now time.Time) (Incident, error) {
	if _, shared := s.team.Incident(id); !shared {
		if err := s.known(id); err != nil {
			return Incident{}, err
		}
	}
	if doc == "" {
		doc = s.Config().Incident.DocLink(id.Source, id.Upstream, s.pageTitle(id), s.Me(), now)
	}
	inc, err := s.team.Declare(ctx, id, doc)
	if err != nil {
		return Incident{}, fmt.Errorf("declaring an incident on %s: %w", id, err)
	}
	text := "Incident declared in Standby: " + inc.Commander + " is the commander."
	if inc.Doc != "" {
		text += " Living document: " + inc.Doc
	}
	s.mirrorNote(ctx, id, text, now)
	s.broadcast()
	return incidentOf(inc), nil
}

// HandoverIncident makes to the commander of the incident I command on id.
func (s *Service) HandoverIncident(ctx context.Context, id page.ID, to string, now time.Time) (Incident, error) {
	inc, err := s.team.Handover(ctx, id, to)
	if err != nil {
		return Incident{}, fmt.Errorf("handing over the incident on %s: %w", id, err)
	}
	s.mirrorNote(ctx, id, "Incident handed over in Standby: "+inc.Commander+" is the commander now (from "+inc.HandedBy+").", now)
	s.broadcast()
	return incidentOf(inc), nil
}

// JoinIncident adds me to the helpers of the incident on id ("Bob is
// helping").
func (s *Service) JoinIncident(ctx context.Context, id page.ID) (Incident, error) {
	inc, err := s.team.Join(ctx, id)
	if err != nil {
		return Incident{}, fmt.Errorf("joining the incident on %s: %w", id, err)
	}
	s.broadcast()
	return incidentOf(inc), nil
}

// mirrorNote writes text upstream where the page's source has notes, and
// into my page history (for the handoff); a failure upstream is logged.
func (s *Service) mirrorNote(ctx context.Context, id page.ID, text string, now time.Time) {
	s.recordEvent(ctx, store.PageEvent{Page: id, At: now, Kind: store.EventNote, Text: text})
	if !s.caps(id).Note {
		return
	}
	if err := s.engine().Note(ctx, id, s.actor(), text); err != nil {
		s.log.Warn("incident note not written upstream", "page", id.String(), "err", err)
	}
}

// pageTitle is the open page's title, "" when it is not open here.
func (s *Service) pageTitle(id page.ID) string {
	for _, ps := range s.engine().Snapshot().Pages {
		if ps.Page.ID == id {
			return ps.Page.Title
		}
	}
	return ""
}

// Teammates are the members the team's presence shows online now, me
// left out, sorted: whom the window offers to hand an incident over to.
// It asks nothing of the hub.
func (s *Service) Teammates() []string {
	members, _ := s.team.Members()
	me := s.Me()
	var out []string
	for _, m := range members {
		if m.Member != me && !slices.Contains(out, m.Member) {
			out = append(out, m.Member)
		}
	}
	slices.Sort(out)
	return out
}
