package viewmodel

import (
	"fmt"

	"github.com/standby-oncall/standby/internal/report"
)

// TeamLoad is the Team view's "who carried the pager" table over the last
// weeks: one row per member who shares their load, with bar widths
// relative to the heaviest member.
type TeamLoad struct {
	Rows []TeamLoadRow
	// Caption says what the table covers, or why it is empty.
	Caption string
	// Note is said beside the table when it leaves me out (share_load is
	// off), "" otherwise.
	Note string
}

// TeamLoadRow is one member.
type TeamLoadRow struct {
	Member string
	// Text is "22 pages · 11 at night".
	Text string
	// Pages and Night are the counts.
	Pages, Night int
	// PagesBar and NightBar are 0…1 of the widest bar.
	PagesBar, NightBar float64
	// Flag is set when the member carried more than twice the median.
	Flag string
}

// NewTeamLoad computes the table.
func NewTeamLoad(t report.TeamLoad) TeamLoad {
	if len(t.Members) == 0 {
		return TeamLoad{Caption: "Nobody on the team shares their load yet."}
	}
	weeks := "week"
	if len(t.Weeks) > 1 {
		weeks = fmt.Sprintf("%d weeks", len(t.Weeks))
	}
	v := TeamLoad{Caption: fmt.Sprintf("Last %s from %s; team median %.1f pages, %.1f at night.",
		weeks, t.Weeks[0], t.MedianPages, t.MedianNight)}
	top := 1
	for _, m := range t.Members {
		top = max(top, m.Pages)
	}
	for _, m := range t.Members {
		row := TeamLoadRow{Member: m.Member, Text: fmt.Sprintf("%d %s · %d at night", m.Pages, plural(m.Pages, "page", "pages"), m.Night),
			Pages: m.Pages, Night: m.Night, PagesBar: float64(m.Pages) / float64(top), NightBar: float64(m.Night) / float64(top)}
		if m.Heavy {
			row.Flag = "Carried " + m.Why
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// TeamLoadState is what the Team view knows besides the hub's counts.
type TeamLoadState struct {
	// Team: a team hub is configured.
	Team bool
	// Err is why the counts could not be read from the hub (nil: read).
	Err error
	// Sharing is my [team] share_load.
	Sharing bool
}

// NewTeamLoadView is the Team view: the table, or in words why there is
// none, and a note when my own counts are not in it.
func NewTeamLoadView(t report.TeamLoad, st TeamLoadState) TeamLoad {
	var v TeamLoad
	switch {
	case !st.Team:
		return TeamLoad{Caption: "Working alone: the team's load is kept on the team hub (join one in the Team card above)."}
	case st.Err != nil:
		return TeamLoad{Caption: "The team's load could not be read: " + st.Err.Error() + "."}
	default:
		v = NewTeamLoad(t)
	}
	if !st.Sharing {
		v.Note = "share_load is off: your own weekly counts are not shared, so you are not in this table."
	}
	return v
}
