package quiet

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// gen builds random but reproducible inputs; every failure prints the seed
// and the iteration, so it replays exactly.
type gen struct {
	r    *rand.Rand
	locs []*time.Location
}

func newGen(t testing.TB, seed uint64) *gen {
	g := &gen{r: rand.New(rand.NewPCG(seed, 7))}
	for _, z := range []string{"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"} {
		g.locs = append(g.locs, mustLoc(t, z))
	}
	return g
}

// dstDays are the 2026 transitions of the zones above; half of the random
// instants fall within a day and a half of one.
var dstDays = []string{
	"2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", // Berlin
	"2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z", // New York
	"2026-04-04T16:00:00Z", "2026-10-03T16:00:00Z", // Sydney
	"2026-04-04T15:00:00Z", "2026-10-03T15:30:00Z", // Lord Howe
}

func (g *gen) instant(t testing.TB) time.Time {
	if g.r.IntN(2) == 0 {
		base := ts(t, dstDays[g.r.IntN(len(dstDays))])
		return base.Add(time.Duration(g.r.Int64N(int64(72*time.Hour))) - 36*time.Hour)
	}
	start := ts(t, "2026-01-01T00:00:00Z")
	return start.Add(time.Duration(g.r.Int64N(int64(365 * 24 * time.Hour))))
}

func (g *gen) clock() string {
	if g.r.IntN(3) == 0 {
		return FormatClock(g.r.IntN(24) * 60)
	}
	return FormatClock(g.r.IntN(minutesPerDay))
}

var dayWords = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun", "mon-fri", "sat-sun", "fri-mon", "Sunday"}

func (g *gen) window() Window {
	var days []string
	for range 1 + g.r.IntN(3) {
		days = append(days, dayWords[g.r.IntN(len(dayWords))])
	}
	if g.r.IntN(5) == 0 {
		return Window{Days: days, AllDay: true}
	}
	from, to := g.clock(), g.clock()
	for to == from {
		to = g.clock()
	}
	return Window{Days: days, From: from, To: to}
}

func (g *gen) rules(now time.Time) Rules {
	r := Rules{
		OnCallHighBreaksThrough: g.r.IntN(4) != 0,
		OnCallLowDeferred:       g.r.IntN(4) != 0,
		NotOnCallDeferred:       g.r.IntN(4) != 0,
	}
	for range g.r.IntN(4) {
		r.Windows = append(r.Windows, g.window())
	}
	if g.r.IntN(5) == 0 {
		r.QuietUntil = now.Add(time.Duration(g.r.Int64N(int64(48*time.Hour))) - 12*time.Hour)
	}
	if g.r.IntN(6) == 0 {
		r.ResumedUntil = now.Add(time.Duration(g.r.Int64N(int64(24*time.Hour))) - 6*time.Hour)
	}
	return r
}

var people = []string{"alice", "bob", "carol", ""}

func (g *gen) page(now time.Time) page.Page {
	p := openPage(page.Urgency(g.r.IntN(2)))
	p.Status = page.Status(g.r.IntN(3))
	if g.r.IntN(3) == 0 {
		p.AckedBy = people[g.r.IntN(len(people))]
	}
	for range g.r.IntN(4) {
		c := page.Claim{By: people[g.r.IntN(3)], Kind: page.ClaimLooking, Origin: page.OriginBus,
			At: now.Add(-time.Duration(g.r.Int64N(int64(time.Hour))))}
		if g.r.IntN(3) == 0 {
			c.Kind = page.ClaimAcked
		} else {
			c.Expires = now.Add(time.Duration(g.r.Int64N(int64(time.Hour))) - 30*time.Minute)
		}
		p.Claims = append(p.Claims, c)
	}
	if g.r.IntN(3) == 0 {
		p.Severity = []string{"critical", "warning", "P1", "P4", "high", "low"}[g.r.IntN(6)]
	}
	return p
}

func (g *gen) input(now time.Time) Input {
	in := Input{Page: g.page(now), Me: "alice", Rules: g.rules(now), Location: g.locs[g.r.IntN(len(g.locs))]}
	if g.r.IntN(2) == 0 {
		in.OnCall = OnCall{OnCall: true, Schedule: "Payments Primary", Until: now.Add(time.Duration(g.r.Int64N(int64(7 * 24 * time.Hour))))}
	}
	return in
}

func iterations() int {
	if testing.Short() {
		return 500
	}
	return 4000
}

func TestDecideProperties(t *testing.T) {
	const seed = 20260302
	g := newGen(t, seed)
	seen := map[string]int{}
	for i := range iterations() {
		now := g.instant(t)
		in := g.input(now)
		d := Decide(in, now)
		seen[d.Rule]++
		where := fmt.Sprintf("seed %d iteration %d: now %v, input %+v → %+v", seed, i, now, in, d)
		checkDecision(t, in, now, d, where)
		if again := Decide(cloneInput(in), now); !sameDecision(again, d) {
			t.Fatalf("%s\nnot deterministic: second call gave %+v", where, again)
		}
	}
	// Guard against a generator that never reaches a branch.
	for _, rule := range []string{RuleResolved, RuleAckedByOther, RuleClaimedByOther, RuleAcked, RuleClaimedByMe,
		RuleOutsideQuiet, RuleOnCallHighBreaks, RuleOnCallHighHeld, RuleOnCallLowDeferred, RuleOnCallLowBreaks,
		RuleNotOnCallDeferred, RuleNotOnCallQuiet} {
		if seen[rule] == 0 {
			t.Errorf("rule %s never decided in %d random inputs: %v", rule, iterations(), seen)
		}
	}
}

// facts are what the invariants look at for one decision.
type facts struct {
	in             Input
	now            time.Time
	d              Decision
	quiet          bool
	until          time.Time
	claimedByOther bool
	ackedByOther   bool
}

// invariants must hold for every decision; each is named in failures.
var invariants = []struct {
	name  string
	holds func(f facts) bool
}{
	{"reason and rule are set", func(f facts) bool { return f.d.Reason != "" && f.d.Rule != "" }},
	{"reason starts with the level", func(f facts) bool {
		l := f.d.Level.String()
		return strings.HasPrefix(f.d.Reason, strings.ToUpper(l[:1])+l[1:])
	}},
	{"resolved is suppressed", func(f facts) bool {
		return f.in.Page.Status != page.StatusResolved || f.d.Level == Suppressed
	}},
	{"never loud when claimed or acked by someone else", func(f facts) bool {
		return f.d.Level != Loud || !(f.claimedByOther || f.ackedByOther)
	}},
	{"loud in quiet hours only by a named rule", func(f facts) bool {
		return f.d.Level != Loud || !f.quiet || loudAllowed(f.in, urgencyOf(f.in), f.d)
	}},
	{"deferred only in quiet hours, to their end", func(f facts) bool {
		return f.d.Level != Deferred || (f.quiet && f.d.Until.Equal(f.until))
	}},
	{"deferred into the future", func(f facts) bool {
		return f.d.Level != Deferred || f.d.Until.IsZero() || f.d.Until.After(f.now)
	}},
	{"new unclaimed page outside quiet hours is loud", func(f facts) bool {
		fresh := f.in.Page.Status == page.StatusTriggered && f.in.Page.AckedBy == "" &&
			!f.claimedByOther && !claimedByMe(f.in, f.now)
		return f.quiet || !fresh || f.d.Level == Loud
	}},
}

func checkDecision(t *testing.T, in Input, now time.Time, d Decision, where string) {
	t.Helper()
	f := facts{in: in, now: now, d: d}
	f.quiet, f.until, _ = in.Rules.QuietAt(now, in.Location)
	_, f.claimedByOther = page.LiveClaimByOther(in.Page, in.Me, now)
	f.ackedByOther = in.Page.AckedBy != "" && in.Page.AckedBy != in.Me
	for _, inv := range invariants {
		if !inv.holds(f) {
			t.Fatalf("%s\nviolates %q (quiet %v until %v)", where, inv.name, f.quiet, f.until)
		}
	}
}

// loudAllowed is the only way to be loud in quiet hours: on call, and a
// knob that lets this urgency ring, named in Rule and in the reason.
func loudAllowed(in Input, u page.Urgency, d Decision) bool {
	if !in.OnCall.OnCall || !strings.Contains(d.Reason, "you are on call") {
		return false
	}
	if u == page.UrgencyHigh {
		return in.Rules.OnCallHighBreaksThrough && d.Rule == RuleOnCallHighBreaks && strings.Contains(d.Reason, "breaks through")
	}
	return !in.Rules.OnCallLowDeferred && d.Rule == RuleOnCallLowBreaks && strings.Contains(d.Reason, "set to ring")
}

func claimedByMe(in Input, now time.Time) bool {
	return slices.ContainsFunc(in.Page.Claims, func(c page.Claim) bool { return c.By == in.Me && c.Live(now) })
}

func cloneInput(in Input) Input {
	in.Page.Claims = slices.Clone(in.Page.Claims)
	in.Rules.Windows = slices.Clone(in.Rules.Windows)
	return in
}

func sameDecision(a, b Decision) bool {
	return a.Level == b.Level && a.Until.Equal(b.Until) && a.Reason == b.Reason && a.Rule == b.Rule
}

// TestQuietAtProperties checks that a quiet period is really one unbroken
// stretch up to until, that until itself is not quiet, and that NextChange
// agrees.
func TestQuietAtProperties(t *testing.T) {
	const seed = 7
	g := newGen(t, seed)
	for i := range iterations() {
		now := g.instant(t)
		r, loc := g.rules(now), g.locs[g.r.IntN(len(g.locs))]
		where := fmt.Sprintf("seed %d iteration %d: now %v in %v, rules %+v", seed, i, now, loc, r)
		quiet, until, _ := r.QuietAt(now, loc)
		next := r.NextChange(now, loc)
		if quiet && !next.Equal(until) {
			t.Fatalf("%s\nNextChange %v != until %v", where, next, until)
		}
		if next.IsZero() {
			continue
		}
		if !next.After(now) {
			t.Fatalf("%s\nNextChange %v not after now", where, next)
		}
		if q, _, _ := r.QuietAt(next, loc); q == quiet {
			t.Fatalf("%s\nnothing changes at NextChange %v", where, next)
		}
		for range 5 {
			at := now.Add(time.Duration(g.r.Int64N(int64(next.Sub(now)))))
			if q, _, _ := r.QuietAt(at, loc); q != quiet {
				t.Fatalf("%s\nstate changed at %v before NextChange %v", where, at, next)
			}
		}
	}
}

// TestQuietAtMatchesWallClockOracle compares the windows with a naive
// wall-clock check (alertmanager's timeinterval style) away from DST
// transitions, where the two must agree.
func TestQuietAtMatchesWallClockOracle(t *testing.T) {
	const seed = 99
	g := newGen(t, seed)
	checked := 0
	for i := range iterations() {
		now := g.instant(t)
		loc := g.locs[g.r.IntN(len(g.locs))]
		if offsetAt(now.Add(-60*time.Hour), loc) != offsetAt(now.Add(60*time.Hour), loc) {
			continue
		}
		r := g.rules(now)
		r.QuietUntil, r.ResumedUntil = time.Time{}, time.Time{}
		got, _, _ := r.QuietAt(now, loc)
		if want := oracle(r, now.In(loc)); got != want {
			t.Fatalf("seed %d iteration %d: QuietAt(%v in %v) = %v, oracle %v; rules %+v", seed, i, now, loc, got, want, r.Windows)
		}
		checked++
	}
	if checked < iterations()/4 {
		t.Fatalf("only %d instants checked", checked)
	}
}

func oracle(r Rules, local time.Time) bool {
	m := local.Hour()*60 + local.Minute()
	today, yesterday := local.Weekday(), (local.Weekday()+6)%7
	for _, w := range r.Windows {
		from, to, ok := w.bounds()
		days := w.weekdays()
		if !ok {
			continue
		}
		if days[today] && m >= from && m < to {
			return true
		}
		if days[yesterday] && to > minutesPerDay && m < to-minutesPerDay {
			return true
		}
	}
	return false
}
