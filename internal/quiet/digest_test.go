package quiet

import (
	"fmt"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

func TestDigest(t *testing.T) {
	now := ts(t, "2026-03-03T07:00:00+01:00")
	mk := func(title string, st page.Status, ackedBy string) DigestItem {
		p := openPage(page.UrgencyHigh)
		p.Title, p.Status, p.AckedBy = title, st, ackedBy
		return DigestItem{Page: p, DeferredAt: now.Add(-5 * time.Hour)}
	}
	items := []DigestItem{
		mk("DiskFull", page.StatusResolved, ""),
		mk("HighLatency", page.StatusResolved, ""),
		mk("Flapping", page.StatusResolved, "bob"),
		mk("QueueBacklog", page.StatusAcknowledged, "Bob"),
		mk("CertExpiry", page.StatusTriggered, ""),
	}
	title, body := Digest(items, now)
	if want := "While you were quiet: 5 pages"; title != want {
		t.Errorf("title = %q, want %q", title, want)
	}
	want := "3 resolved, 1 acked by Bob, 1 still open\n" +
		"• QueueBacklog — acked by Bob\n" +
		"• CertExpiry — still open"
	if body != want {
		t.Errorf("body =\n%s\nwant\n%s", body, want)
	}
}

func TestDigestStates(t *testing.T) {
	now := ts(t, "2026-03-03T07:00:00+01:00")
	p := openPage(page.UrgencyLow)
	p.Service = "payments"
	looking := claimed(p, "carol", page.ClaimLooking, now.Add(-time.Minute), now.Add(time.Hour))
	expired := claimed(p, "carol", page.ClaimLooking, now.Add(-time.Hour), now.Add(-time.Minute))
	ackClaim := claimed(p, "dan", page.ClaimAcked, now.Add(-time.Minute), time.Time{})
	acked := p
	acked.Status = page.StatusAcknowledged
	unnamed := claimed(p, "", page.ClaimLooking, now.Add(-time.Minute), now.Add(time.Hour))
	items := []DigestItem{{Page: looking}, {Page: expired}, {Page: ackClaim}, {Page: acked}, {Page: unnamed}}
	title, body := Digest(items, now)
	if title != "While you were quiet: 5 pages" {
		t.Errorf("title = %q", title)
	}
	want := "1 acked, 1 acked by dan, 1 claimed by carol, 1 claimed by someone, 1 still open\n" +
		"• HighErrorRate (payments) — claimed by carol\n" +
		"• HighErrorRate (payments) — still open\n" +
		"• HighErrorRate (payments) — acked by dan\n" +
		"• HighErrorRate (payments) — acked\n" +
		"• HighErrorRate (payments) — claimed by someone"
	if body != want {
		t.Errorf("body =\n%s\nwant\n%s", body, want)
	}
}

func TestDigestEdges(t *testing.T) {
	now := ts(t, "2026-03-03T07:00:00+01:00")
	if title, body := Digest(nil, now); title != "" || body != "" {
		t.Errorf("empty digest = %q, %q", title, body)
	}
	one := []DigestItem{{Page: openPage(page.UrgencyHigh)}}
	if title, body := Digest(one, now); title != "While you were quiet: 1 page" || body != "1 still open\n• HighErrorRate — still open" {
		t.Errorf("one item = %q, %q", title, body)
	}
	var many []DigestItem
	for i := range 8 {
		p := openPage(page.UrgencyHigh)
		p.Title = fmt.Sprintf("Alert%d", i)
		many = append(many, DigestItem{Page: p})
	}
	_, body := Digest(many, now)
	want := "8 still open\n• Alert0 — still open\n• Alert1 — still open\n• Alert2 — still open\n" +
		"• Alert3 — still open\n• Alert4 — still open\n… and 3 more"
	if body != want {
		t.Errorf("body =\n%s\nwant\n%s", body, want)
	}
}

func TestDueDeferred(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	r := rulesWith(weeknights, weekend)
	night, morning := ts(t, "2026-03-03T03:00:00+01:00"), ts(t, "2026-03-03T07:00:00+01:00")
	a := DigestItem{Page: openPage(page.UrgencyHigh), DeferredAt: night, Until: morning}
	b := a
	b.Page.ID.Upstream = "b"
	done := a
	done.Page.ID.Upstream, done.Delivered = "done", true
	items := []DigestItem{a, done, b}

	if got := DueDeferred(items, r, night, loc); len(got) != 0 {
		t.Errorf("due during quiet hours: %v", got)
	}
	got := DueDeferred(items, r, morning, loc)
	if len(got) != 2 || got[0].Page.ID != a.Page.ID || got[1].Page.ID != b.Page.ID {
		t.Errorf("due at the end of quiet hours = %v, want a and b in order", got)
	}
	if got := DueDeferred(items, r.Resume(night, loc), night.Add(time.Minute), loc); len(got) != 2 {
		t.Errorf("after Resume now, due = %d items, want 2", len(got))
	}
	held := r.QuietFor(morning.Add(2 * time.Hour))
	if got := DueDeferred(items, held, morning, loc); len(got) != 0 {
		t.Errorf("quiet extended past Until, yet due: %v", got)
	}
}
