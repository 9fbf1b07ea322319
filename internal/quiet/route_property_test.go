package quiet

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var teamNames = []string{"bob", "carol", "dave", "Alice", "alice", ""}

// member returns a random presence record seen around now: half of them
// would hold a page if nothing else were wrong.
func (g *gen) member(now time.Time) Member {
	if g.r.IntN(2) == 0 {
		return Member{Name: teamNames[g.r.IntN(3)], Online: true, OnCall: true, Ringable: true,
			Seen: now.Add(-time.Duration(g.r.Int64N(int64(DefaultFreshFor))))}
	}
	return Member{
		Name:     teamNames[g.r.IntN(len(teamNames))],
		Online:   g.r.IntN(4) != 0,
		OnCall:   g.r.IntN(2) == 0,
		Ringable: g.r.IntN(4) != 0,
		Seen:     now.Add(-time.Duration(g.r.Int64N(int64(50*time.Second))) + 5*time.Second),
	}
}

var holds = []time.Duration{0, 30 * time.Second, 2 * time.Minute, 10 * time.Minute}

// routed is a random input with a team, holds and a first sighting.
func (g *gen) routed(now time.Time) Input {
	in := g.input(now)
	if g.r.IntN(2) == 0 { // a new page that would ring me, often
		in.Page.Status, in.Page.AckedBy, in.Page.Claims = 0, "", nil
		in.Rules.Windows, in.Rules.QuietUntil = nil, time.Time{}
	}
	in.Team.Visible = g.r.IntN(4) != 0
	for range g.r.IntN(4) {
		in.Team.Members = append(in.Team.Members, g.member(now))
	}
	in.Hold = Hold{High: holds[g.r.IntN(len(holds))], Low: holds[g.r.IntN(len(holds))]}
	if g.r.IntN(8) != 0 {
		span := max(in.Hold.High, in.Hold.Low, time.Second) * 3 / 2
		in.FirstSeen = now.Add(-time.Duration(g.r.Int64N(int64(span))))
	}
	return in
}

// responders is the reference answer: who may hold a page, by the letter
// of the rule.
func responders(in Input, now time.Time) []string {
	var out []string
	for _, m := range in.Team.Members {
		age := now.Sub(m.Seen)
		if in.Team.Visible && m.Online && m.OnCall && m.Ringable && m.Name != "" &&
			!strings.EqualFold(m.Name, in.Me) && age <= DefaultFreshFor && age >= -DefaultFreshFor &&
			!slices.Contains(out, m.Name) {
			out = append(out, m.Name)
		}
	}
	slices.Sort(out)
	return out
}

func alone(in Input) Input {
	in.Team, in.Hold, in.FirstSeen = Team{}, Hold{}, time.Time{}
	return in
}

// TestRouteProperties: a page is never held unless a visible, fresh,
// ringable on-call teammate exists (and I am not on call and it would
// otherwise ring me); routing only ever turns a loud page into a held one;
// and a held page, at or after its deadline with nobody looking, is loud
// (escalated while its responders are still there).
func TestRouteProperties(t *testing.T) {
	const seed = 20261304
	g := newGen(t, seed)
	count := map[string]int{}
	for i := range iterations() {
		now := g.instant(t)
		in := g.routed(now)
		d := Decide(in, now)
		base := Decide(alone(in), now)
		where := fmt.Sprintf("seed %d iteration %d: now %v, input %+v → %+v (alone: %+v)", seed, i, now, in, d, base)
		count[d.Level.String()]++
		if d.Escalated {
			count["escalated"]++
			if d.Level != Loud || base.Level != Loud || len(responders(in, now)) == 0 ||
				now.Before(in.FirstSeen.Add(in.Hold.For(urgencyOf(in)))) {
				t.Fatalf("%s\nescalated without a hold that ended", where)
			}
			continue
		}
		if d.Level != Held {
			if d.Level != base.Level || d.Rule != base.Rule || !d.Until.Equal(base.Until) {
				t.Fatalf("%s\nrouting changed a decision other than into held", where)
			}
			continue
		}
		who := responders(in, now)
		switch {
		case base.Level != Loud:
			t.Fatalf("%s\nheld a page that would not ring me", where)
		case in.OnCall.OnCall:
			t.Fatalf("%s\nheld while I am on call", where)
		case len(who) == 0 || !slices.Equal(d.Responders, who):
			t.Fatalf("%s\nheld for %v; visible, fresh, ringable on-call teammates: %v", where, d.Responders, who)
		case !d.Until.Equal(in.FirstSeen.Add(in.Hold.For(urgencyOf(in)))) || !d.Until.After(now):
			t.Fatalf("%s\nhold deadline is not first seen + hold, in the future", where)
		}
		checkAfterDeadline(t, g, in, now, d, where)
	}
	if count["held"] < iterations()/40 || count["escalated"] == 0 || count["loud"] == 0 {
		t.Errorf("generator too narrow: %v", count)
	}
}

// checkAfterDeadline decides in, first decided at was, again at or after
// d.Until, with the presence records refreshed by heartbeats meanwhile.
func checkAfterDeadline(t *testing.T, g *gen, in Input, was time.Time, d Decision, where string) {
	t.Helper()
	now := d.Until.Add(time.Duration(g.r.Int64N(int64(5 * time.Minute))))
	if g.r.IntN(4) == 0 {
		now = d.Until
	}
	later := heartbeat(in, now.Sub(was))
	got, base := Decide(later, now), Decide(alone(later), now)
	where += fmt.Sprintf("\nat %v: %+v (alone: %+v)", now, got, base)
	switch {
	case got.Level == Held:
		t.Fatalf("%s\nstill held after the deadline", where)
	case base.Level == Loud && (got.Level != Loud || !got.Escalated || got.Rule != RuleEscalated):
		t.Fatalf("%s\nnot escalated after the deadline with nobody looking", where)
	case base.Level != Loud && (got.Level != base.Level || got.Rule != base.Rule):
		t.Fatalf("%s\nafter the deadline, a page that would not ring me changed", where)
	}
}
