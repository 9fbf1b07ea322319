package quiet

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// teamCase builds inputs around one page first seen at 05:10 in Berlin, a
// Tuesday outside quiet hours (the rules have no windows), with routing on
// at the default holds.
type teamCase struct {
	t         *testing.T
	loc       *time.Location
	firstSeen time.Time
}

func newTeamCase(t *testing.T) teamCase {
	return teamCase{t: t, loc: mustLoc(t, "Europe/Berlin"), firstSeen: ts(t, "2026-03-03T05:10:00+01:00")}
}

// member is a teammate seen d before the first sighting.
func (c teamCase) member(name string, onCall, online, ringable bool, seenBefore time.Duration) Member {
	return Member{Name: name, OnCall: onCall, Online: online, Ringable: ringable, Seen: c.firstSeen.Add(-seenBefore)}
}

func (c teamCase) input(p page.Page, members ...Member) Input {
	return Input{
		Page: p, Me: "carol", Rules: DefaultRules(), Location: c.loc,
		Team:      Team{Visible: true, Members: members},
		Hold:      Hold{High: 2 * time.Minute, Low: 10 * time.Minute},
		FirstSeen: c.firstSeen,
	}
}

func TestRoute(t *testing.T) {
	c := newTeamCase(t)
	high, low := openPage(page.UrgencyHigh), openPage(page.UrgencyLow)
	alice := c.member("Alice", true, true, true, 5*time.Second)
	bob := c.member("Bob", true, true, true, 0)
	at := func(d time.Duration) time.Time { return c.firstSeen.Add(d) }
	edit := func(in Input, f func(*Input)) Input { f(&in); return in }
	shift := OnCall{OnCall: true, Schedule: "Payments Primary"}

	tests := []struct {
		name       string
		in         Input
		now        time.Time
		level      Level
		until      time.Time
		reason     string
		rule       string
		responders []string
	}{
		{"held for the on-call teammate", c.input(high, alice), at(0), Held, at(2 * time.Minute),
			"Held — Alice is on call (rung 05:10); rings you at 05:12 if nobody is looking", RuleHeld, []string{"Alice"}},
		{"still held just before the deadline", c.input(high, alice), at(2*time.Minute - time.Millisecond), Held, at(2 * time.Minute),
			"Held — Alice is on call (rung 05:10); rings you at 05:12 if nobody is looking", RuleHeld, []string{"Alice"}},
		{"low urgency holds longer", c.input(low, alice), at(time.Minute), Held, at(10 * time.Minute),
			"Held — Alice is on call (rung 05:10); rings you at 05:20 if nobody is looking", RuleHeld, []string{"Alice"}},
		{"two on call: held for both", c.input(high, bob, alice), at(0), Held, at(2 * time.Minute),
			"Held — Alice and Bob are on call (rung 05:10); rings you at 05:12 if nobody is looking", RuleHeld, []string{"Alice", "Bob"}},
		{"deadline without a claim: escalated", c.input(high, alice), at(2 * time.Minute), Loud, time.Time{},
			"Loud: escalated — nobody is looking 2 min after Alice was rung (05:10)", RuleEscalated, []string{"Alice"}},
		{"held then claimed by the responder", c.input(claimed(high, "Alice", page.ClaimLooking, at(time.Minute), at(31*time.Minute)), alice),
			at(2 * time.Minute), Quiet, time.Time{}, "Quiet: Alice is looking", RuleClaimedByOther, nil},
		{"held then acked upstream", c.input(func() page.Page { p := high; p.Status, p.AckedBy = page.StatusAcknowledged, "Alice"; return p }(), alice),
			at(time.Minute), Quiet, time.Time{}, "Quiet: acked by Alice", RuleAckedByOther, nil},
		{"held then resolved", c.input(func() page.Page { p := high; p.Status = page.StatusResolved; return p }(), alice),
			at(time.Minute), Suppressed, time.Time{}, "Suppressed: resolved", RuleResolved, nil},
		{"I am on call: ring now, and Alice rings too", edit(c.input(high, alice), func(in *Input) { in.OnCall = shift }), at(0), Loud, time.Time{},
			"Loud: outside quiet hours", RuleOutsideQuiet, nil},
		{"hub unreachable: ring now", edit(c.input(high, alice), func(in *Input) { in.Team.Visible = false }), at(0), Loud, time.Time{},
			"Loud: outside quiet hours (the team cannot be seen)", RuleOutsideQuiet, nil},
		{"on-call teammate offline: ring now", c.input(high, c.member("Alice", true, false, true, 0)), at(0), Loud, time.Time{},
			"Loud: outside quiet hours (nobody ringable is on call)", RuleOutsideQuiet, nil},
		{"on-call teammate in quiet hours: ring now", c.input(high, c.member("Alice", true, true, false, 0)), at(0), Loud, time.Time{},
			"Loud: outside quiet hours (nobody ringable is on call)", RuleOutsideQuiet, nil},
		{"teammate online but not on call: ring now", c.input(high, c.member("Alice", false, true, true, 0)), at(0), Loud, time.Time{},
			"Loud: outside quiet hours (nobody ringable is on call)", RuleOutsideQuiet, nil},
		{"stale presence: ring now", c.input(high, c.member("Alice", true, true, true, 31*time.Second)), at(0), Loud, time.Time{},
			"Loud: outside quiet hours (nobody ringable is on call)", RuleOutsideQuiet, nil},
		{"presence from a clock far ahead does not count", c.input(high, c.member("Alice", true, true, true, -time.Minute)), at(0), Loud, time.Time{},
			"Loud: outside quiet hours (nobody ringable is on call)", RuleOutsideQuiet, nil},
		{"my own presence does not hold me", c.input(high, c.member("Carol", true, true, true, 0)), at(0), Loud, time.Time{},
			"Loud: outside quiet hours (nobody ringable is on call)", RuleOutsideQuiet, nil},
		{"a longer freshness window keeps the record", edit(c.input(high, c.member("Alice", true, true, true, 45*time.Second)), func(in *Input) { in.Team.FreshFor = time.Minute }),
			at(0), Held, at(2 * time.Minute), "Held — Alice is on call (rung 05:10); rings you at 05:12 if nobody is looking", RuleHeld, []string{"Alice"}},
		{"routing off (hold 0s): as before", edit(c.input(high, alice), func(in *Input) { in.Hold = Hold{} }), at(0), Loud, time.Time{},
			"Loud: outside quiet hours", RuleOutsideQuiet, nil},
		{"routing off for low urgency only", edit(c.input(low, alice), func(in *Input) { in.Hold.Low = 0 }), at(0), Loud, time.Time{},
			"Loud: outside quiet hours", RuleOutsideQuiet, nil},
		{"first sighting unknown: not held", edit(c.input(high, alice), func(in *Input) { in.FirstSeen = time.Time{} }), at(0), Loud, time.Time{},
			"Loud: outside quiet hours", RuleOutsideQuiet, nil},
		{"quiet hours, not on call: deferred as before, not held", edit(c.input(high, alice), func(in *Input) { in.Rules = rulesWith(weeknights) }),
			at(0), Deferred, ts(t, "2026-03-03T07:00:00+01:00"), "Deferred to 07:00: quiet hours, you are not on call", RuleNotOnCallDeferred, nil},
		{"claimed by me before the deadline", c.input(claimed(high, "carol", page.ClaimLooking, at(0), at(30*time.Minute)), alice),
			at(3 * time.Minute), Quiet, time.Time{}, "Quiet: you are looking", RuleClaimedByMe, nil},
		{"low urgency (as the page carries it) holds for hold_low", c.input(func() page.Page { p := high; p.Severity = "critical"; p.Urgency = page.UrgencyLow; return p }(), alice),
			at(5 * time.Minute), Held, at(10 * time.Minute), "Held — Alice is on call (rung 05:10); rings you at 05:20 if nobody is looking", RuleHeld, []string{"Alice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Presence is refreshed by heartbeats: seen as long before now
			// as it was before the first sighting.
			got := Decide(heartbeat(tt.in, tt.now.Sub(c.firstSeen)), tt.now)
			want := Decision{Level: tt.level, Until: tt.until, Reason: tt.reason, Rule: tt.rule, Responders: tt.responders}
			if got.Level != want.Level || !got.Until.Equal(want.Until) || got.Reason != want.Reason || got.Rule != want.Rule ||
				!slices.Equal(got.Responders, want.Responders) || got.Escalated != (tt.rule == RuleEscalated) {
				t.Errorf("Decide =\n  %v %v %q %s %v escalated=%v\nwant\n  %v %v %q %s %v",
					got.Level, got.Until.In(c.loc), got.Reason, got.Rule, got.Responders, got.Escalated,
					want.Level, want.Until.In(c.loc), want.Reason, want.Rule, want.Responders)
			}
		})
	}
}

// heartbeat returns in with every presence record seen d later.
func heartbeat(in Input, d time.Duration) Input {
	in.Team.Members = slices.Clone(in.Team.Members)
	for i := range in.Team.Members {
		in.Team.Members[i].Seen = in.Team.Members[i].Seen.Add(d)
	}
	return in
}

// A responder whose heartbeats stop during the hold no longer holds the
// page: it rings at once, long before the deadline.
func TestRouteStalePresenceDuringHold(t *testing.T) {
	c := newTeamCase(t)
	in := c.input(openPage(page.UrgencyHigh), c.member("Alice", true, true, true, 0))
	if d := Decide(in, c.firstSeen.Add(DefaultFreshFor)); d.Level != Held {
		t.Fatalf("within the freshness window: %v %q, want held", d.Level, d.Reason)
	}
	d := Decide(in, c.firstSeen.Add(DefaultFreshFor+time.Millisecond))
	if d.Level != Loud || d.Reason != "Loud: outside quiet hours (nobody ringable is on call)" {
		t.Errorf("after the heartbeats stop: %v %q, want loud", d.Level, d.Reason)
	}
}

func TestHeldText(t *testing.T) {
	c := newTeamCase(t)
	d := Decide(c.input(openPage(page.UrgencyHigh), c.member("Alice", true, true, true, 0)), c.firstSeen)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"level":"held","until":"2026-03-03T05:12:00+01:00","reason":"Held — Alice is on call (rung 05:10); rings you at 05:12 if nobody is looking","rule":"held_for_on_call","responders":["Alice"]}`
	if string(b) != want {
		t.Errorf("json =\n  %s\nwant\n  %s", b, want)
	}
	var back Decision
	if err := json.Unmarshal(b, &back); err != nil || back.Level != Held || back.Responders[0] != "Alice" {
		t.Errorf("unmarshal = %+v, %v", back, err)
	}
}

func TestFormatHold(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Minute: "2 min", 45 * time.Second: "45 s", 90 * time.Second: "1m30s", 2 * time.Hour: "2h0m0s", 1500 * time.Millisecond: "1.5s",
	} {
		if got := FormatHold(d); got != want {
			t.Errorf("FormatHold(%v) = %q, want %q", d, got, want)
		}
	}
}
