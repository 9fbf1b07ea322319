package viewmodel

import (
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/engine"
)

// SourceRow is one source in the Sources tab.
type SourceRow struct {
	Name   string
	Health string // "ok", "stale"…
	Color  string
	Detail string // "12 open pages · polled 20 s ago" or the error in words
}

// Sources computes the Sources tab rows.
func Sources(s app.Snapshot) []SourceRow {
	out := make([]SourceRow, 0, len(s.Sources))
	for _, src := range s.Sources {
		r := SourceRow{Name: src.Name, Health: src.Health.String()}
		switch src.Health {
		case engine.HealthOK:
			r.Color = ColorSuccess
			r.Detail = fmt.Sprintf("%d open pages · polled %s · every %s", src.Pages, Ago(s.At.Sub(src.LastAttempt)), src.Interval)
		case engine.HealthPending:
			r.Color = ColorMuted
			r.Detail = "connecting…"
		case engine.HealthFailing:
			r.Color = ColorWarning
			r.Detail = "last poll failed: " + src.Err + " — retrying"
		case engine.HealthStale:
			r.Color = ColorError
			last := "never reached"
			if !src.LastSuccess.IsZero() {
				last = "last reached " + Ago(s.At.Sub(src.LastSuccess))
			}
			r.Detail = fmt.Sprintf("unreachable (%s): %s — the pages shown may be out of date", last, src.Err)
		}
		out = append(out, r)
	}
	return out
}

// QuietVM is the Quiet hours tab.
type QuietVM struct {
	Summary string
	Reason  string
	Quiet   bool
	// Decisions lists the current pages with why each did or did not ring.
	Decisions []string
	// Log is the decisions of the last day, newest first: "Tue 03:12 Disk
	// full — Deferred to 07:00: quiet hours, you are not on call".
	Log []string
}

// DecisionLog formats the recent decisions in the user's zone.
func DecisionLog(ds []app.Decision, loc *time.Location) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s  %s — %s", d.Seen.In(loc).Format("Mon 15:04"), d.Title, d.Reason))
	}
	return out
}

// MaxDecisions is how many pages the Quiet hours tab explains; the Pages
// tab has every reason.
const MaxDecisions = 30

// Quiet computes the Quiet hours tab.
func Quiet(s app.Snapshot) QuietVM {
	vm := QuietVM{Summary: s.Quiet.Summary, Reason: s.Quiet.Reason, Quiet: s.Quiet.Quiet}
	for i, p := range s.Pages {
		if i == MaxDecisions {
			vm.Decisions = append(vm.Decisions, fmt.Sprintf("… and %d more on the Pages tab", len(s.Pages)-MaxDecisions))
			break
		}
		vm.Decisions = append(vm.Decisions, fmt.Sprintf("%s — %s", p.Title, p.Now.Reason))
	}
	return vm
}

// TeamVM is the team card of the Sources tab.
type TeamVM struct {
	Title  string // "Team: connected to nats://… as alice"
	Detail string // the hint or the error in words
	Color  string
}

// Team computes the team card.
func Team(s app.Snapshot) TeamVM {
	t := s.Team
	switch {
	case !t.Configured:
		return TeamVM{Title: "Team: working alone", Detail: t.Hint, Color: ColorMuted}
	case t.Connected:
		return TeamVM{Title: fmt.Sprintf("Team: connected to %s as %s", t.URL, t.Member),
			Detail: "\"I'm looking\" and acks reach your teammates at once.", Color: ColorSuccess}
	default:
		return TeamVM{Title: "Team: not connected", Detail: t.Err + ". " + t.Hint, Color: ColorError}
	}
}
