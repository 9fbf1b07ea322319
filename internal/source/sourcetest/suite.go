package sourcetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// settle bounds how long the suite waits for an upstream to show the effect
// of an action (real servers apply some changes asynchronously).
const settle = 15 * time.Second

// Run runs the conformance suite; newHarness is called once per subtest.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"ListFired", testListFired},
		{"Urgency", testUrgency},
		{"Close", testClose},
		{"Ack", testAck},
		{"Unack", testUnack},
		{"Resolve", testResolve},
		{"Note", testNote},
		{"UnknownPage", testUnknownPage},
		{"Failures", testFailures},
		{"PartialFailure", testPartialFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if h.Source == nil || h.Fire == nil || h.Close == nil {
				t.Fatal("harness needs Source, Fire and Close")
			}
			tt.fn(t, h)
		})
	}
}

func testListFired(t *testing.T, h Harness) {
	a := Alert{Title: "Disk full on db-1", Urgency: page.UrgencyHigh}
	id := h.Fire(t, a)
	want := page.ID{Source: h.Source.Name(), Upstream: id}
	p := waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
	if p.ID != want {
		t.Errorf("ID = %v, want %v", p.ID, want)
	}
	if p.Title != a.Title {
		t.Errorf("Title = %q, want %q", p.Title, a.Title)
	}
	if p.Status != page.StatusTriggered || !p.Open() {
		t.Errorf("Status = %v, want triggered", p.Status)
	}
	if p.OpenedAt.IsZero() {
		t.Error("OpenedAt is zero")
	}
	again := list(t, h)
	if _, ok := find(again, id); !ok {
		t.Errorf("second List lost %v: upstream id not stable", want)
	}
	seen := map[page.ID]bool{}
	for _, q := range again {
		if seen[q.ID] {
			t.Errorf("List returned %v twice", q.ID)
		}
		seen[q.ID] = true
		if q.ID.Source != h.Source.Name() {
			t.Errorf("page %v: ID.Source = %q, want %q", q.ID, q.ID.Source, h.Source.Name())
		}
	}
}

func testUrgency(t *testing.T, h Harness) {
	for _, u := range []page.Urgency{page.UrgencyHigh, page.UrgencyLow} {
		id := h.Fire(t, Alert{Title: "Urgency " + u.String(), Urgency: u})
		p := waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
		if p.Urgency != u {
			t.Errorf("fired %v: Urgency = %v", u, p.Urgency)
		}
	}
}

func testClose(t *testing.T, h Harness) {
	id := h.Fire(t, Alert{Title: "Flapping check", Urgency: page.UrgencyLow})
	waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
	h.Close(t, id)
	waitPage(t, h, id, func(p page.Page, ok bool) bool { return !ok || !p.Open() }, "the closed page to go")
}

func testAck(t *testing.T, h Harness) {
	id := h.Fire(t, Alert{Title: "Latency SLO burn", Urgency: page.UrgencyHigh})
	waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
	if !h.Source.Caps().Ack {
		wantUnsupported(t, "Ack", h.Source.Ack(t.Context(), id, h.Actor))
		return
	}
	for range 2 { // Ack is idempotent
		if err := h.Source.Ack(t.Context(), id, h.Actor); err != nil {
			t.Fatalf("Ack: %v", err)
		}
	}
	p := waitPage(t, h, id, func(p page.Page, ok bool) bool {
		return ok && p.Status == page.StatusAcknowledged
	}, "the page to be acknowledged")
	if h.AckedByKnown && p.AckedBy != h.Actor.Name {
		t.Errorf("AckedBy = %q, want %q", p.AckedBy, h.Actor.Name)
	}
}

func testUnack(t *testing.T, h Harness) {
	id := h.Fire(t, Alert{Title: "Queue backlog", Urgency: page.UrgencyHigh})
	waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
	if !h.Source.Caps().Unack {
		wantUnsupported(t, "Unack", h.Source.Unack(t.Context(), id, h.Actor))
		return
	}
	if err := h.Source.Ack(t.Context(), id, h.Actor); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	waitPage(t, h, id, func(p page.Page, ok bool) bool {
		return ok && p.Status == page.StatusAcknowledged
	}, "the page to be acknowledged")
	if err := h.Source.Unack(t.Context(), id, h.Actor); err != nil {
		t.Fatalf("Unack: %v", err)
	}
	p := waitPage(t, h, id, func(p page.Page, ok bool) bool {
		return ok && p.Status == page.StatusTriggered
	}, "the page to be triggered again")
	if p.AckedBy != "" {
		t.Errorf("after Unack AckedBy = %q, want empty", p.AckedBy)
	}
}

func testResolve(t *testing.T, h Harness) {
	id := h.Fire(t, Alert{Title: "Cert expires soon", Urgency: page.UrgencyLow})
	waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
	if !h.Source.Caps().Resolve {
		wantUnsupported(t, "Resolve", h.Source.Resolve(t.Context(), id, h.Actor))
		return
	}
	if err := h.Source.Resolve(t.Context(), id, h.Actor); err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	waitPage(t, h, id, func(p page.Page, ok bool) bool { return !ok || !p.Open() }, "the resolved page to go")
}

func testNote(t *testing.T, h Harness) {
	id := h.Fire(t, Alert{Title: "Error rate", Urgency: page.UrgencyHigh})
	waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
	text := source.ClaimNoteText(h.Actor.Name)
	if !h.Source.Caps().Note {
		wantUnsupported(t, "Note", h.Source.Note(t.Context(), id, h.Actor, text))
		return
	}
	for _, n := range []string{"rolled back deploy 1234", text} {
		if err := h.Source.Note(t.Context(), id, h.Actor, n); err != nil {
			t.Fatalf("Note(%q): %v", n, err)
		}
	}
	if h.Notes == nil {
		t.Fatal("Caps.Note is true but the harness has no Notes hook")
	}
	if notes := h.Notes(t, id); !contains(notes, text) {
		t.Errorf("upstream notes = %q, want %q among them", notes, text)
	}
	p := waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok && len(p.Claims) > 0 }, "the claim mirror")
	if len(p.Claims) != 1 {
		t.Fatalf("Claims = %+v, want exactly the claim note (plain notes are not claims)", p.Claims)
	}
	c := p.Claims[0]
	if c.By != h.Actor.Name || c.Origin != page.OriginUpstream || c.Kind != page.ClaimLooking ||
		c.Page != p.ID || c.At.IsZero() {
		t.Errorf("claim = %+v, want looking by %q from upstream on %v", c, h.Actor.Name, p.ID)
	}
}

func testUnknownPage(t *testing.T, h Harness) {
	if !h.Source.Caps().Ack {
		t.Skip("no Ack")
	}
	err := h.Source.Ack(t.Context(), "PNOSUCH0000000000", h.Actor)
	if err == nil {
		t.Fatal("Ack of an unknown page succeeded")
	}
	if k := source.KindOf(err); k != source.KindNotFound && k != source.KindInvalid {
		t.Errorf("Ack of an unknown page: kind %v (%v), want NotFound or Invalid", k, err)
	}
}

// list calls List and fails the test on error.
func list(t *testing.T, h Harness) []page.Page {
	t.Helper()
	ps, err := h.Source.List(t.Context())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return ps
}

// waitPage lists until cond holds for the page with upstream id (ok says
// whether it was listed) and returns that page.
func waitPage(t *testing.T, h Harness, id string, cond func(p page.Page, ok bool) bool, what string) page.Page {
	t.Helper()
	var p page.Page
	var lastErr error
	held := poll(t.Context(), settle, 25*time.Millisecond, func() bool {
		ps, err := h.Source.List(t.Context())
		if lastErr = err; err != nil {
			return false
		}
		var ok bool
		p, ok = find(ps, id)
		return cond(p, ok)
	})
	if !held {
		t.Fatalf("waiting for %s (%s): not within %v (last List error: %v; last page: %+v)", what, id, settle, lastErr, p)
	}
	return p
}

func find(ps []page.Page, upstreamID string) (page.Page, bool) {
	for _, p := range ps {
		if p.ID.Upstream == upstreamID {
			return p, true
		}
	}
	return page.Page{}, false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func wantUnsupported(t *testing.T, op string, err error) {
	t.Helper()
	if source.KindOf(err) != source.KindUnsupported || err == nil {
		t.Errorf("%s without the capability = %v, want a KindUnsupported error", op, err)
	}
}

// asError unwraps a *source.Error or fails the test.
func asError(t *testing.T, err error) *source.Error {
	t.Helper()
	var e *source.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *source.Error", err, err)
	}
	return e
}

// noSecret fails the test when err's text shows the credential.
func noSecret(t *testing.T, h Harness, err error) {
	t.Helper()
	if h.Secret != "" && err != nil && strings.Contains(err.Error(), h.Secret) {
		t.Errorf("error leaks the credential: %v", err)
	}
}
