package schedule

import (
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/schedule/ical"
)

// OnDuty is who is on call now on one schedule.
type OnDuty struct {
	// Feed is the feed the schedule came from.
	Feed string `json:"feed"`
	// Schedule is the calendar name, with the role from the summary when
	// there is one ("Payments / Primary").
	Schedule string `json:"schedule"`
	// Who are the people on call, sorted; "me" stands for the user on a
	// "my shifts" feed (Me all).
	Who []string `json:"who"`
	// Until is the latest end among the occurrences holding now.
	Until time.Time `json:"until"`
}

// MeLabel is how WhoIsOnCall names the user on a "my shifts" feed.
const MeLabel = "me"

// WhoIsOnCall returns, per schedule, who is on call at now, sorted by
// feed and schedule. A team feed names people by attendee CN (or e-mail)
// or in the summary ("Primary: Bob"; a summary without a role is the
// name itself); on a "my shifts"
// feed (Me all) it is the user, reported as MeLabel. Cancelled instances
// are skipped.
func WhoIsOnCall(srcs []Source, now time.Time) []OnDuty {
	var out []OnDuty
	for _, src := range srcs {
		byRole := map[string]*OnDuty{}
		for _, o := range src.Occurrences {
			if Cancelled(o) || now.Before(o.Start) || !now.Before(o.End) {
				continue
			}
			role, who := roleOf(o), whoNames(o)
			if len(who) == 0 {
				who = []string{strings.TrimSpace(o.Summary)}
			}
			if src.Me.Kind == MeAll {
				role, who = "", []string{MeLabel}
			}
			d := byRole[role]
			if d == nil {
				d = &OnDuty{Feed: src.Feed, Schedule: joinRole(src.scheduleName(), role)}
				byRole[role] = d
			}
			for _, w := range who {
				if w != "" && !slices.Contains(d.Who, w) {
					d.Who = append(d.Who, w)
				}
			}
			if o.End.After(d.Until) {
				d.Until = o.End
			}
		}
		for _, d := range byRole {
			slices.Sort(d.Who)
			out = append(out, *d)
		}
	}
	slices.SortFunc(out, func(a, b OnDuty) int {
		if c := strings.Compare(a.Feed, b.Feed); c != 0 {
			return c
		}
		return strings.Compare(a.Schedule, b.Schedule)
	})
	return out
}

func joinRole(schedule, role string) string {
	if role == "" || strings.EqualFold(role, schedule) {
		return schedule
	}
	return schedule + " / " + role
}

// whoOf names the people an occurrence is about, joined with ", ".
func whoOf(o ical.Occurrence) string { return strings.Join(whoNames(o), ", ") }

// whoNames are the people an occurrence is about: the attendees' CNs (or
// e-mails), else the name part of a "Role: Name" summary.
func whoNames(o ical.Occurrence) []string {
	var names []string
	for _, a := range o.Attendees {
		switch {
		case a.Name != "":
			names = append(names, a.Name)
		case a.Email != "":
			names = append(names, trimMailto(a.Email))
		}
	}
	if len(names) > 0 {
		return names
	}
	if role, name, ok := splitSummary(o.Summary); ok && role != "" {
		return []string{name}
	}
	return nil
}

// roleOf is the role part of a "Role: Name" summary, "" otherwise.
func roleOf(o ical.Occurrence) string {
	role, _, _ := splitSummary(o.Summary)
	return role
}

// splitSummary splits "Primary: Bob" into ("Primary", "Bob"); for a
// summary without a separator ok is false.
func splitSummary(s string) (role, name string, ok bool) {
	s = strings.TrimSpace(s)
	if a, b, found := strings.Cut(s, ":"); found && strings.TrimSpace(b) != "" {
		return strings.TrimSpace(a), strings.TrimSpace(b), true
	}
	return "", s, false
}
