// Package viewmodel computes what each view of the window and the tray
// shows, as plain structs, from an app.Snapshot and `now`. It has no Fyne
// import: views only apply these structs, so everything that decides what
// the user sees is unit-tested here without a display.
package viewmodel

import (
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
)

// Severity colours are theme colour names the view maps to real colours.
const (
	ColorError   = "error"
	ColorWarning = "warning"
	ColorMuted   = "muted"
	ColorSuccess = "success"
)

// PageRow is one row of the Pages list.
type PageRow struct {
	ID                                             page.ID
	Severity                                       string
	Color                                          string
	Title                                          string
	Subtitle                                       string // "payments-api · demo · 12m"
	State                                          string // "new", "acked by bob", "Bob is looking (3 min ago)"
	Reason                                         string // the policy decision in words
	Error                                          string // "Ack failed: token rejected (401)"
	Queued                                         string // "Ack queued: source unreachable"
	URL                                            string
	CanAck, CanUnack, CanResolve, CanLook, Looking bool
	// Detail is the row's small second line: service · source · age · reason.
	Detail string
	// Group is the source's grouping key (an Alertmanager group), "" when
	// none; GroupName is the alert name the group is known by.
	Group, GroupName string
	// Mine: I am looking, or nobody has the page and it is not held.
	Mine bool
	// Held: listed silently while a teammate on call is rung; its Detail
	// starts with the hold ("Held — alice is on call (rung 05:10); rings
	// you at 05:12 if nobody is looking") and CanRingNow offers "Ring me
	// now".
	Held, CanRingNow bool
	// Incident is the page's incident line, living document and what I
	// can do about it (viewmodel/incident.go).
	Incident RowIncident
}

// PagesVM is the Pages tab.
type PagesVM struct {
	Rows []PageRow
	// Empty is the message shown when there are no rows ("" otherwise).
	Empty string
	// Count is the number of rows waiting for someone (not acked, not claimed).
	Waiting int
	// Ringing is true while the alarm rings: the tab offers "Silence alarm".
	Ringing bool
}

// Pages computes the Pages tab.
func Pages(s app.Snapshot) PagesVM {
	vm := PagesVM{Rows: make([]PageRow, 0, len(s.Pages)), Ringing: s.AlarmRinging}
	for _, p := range s.Pages {
		r := row(p, s.Me, s.At)
		r.Incident = incidentOf(p, s.Me, s.Team.Connected)
		if r.Incident.Line != "" {
			r.Detail = r.Incident.Line + " · " + r.Detail
		}
		if waiting(p, s.Me, s.At) {
			vm.Waiting++
		}
		vm.Rows = append(vm.Rows, r)
	}
	if len(vm.Rows) == 0 {
		vm.Empty = emptyPages(s)
	}
	return vm
}

func emptyPages(s app.Snapshot) string {
	stale := 0
	for _, src := range s.Sources {
		if src.Health == engine.HealthStale || src.Health == engine.HealthFailing {
			stale++
		}
	}
	switch {
	case len(s.Sources) == 0:
		return "No sources yet. Add your Alertmanager or PagerDuty in the Sources tab (or `standby source add`)."
	case stale == len(s.Sources):
		return "No pages known, but no source can be reached right now — see the Sources tab."
	default:
		return "All quiet: no open pages."
	}
}

// waiting reports whether nobody has taken the page yet.
func waiting(p app.PageView, me string, now time.Time) bool {
	if p.Status != page.StatusTriggered || p.MyClaim != nil {
		return false
	}
	_, claimed := page.LiveClaimByOther(p.Page, me, now)
	return !claimed
}

func row(p app.PageView, me string, now time.Time) PageRow {
	r := PageRow{
		ID: p.ID, Severity: p.Severity, Color: color(p), Title: p.Title, URL: p.URL,
		Subtitle: subtitle(p, now), State: State(p, me, now), Reason: p.Now.Reason,
		CanAck: p.Status == page.StatusTriggered, CanUnack: p.Status == page.StatusAcknowledged,
		CanResolve: true, CanLook: p.Status == page.StatusTriggered && p.MyClaim == nil,
		Looking: p.MyClaim != nil,
	}
	r.Detail = r.Subtitle
	if r.Reason != "" {
		r.Detail += " · " + r.Reason
	}
	r.Group, r.GroupName = p.Group, p.Labels["alertname"]
	r.Held = p.Now.Level == quiet.Held
	if r.Held {
		// The hold is what the user must see first: who is rung, and when
		// it comes to them.
		r.Detail = r.Reason + " · " + r.Subtitle
		r.CanRingNow = p.Status == page.StatusTriggered
	}
	r.Mine = r.Looking || (waiting(p, me, now) && !r.Held)
	if p.LastError != nil {
		r.Error = p.LastError.String() + " — retry"
	}
	if len(p.Queued) > 0 {
		r.Queued = fmt.Sprintf("%s queued: the source is unreachable; it is sent when it is back", p.Queued[0].Title())
	}
	return r
}

func color(p app.PageView) string {
	switch {
	case p.Status == page.StatusAcknowledged:
		return ColorMuted
	case p.Urgency == page.UrgencyHigh:
		return ColorError
	default:
		return ColorWarning
	}
}

func subtitle(p app.PageView, now time.Time) string {
	s := ""
	if p.Service != "" {
		s = p.Service + " · "
	}
	return s + p.ID.Source + " · " + Age(ClockAge(p.OpenedAt, now))
}

// TrayState is the icon variant.
type TrayState string

// Tray icon variants.
const (
	TrayIdle   TrayState = "idle"
	TrayOnCall TrayState = "oncall"
	TrayPage   TrayState = "page"
	TrayQuiet  TrayState = "quiet"
)

// TrayItem is one page in the tray menu.
type TrayItem struct {
	ID      page.ID
	Label   string
	CanAck  bool
	CanLook bool
	// Incident is the incident action the submenu offers ("" none).
	Incident IncidentAction
}

// TrayVM is the tray icon and menu.
type TrayVM struct {
	State TrayState
	// Status is the first, disabled line: "2 pages waiting", "On call until Mon 09:00".
	Status string
	// Schedule is "On call until Mon 09:00" / "Not on call" (the schedule line).
	Schedule string
	Items    []TrayItem
	// More is "and 5 more…" when pages were cut at MaxTrayPages.
	More string
	// Quiet is "Quiet until 07:00" while quiet ("" otherwise).
	Quiet string
	// Problem is a one-line warning (notifications failing, sources stale).
	Problem string
	// Ringing is true while the alarm rings: the menu offers "Silence alarm".
	Ringing bool
}

// MaxTrayPages is how many pages the tray menu lists.
const MaxTrayPages = 10

// Tray computes the tray.
func Tray(s app.Snapshot, loc *time.Location) TrayVM {
	pv := Pages(s)
	vm := TrayVM{State: TrayIdle}
	switch {
	case pv.Waiting > 0:
		vm.State = TrayPage
	case s.Quiet.Quiet:
		vm.State = TrayQuiet
	case s.Quiet.OnCall.OnCall:
		vm.State = TrayOnCall
	}
	vm.Schedule = scheduleLine(s.Quiet.OnCall, s.NextShift, s.At, loc)
	switch {
	case pv.Waiting == 1:
		vm.Status = "1 page waiting"
	case pv.Waiting > 1:
		vm.Status = fmt.Sprintf("%d pages waiting", pv.Waiting)
	case len(pv.Rows) > 0:
		vm.Status = fmt.Sprintf("%d open, all taken", len(pv.Rows))
	default:
		vm.Status = "No open pages"
	}
	for i, r := range pv.Rows {
		if i == MaxTrayPages {
			vm.More = fmt.Sprintf("and %d more…", len(pv.Rows)-MaxTrayPages)
			break
		}
		vm.Items = append(vm.Items, TrayItem{ID: r.ID, Label: trayLabel(r), CanAck: r.CanAck, CanLook: r.CanLook, Incident: r.Incident.Action})
	}
	if s.Quiet.Quiet {
		vm.Quiet = "Quiet until " + quiet.FormatWhen(s.Quiet.Until, s.At, loc)
	}
	vm.Problem = trayProblem(s)
	vm.Ringing = s.AlarmRinging
	return vm
}

func trayLabel(r PageRow) string {
	label := r.Title
	if len([]rune(label)) > 48 {
		label = string([]rune(label)[:47]) + "…"
	}
	if r.State != "new" {
		label += " — " + r.State
	}
	return label
}

func scheduleLine(oc quiet.OnCall, next, now time.Time, loc *time.Location) string {
	switch {
	case oc.OnCall && oc.Until.IsZero():
		return "On call"
	case oc.OnCall:
		return "On call until " + quiet.FormatWhen(oc.Until, now, loc)
	case !next.IsZero():
		return "Next shift " + quiet.FormatWhen(next, now, loc)
	default:
		return "Not on call"
	}
}

func trayProblem(s app.Snapshot) string {
	if s.NotifyErr != "" {
		return "⚠ Notifications are failing — open Standby"
	}
	for _, src := range s.Sources {
		if src.Health == engine.HealthStale {
			return fmt.Sprintf("⚠ %s unreachable — pages may be out of date", src.Name)
		}
	}
	return ""
}
