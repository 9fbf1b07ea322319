package quiet

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// DefaultFreshFor is how old a teammate's presence record may be and still
// count when Team.FreshFor is zero: three heartbeats of the bus's 10 s.
const DefaultFreshFor = 30 * time.Second

// Team is what this app sees of the team when it decides. The zero value
// is a team that cannot be seen: nothing is held.
type Team struct {
	// Visible is true while the hub is connected and this app's view of
	// the presence records is current. When false no page is held.
	Visible bool `json:"visible"`
	// Members are the teammates' presence records. A record named like
	// Input.Me is ignored: nobody is held for themselves.
	Members []Member `json:"members,omitempty"`
	// FreshFor is how old a record's Seen may be; zero means
	// DefaultFreshFor.
	FreshFor time.Duration `json:"fresh_for,omitempty"`
}

// Member is one teammate's presence record, as published on the team bus.
type Member struct {
	// Name is the member's name on the team, as claims name people.
	Name string `json:"name"`
	// Online is true while the member's app is running and connected.
	Online bool `json:"online"`
	// OnCall is true while the member holds a shift by their own schedule.
	OnCall bool `json:"on_call"`
	// Schedule names the member's shift ("Payments Primary"); may be empty.
	Schedule string `json:"schedule,omitempty"`
	// Ringable is true when a high urgency page would ring the member now
	// (not held back by their quiet hours or ad-hoc quiet).
	Ringable bool `json:"ringable"`
	// Seen is when the record was last refreshed.
	Seen time.Time `json:"seen"`
}

// Responds reports whether m is rung first for a new page at now: online,
// on call, ringable, and seen within freshFor (DefaultFreshFor when zero)
// either side of now, so a record from a clock far ahead does not count.
func (m Member) Responds(now time.Time, freshFor time.Duration) bool {
	if freshFor <= 0 {
		freshFor = DefaultFreshFor
	}
	if !m.Online || !m.OnCall || !m.Ringable || m.Seen.IsZero() {
		return false
	}
	age := now.Sub(m.Seen)
	return age <= freshFor && age >= -freshFor
}

// Responders returns the sorted names of the teammates other than me who
// respond (Member.Responds) at now; none when the team cannot be seen.
func (t Team) Responders(me string, now time.Time) []string {
	if !t.Visible {
		return nil
	}
	var out []string
	for _, m := range t.Members {
		if m.Name != "" && !strings.EqualFold(m.Name, me) && m.Responds(now, t.FreshFor) {
			out = append(out, m.Name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Hold is how long a page that would ring me is held, silent, while a
// teammate on call is rung first. A zero duration turns routing off for
// that urgency: the page rings at once, as without a team.
type Hold struct {
	// High is the hold for high urgency pages (config team.hold_high).
	High time.Duration `json:"high"`
	// Low is the hold for low urgency pages (config team.hold_low).
	Low time.Duration `json:"low"`
}

// For returns the hold for urgency u.
func (h Hold) For(u page.Urgency) time.Duration {
	if u == page.UrgencyLow {
		return h.Low
	}
	return h.High
}

// route applies step 7 of Decide to alone, the decision without the team.
// Only a page that would ring me is held, and only while I am not on call:
// quiet, deferred and suppressed pages stay as they are.
func route(in Input, alone Decision, now time.Time) Decision {
	if alone.Level != Loud || in.OnCall.OnCall {
		return alone
	}
	hold := in.Hold.For(urgencyOf(in))
	if hold <= 0 || in.FirstSeen.IsZero() {
		return alone
	}
	who := in.Team.Responders(in.Me, now)
	switch {
	case !in.Team.Visible:
		alone.Reason += " (the team cannot be seen)"
		return alone
	case len(who) == 0:
		alone.Reason += " (nobody ringable is on call)"
		return alone
	}
	loc := in.Rules.Location(in.Location)
	until := in.FirstSeen.Add(hold)
	rung := in.FirstSeen.In(loc).Format("15:04")
	if now.Before(until) {
		return Decision{Level: Held, Until: until, Rule: RuleHeld, Responders: who,
			Reason: fmt.Sprintf("Held — %s on call (rung %s); rings you at %s if nobody is looking",
				isAre(who), rung, FormatWhen(until, now, loc))}
	}
	return Decision{Level: Loud, Rule: RuleEscalated, Escalated: true, Responders: who,
		Reason: fmt.Sprintf("Loud: escalated — nobody is looking %s after %s rung (%s)",
			FormatHold(hold), wasWere(who), rung)}
}

// FormatHold renders a hold for reasons: "2 min", "45 s", "1h30m0s".
func FormatHold(d time.Duration) string {
	switch {
	case d > 0 && d < time.Hour && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d > 0 && d < time.Minute && d%time.Second == 0:
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return d.String()
}

// names joins names as "Alice", "Alice and Bob", "Alice, Bob and Carol".
func names(who []string) string {
	if len(who) <= 1 {
		return strings.Join(who, "")
	}
	return strings.Join(who[:len(who)-1], ", ") + " and " + who[len(who)-1]
}

func isAre(who []string) string {
	if len(who) == 1 {
		return who[0] + " is"
	}
	return names(who) + " are"
}

func wasWere(who []string) string {
	if len(who) == 1 {
		return who[0] + " was"
	}
	return names(who) + " were"
}
