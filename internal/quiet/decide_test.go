package quiet

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func openPage(u page.Urgency) page.Page {
	return page.Page{
		ID:      page.ID{Source: "prod-am", Upstream: "f00d"},
		Title:   "HighErrorRate",
		Urgency: u,
		Status:  page.StatusTriggered,
	}
}

func claimed(p page.Page, by string, kind page.ClaimKind, at, expires time.Time) page.Page {
	p.Claims = append(p.Claims, page.Claim{Page: p.ID, By: by, Kind: kind, At: at, Expires: expires, Origin: page.OriginBus})
	return p
}

func TestDecide(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	night := ts(t, "2026-03-02T23:00:00+01:00") // Mon, in Mon–Fri 22:00–07:00
	day := ts(t, "2026-03-02T14:00:00+01:00")
	rules := rulesWith(weeknights, weekend)
	shift := OnCall{OnCall: true, Schedule: "Payments Primary", Until: ts(t, "2026-03-09T09:00:00+01:00")}
	morning := ts(t, "2026-03-03T07:00:00+01:00")
	high, low := openPage(page.UrgencyHigh), openPage(page.UrgencyLow)
	knob := func(f func(*Rules)) Rules { r := rules; f(&r); return r }

	tests := []struct {
		name   string
		in     Input
		now    time.Time
		level  Level
		until  time.Time
		reason string
		rule   string
	}{
		{"day: loud", Input{Page: low}, day, Loud, time.Time{}, "Loud: outside quiet hours", RuleOutsideQuiet},
		{"night, on call, high: loud", Input{Page: high, OnCall: shift}, night, Loud, time.Time{},
			"Loud: you are on call for Payments Primary until Mon 09:00 (high urgency breaks through quiet hours)", RuleOnCallHighBreaks},
		{"night, on call, low: deferred", Input{Page: low, OnCall: shift}, night, Deferred, morning,
			"Deferred to 07:00: quiet hours, low urgency waits (you are on call for Payments Primary until Mon 09:00)", RuleOnCallLowDeferred},
		{"night, not on call: deferred", Input{Page: high}, night, Deferred, morning,
			"Deferred to 07:00: quiet hours, you are not on call", RuleNotOnCallDeferred},
		{"friday night defers to Mon 00:00", Input{Page: high}, ts(t, "2026-03-06T23:00:00+01:00"), Deferred, ts(t, "2026-03-09T00:00:00+01:00"),
			"Deferred to Mon 00:00: quiet hours, you are not on call", RuleNotOnCallDeferred},
		{"looking claim by Bob", Input{Page: claimed(high, "bob", page.ClaimLooking, night.Add(-time.Minute), night.Add(29*time.Minute)), Me: "alice", OnCall: shift},
			night, Quiet, time.Time{}, "Quiet: bob is looking", RuleClaimedByOther},
		{"expired claim by Bob does not hold", Input{Page: claimed(high, "bob", page.ClaimLooking, night.Add(-time.Hour), night.Add(-time.Minute)), Me: "alice"},
			day.Add(10 * time.Hour), Deferred, morning, "Deferred to 07:00: quiet hours, you are not on call", RuleNotOnCallDeferred},
		{"ack claim by Bob", Input{Page: claimed(high, "Bob", page.ClaimAcked, night, time.Time{}), Me: "alice"}, day, Quiet, time.Time{},
			"Quiet: acked by Bob", RuleClaimedByOther},
		{"acked upstream by Bob", Input{Page: func() page.Page { p := high; p.Status, p.AckedBy = page.StatusAcknowledged, "Bob"; return p }(), Me: "alice"},
			day, Quiet, time.Time{}, "Quiet: acked by Bob", RuleAckedByOther},
		{"acked by me", Input{Page: func() page.Page { p := high; p.Status, p.AckedBy = page.StatusAcknowledged, "alice"; return p }(), Me: "alice"},
			day, Quiet, time.Time{}, "Quiet: acked by you", RuleAcked},
		{"acked, nobody named", Input{Page: func() page.Page { p := high; p.Status = page.StatusAcknowledged; return p }(), Me: "alice"},
			day, Quiet, time.Time{}, "Quiet: acknowledged", RuleAcked},
		{"claim by an unnamed upstream user", Input{Page: claimed(high, "", page.ClaimLooking, day, day.Add(30*time.Minute)), Me: "alice"},
			day, Quiet, time.Time{}, "Quiet: someone is looking", RuleClaimedByOther},
		{"my own claim", Input{Page: claimed(high, "alice", page.ClaimLooking, day, day.Add(30*time.Minute)), Me: "alice"},
			day, Quiet, time.Time{}, "Quiet: you are looking", RuleClaimedByMe},
		{"resolved", Input{Page: func() page.Page { p := high; p.Status = page.StatusResolved; return p }(), OnCall: shift},
			night, Suppressed, time.Time{}, "Suppressed: resolved", RuleResolved},
		{"urgency as the page carries it, severity not mapped again", Input{Page: func() page.Page { p := high; p.Severity = "critical"; p.Urgency = page.UrgencyLow; return p }(), OnCall: shift},
			night, Deferred, morning, "Deferred to 07:00: quiet hours, low urgency waits (you are on call for Payments Primary until Mon 09:00)", RuleOnCallLowDeferred},
		{"high held by knob", Input{Page: high, OnCall: OnCall{OnCall: true}, Rules: knob(func(r *Rules) { r.OnCallHighBreaksThrough = false })},
			night, Deferred, morning, "Deferred to 07:00: quiet hours, high urgency is set to wait even on call", RuleOnCallHighHeld},
		{"low rings by knob", Input{Page: low, OnCall: OnCall{OnCall: true}, Rules: knob(func(r *Rules) { r.OnCallLowDeferred = false })},
			night, Loud, time.Time{}, "Loud: you are on call (low urgency is set to ring in quiet hours)", RuleOnCallLowBreaks},
		{"not deferred by knob", Input{Page: high, Rules: knob(func(r *Rules) { r.NotOnCallDeferred = false })},
			night, Quiet, time.Time{}, "Quiet: quiet hours (Mon–Fri 22:00–07:00), you are not on call", RuleNotOnCallQuiet},
		{"ad-hoc quiet", Input{Page: high, Rules: DefaultRules().QuietFor(day.Add(2 * time.Hour))},
			day, Deferred, day.Add(2 * time.Hour), "Deferred to 16:00: ad-hoc quiet, you are not on call", RuleNotOnCallDeferred},
		{"quiet forever", Input{Page: high, Rules: rulesWith(allDay("mon-sun"))},
			day, Deferred, time.Time{}, "Deferred until quiet hours end: quiet hours, you are not on call", RuleNotOnCallDeferred},
		{"resumed", Input{Page: low, Rules: rules.Resume(night, loc)}, night, Loud, time.Time{}, "Loud: outside quiet hours", RuleOutsideQuiet},
		{"zone from rules", Input{Page: high, Rules: knob(func(r *Rules) { r.Zone = "Asia/Kolkata" })},
			ts(t, "2026-03-02T23:00:00+05:30"), Deferred, ts(t, "2026-03-03T07:00:00+05:30"),
			"Deferred to 07:00: quiet hours, you are not on call", RuleNotOnCallDeferred}, // reasons use the rules' zone
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if reflect.DeepEqual(in.Rules, Rules{}) {
				in.Rules = rules // cases that do not set rules use the example week
			}
			in.Location = loc
			got := Decide(in, tt.now)
			want := Decision{Level: tt.level, Until: tt.until, Reason: tt.reason, Rule: tt.rule}
			if got.Level != want.Level || !got.Until.Equal(want.Until) || got.Reason != want.Reason || got.Rule != want.Rule {
				t.Errorf("Decide =\n  %v %v %q %s\nwant\n  %v %v %q %s",
					got.Level, got.Until.In(loc), got.Reason, got.Rule, want.Level, want.Until.In(loc), want.Reason, want.Rule)
			}
		})
	}
}

func TestDecideOnCallWithoutDetails(t *testing.T) {
	loc := mustLoc(t, "America/New_York")
	now := ts(t, "2026-03-07T23:00:00-05:00") // Saturday night before spring-forward
	in := Input{Page: openPage(page.UrgencyHigh), Rules: rulesWith(win("22:00", "07:00", "sat")), Location: loc,
		OnCall: OnCall{OnCall: true, Until: ts(t, "2026-03-08T09:00:00-04:00")}}
	d := Decide(in, now)
	if want := "Loud: you are on call until 09:00 (high urgency breaks through quiet hours)"; d.Reason != want {
		t.Errorf("reason = %q, want %q", d.Reason, want)
	}
	in.Page.Urgency = page.UrgencyLow
	d = Decide(in, now)
	if !d.Until.Equal(ts(t, "2026-03-08T07:00:00-04:00")) || d.Level != Deferred {
		t.Errorf("low on spring-forward night = %v until %v", d.Level, d.Until.In(loc))
	}
}

func TestLevelText(t *testing.T) {
	d := Decision{Level: Deferred, Until: ts(t, "2026-03-03T07:00:00+01:00"), Reason: "r", Rule: RuleNotOnCallDeferred}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"level":"deferred","until":"2026-03-03T07:00:00+01:00","reason":"r","rule":"not_on_call_deferred"}`; string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
	var back Decision
	if err := json.Unmarshal(b, &back); err != nil || back.Level != Deferred {
		t.Errorf("unmarshal = %+v, %v", back, err)
	}
	var l Level
	if err := l.UnmarshalText([]byte("noisy")); err == nil {
		t.Errorf("accepted an unknown level")
	}
	if Level(9).String() != "Level(9)" {
		t.Errorf("out of range String = %q", Level(9).String())
	}
}
