package quiet

import (
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// Level is how a page is presented.
type Level int

const (
	// Loud rings: notification with sound.
	Loud Level = iota
	// Quiet is listed with a badge, no sound and no pop-up.
	Quiet
	// Deferred is listed silently now and delivered in the digest when
	// quiet hours end (Decision.Until).
	Deferred
	// Suppressed is not news: the page is resolved.
	Suppressed
	// Held is listed silently while a teammate who is on call is rung
	// first (Decision.Responders); it rings at Decision.Until unless
	// someone claims, acks or resolves it before.
	Held
)

var levelNames = [...]string{"loud", "quiet", "deferred", "suppressed", "held"}

// String returns "loud", "quiet", "deferred", "suppressed" or "held".
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// MarshalText renders the level as its name, for JSON output.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText parses a level name.
func (l *Level) UnmarshalText(b []byte) error {
	for i, n := range levelNames {
		if n == string(b) {
			*l = Level(i)
			return nil
		}
	}
	return fmt.Errorf("parsing level: %q is not loud, quiet, deferred, suppressed or held", b)
}

// Names of the rules that decide, as carried in Decision.Rule.
const (
	// RuleResolved: the page is resolved (Suppressed).
	RuleResolved = "resolved"
	// RuleAckedByOther: acked upstream by someone else (Quiet).
	RuleAckedByOther = "acked_by_other"
	// RuleClaimedByOther: a live claim by someone else (Quiet).
	RuleClaimedByOther = "claimed_by_other"
	// RuleAcked: acked by me, or acked with no name known (Quiet).
	RuleAcked = "acked"
	// RuleClaimedByMe: my own live "I'm looking" claim (Quiet).
	RuleClaimedByMe = "claimed_by_me"
	// RuleOutsideQuiet: not in quiet hours (Loud).
	RuleOutsideQuiet = "outside_quiet_hours"
	// RuleOnCallHighBreaks: Rules.OnCallHighBreaksThrough let a high
	// urgency page ring in quiet hours while on call (Loud).
	RuleOnCallHighBreaks = "on_call_high_breaks_through"
	// RuleOnCallHighHeld: OnCallHighBreaksThrough is off (Deferred).
	RuleOnCallHighHeld = "on_call_high_held"
	// RuleOnCallLowDeferred: Rules.OnCallLowDeferred (Deferred).
	RuleOnCallLowDeferred = "on_call_low_deferred"
	// RuleOnCallLowBreaks: OnCallLowDeferred is off, so a low urgency page
	// rings in quiet hours while on call (Loud).
	RuleOnCallLowBreaks = "on_call_low_breaks_through"
	// RuleNotOnCallDeferred: Rules.NotOnCallDeferred (Deferred).
	RuleNotOnCallDeferred = "not_on_call_deferred"
	// RuleNotOnCallQuiet: NotOnCallDeferred is off (Quiet, no digest).
	RuleNotOnCallQuiet = "not_on_call_quiet"
	// RuleHeld: a teammate on call is rung first (Held).
	RuleHeld = "held_for_on_call"
	// RuleEscalated: the hold ended and nobody is looking (Loud).
	RuleEscalated = "escalated"
)

// OnCall is what the schedule says about the user at now.
type OnCall struct {
	// OnCall is true while the user holds a shift.
	OnCall bool `json:"on_call"`
	// Schedule names the schedule ("Payments Primary"); may be empty.
	Schedule string `json:"schedule,omitempty"`
	// Until is when the shift ends; zero when unknown.
	Until time.Time `json:"until,omitzero"`
}

// Input is everything one decision looks at.
type Input struct {
	// Page is the page in its current state, with its claims.
	Page page.Page
	// Me is the user's name on the team, as claims and acks name people.
	Me string
	// OnCall is the user's on-call state at now.
	OnCall OnCall
	// Rules are the user's quiet-hours rules.
	Rules Rules
	// Location is the user's local zone (see Rules.Location).
	Location *time.Location
	// Team is what this app sees of the team now; the zero value is a
	// team that cannot be seen, so nothing is held.
	Team Team
	// Hold is how long pages are held for a teammate on call; the zero
	// value turns routing off.
	Hold Hold
	// FirstSeen is when this app first saw the page: a hold lasts from
	// there. Zero means unknown (the page was handled in an earlier run
	// and was not held then), and the page is not held.
	FirstSeen time.Time
}

// Decision is what to do with a page, and why.
type Decision struct {
	// Level is how to present the page.
	Level Level `json:"level"`
	// Until is when a Deferred page is due (the end of quiet hours); zero
	// for other levels, and for quiet hours with no scheduled end.
	Until time.Time `json:"until,omitzero"`
	// Reason says why in words: "Quiet: Bob is looking".
	Reason string `json:"reason"`
	// Rule names the rule that decided (RuleOnCallHighBreaks…).
	Rule string `json:"rule"`
	// Responders name the teammates on call who are rung first, for Held
	// and for an escalation.
	Responders []string `json:"responders,omitempty"`
	// Escalated is true when a hold ended with nobody looking (Loud).
	Escalated bool `json:"escalated,omitempty"`
}

// Decide decides how to present in.Page at now. In order:
//
//  1. resolved pages are Suppressed;
//  2. pages acked upstream by someone else, or with a live claim by someone
//     else, are Quiet ("Quiet: acked by Bob", "Quiet: Bob is looking");
//  3. pages already acked, or claimed by me, are Quiet;
//  4. outside quiet hours every other page is Loud;
//  5. in quiet hours, on call: high urgency is Loud when
//     OnCallHighBreaksThrough, else Deferred; low urgency is Deferred when
//     OnCallLowDeferred, else Loud;
//  6. in quiet hours, not on call: Deferred when NotOnCallDeferred, else
//     Quiet. Never Loud;
//  7. a page that steps 4–6 make Loud while I am not on call is Held when
//     routing is on for its urgency (Input.Hold), the team can be seen and
//     a teammate is on call, online, ringable and fresh (Route): until
//     FirstSeen plus the hold, then it is Loud again (escalated).
//
// Times in reasons are in the rules' zone (Rules.Location of in.Location:
// Rules.Zone when set), the zone the user wrote the windows in, formatted by
// FormatWhen.
// Decide is deterministic: the same input and now give the same decision.
func Decide(in Input, now time.Time) Decision {
	return route(in, decideAlone(in, now), now)
}

// decideAlone applies steps 1–6 of Decide: the decision without the team.
func decideAlone(in Input, now time.Time) Decision {
	loc := in.Rules.Location(in.Location)
	p := in.Page
	if p.Status == page.StatusResolved {
		return Decision{Level: Suppressed, Reason: "Suppressed: resolved", Rule: RuleResolved}
	}
	if d, ok := decideClaimed(in, now); ok {
		return d
	}
	st := in.Rules.state(now, loc)
	if !st.quiet {
		return Decision{Level: Loud, Reason: "Loud: outside quiet hours", Rule: RuleOutsideQuiet}
	}
	if in.OnCall.OnCall {
		return decideOnCall(in, urgencyOf(in), st, now, loc)
	}
	if in.Rules.NotOnCallDeferred {
		return deferred(st.until, now, loc, st.label+", you are not on call", RuleNotOnCallDeferred)
	}
	return Decision{Level: Quiet, Reason: "Quiet: " + st.reason + ", you are not on call", Rule: RuleNotOnCallQuiet}
}

// decideClaimed applies steps 2 and 3 of Decide.
func decideClaimed(in Input, now time.Time) (Decision, bool) {
	p := in.Page
	if p.AckedBy != "" && p.AckedBy != in.Me {
		return Decision{Level: Quiet, Reason: "Quiet: acked by " + p.AckedBy, Rule: RuleAckedByOther}, true
	}
	if c, ok := page.LiveClaimByOther(p, in.Me, now); ok {
		reason := "Quiet: " + someone(c.By) + " is looking"
		if c.Kind == page.ClaimAcked {
			reason = "Quiet: acked by " + someone(c.By)
		}
		return Decision{Level: Quiet, Reason: reason, Rule: RuleClaimedByOther}, true
	}
	if p.Status == page.StatusAcknowledged || p.AckedBy != "" {
		reason := "Quiet: acknowledged"
		if p.AckedBy != "" {
			reason = "Quiet: acked by you"
		}
		return Decision{Level: Quiet, Reason: reason, Rule: RuleAcked}, true
	}
	for _, c := range p.Claims {
		if c.By == in.Me && c.Live(now) {
			return Decision{Level: Quiet, Reason: "Quiet: you are looking", Rule: RuleClaimedByMe}, true
		}
	}
	return Decision{}, false
}

// decideOnCall applies step 5 of Decide.
func decideOnCall(in Input, u page.Urgency, st quietState, now time.Time, loc *time.Location) Decision {
	shift := describeOnCall(in.OnCall, now, loc)
	switch {
	case u == page.UrgencyHigh && in.Rules.OnCallHighBreaksThrough:
		return Decision{Level: Loud, Rule: RuleOnCallHighBreaks,
			Reason: "Loud: " + shift + " (high urgency breaks through " + st.label + ")"}
	case u == page.UrgencyHigh:
		return deferred(st.until, now, loc, st.label+", high urgency is set to wait even on call", RuleOnCallHighHeld)
	case in.Rules.OnCallLowDeferred:
		return deferred(st.until, now, loc, st.label+", low urgency waits ("+shift+")", RuleOnCallLowDeferred)
	default:
		return Decision{Level: Loud, Rule: RuleOnCallLowBreaks,
			Reason: "Loud: " + shift + " (low urgency is set to ring in " + st.label + ")"}
	}
}

func deferred(until, now time.Time, loc *time.Location, why, rule string) Decision {
	head := "Deferred to " + FormatWhen(until, now, loc)
	if until.IsZero() {
		head = "Deferred until quiet hours end"
	}
	return Decision{Level: Deferred, Until: until, Reason: head + ": " + why, Rule: rule}
}

// describeOnCall renders "you are on call for Payments Primary until Mon 09:00".
func describeOnCall(oc OnCall, now time.Time, loc *time.Location) string {
	s := "you are on call"
	if oc.Schedule != "" {
		s += " for " + oc.Schedule
	}
	if !oc.Until.IsZero() {
		s += " until " + FormatWhen(oc.Until, now, loc)
	}
	return s
}

// someone names a claimant, who may be unknown when learnt from upstream.
func someone(name string) string {
	if name == "" {
		return "someone"
	}
	return name
}

// urgencyOf is the page's urgency as the one mapping (source.Urgency: the
// user's [quiet.urgency.KIND] overrides, then the kind's scale) set it when
// the page was read or received; the policy keeps no table of its own.
func urgencyOf(in Input) page.Urgency { return in.Page.Urgency }

// String renders the decision as its reason, for logs.
func (d Decision) String() string { return d.Reason }
