package quiet_test

import (
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
)

func berlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}

// The default policy on a Monday night in quiet hours: while on call a
// high-urgency page rings, a low-urgency one waits for the morning; a page
// a teammate is looking at never rings.
func ExampleDecide() {
	loc := berlin()
	rules := quiet.DefaultRules()
	rules.Windows = []quiet.Window{
		{Days: []string{"mon-fri"}, From: "22:00", To: "07:00"},
		{Days: []string{"sat", "sun"}, AllDay: true},
	}
	now := time.Date(2026, 3, 2, 23, 15, 0, 0, loc) // Monday
	shift := quiet.OnCall{OnCall: true, Schedule: "Payments Primary", Until: time.Date(2026, 3, 9, 9, 0, 0, 0, loc)}

	p := page.Page{ID: page.ID{Source: "pd", Upstream: "Q1"}, Title: "Checkout 5xx", Severity: "high", Urgency: page.UrgencyHigh}
	in := quiet.Input{Page: p, Me: "alice", OnCall: shift, Rules: rules, Location: loc}
	fmt.Println(quiet.Decide(in, now).Reason)

	in.Page.Severity, in.Page.Urgency = "low", page.UrgencyLow
	fmt.Println(quiet.Decide(in, now).Reason)

	in.OnCall = quiet.OnCall{}
	fmt.Println(quiet.Decide(in, now).Reason)

	in.Page.Claims = []page.Claim{{By: "Bob", Kind: page.ClaimLooking, At: now, Expires: now.Add(30 * time.Minute)}}
	fmt.Println(quiet.Decide(in, now).Reason)
	// Output:
	// Loud: you are on call for Payments Primary until Mon 09:00 (high urgency breaks through quiet hours)
	// Deferred to 07:00: quiet hours, low urgency waits (you are on call for Payments Primary until Mon 09:00)
	// Deferred to 07:00: quiet hours, you are not on call
	// Quiet: Bob is looking
}

// Back-to-back windows merge: Friday night runs into the weekend.
func ExampleRules_QuietAt() {
	loc := berlin()
	rules := quiet.DefaultRules()
	rules.Windows = []quiet.Window{
		{Days: []string{"sun-fri"}, From: "22:00", To: "07:00"},
		{Days: []string{"sat", "sun"}, AllDay: true},
	}
	friday := time.Date(2026, 3, 6, 23, 0, 0, 0, loc)
	q, until, why := rules.QuietAt(friday, loc)
	fmt.Println(q, quiet.FormatWhen(until, friday, loc), why)
	// Output: true Mon 07:00 quiet hours (Mon–Fri, Sun 22:00–07:00)
}

// "Resume now" at 03:00 ends tonight's quiet hours; tomorrow night is quiet again.
func ExampleRules_Resume() {
	loc := berlin()
	rules := quiet.DefaultRules()
	rules.Windows = []quiet.Window{{Days: []string{"mon-fri"}, From: "22:00", To: "07:00"}}
	now := time.Date(2026, 3, 3, 3, 0, 0, 0, loc)
	rules = rules.Resume(now, loc)
	q, _, _ := rules.QuietAt(now, loc)
	fmt.Println(q, quiet.FormatWhen(rules.NextChange(now, loc), now, loc))
	// Output: false 22:00
}

func ExampleDigest() {
	now := time.Date(2026, 3, 3, 7, 0, 0, 0, berlin())
	items := []quiet.DigestItem{
		{Page: page.Page{Title: "DiskFull", Status: page.StatusResolved}},
		{Page: page.Page{Title: "Latency", Status: page.StatusAcknowledged, AckedBy: "Bob"}},
		{Page: page.Page{Title: "CertExpiry"}},
	}
	title, body := quiet.Digest(items, now)
	fmt.Println(title)
	fmt.Println(body)
	// Output:
	// While you were quiet: 3 pages
	// 1 resolved, 1 acked by Bob, 1 still open
	// • Latency — acked by Bob
	// • CertExpiry — still open
}

func ExampleRules_Validate() {
	rules := quiet.DefaultRules()
	rules.Windows = []quiet.Window{
		{Days: []string{"mon"}, From: "22:00", To: "07:00"},
		{Days: []string{"tue"}, From: "25:00", To: "07:00"},
	}
	fmt.Println(rules.Validate())
	// Output: quiet.windows[1].from: "25:00" is not HH:MM
}
