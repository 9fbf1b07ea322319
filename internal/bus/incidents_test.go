package bus_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
)

// waitIncident reads events until one matches, failing after d.
func waitIncident(t *testing.T, ch <-chan bus.IncidentEvent, d time.Duration, match func(bus.IncidentEvent) bool) bus.IncidentEvent {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatal("incident watch closed")
			}
			if match(ev) {
				return ev
			}
		case <-timer.C:
			t.Fatalf("no matching incident event within %v", d)
		}
	}
}

// Declare, join, hand over and end an incident between two members on a
// real hub; each member's app sees every step, and only the commander can
// hand over or end it.
func TestIncidentCommanderOverTheHub(t *testing.T) {
	h := memHub(t, hub.Config{})
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 30*time.Second)
	bobSees, err := bob.WatchIncidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitIncident(t, bobSees, 5*time.Second, func(ev bus.IncidentEvent) bool { return ev.Synced })

	const doc = "https://docs.example.com/incidents/42"
	inc, err := alice.Declare(ctx, pg, doc)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Commander != "alice" || inc.Doc != doc || inc.DeclaredBy != "alice" || inc.Page != pg {
		t.Fatalf("declared = %+v", inc)
	}
	ev := waitIncident(t, bobSees, 5*time.Second, func(ev bus.IncidentEvent) bool { return ev.Incident.Page == pg })
	if ev.Incident.Commander != "alice" || ev.Incident.Doc != doc {
		t.Errorf("bob sees %+v", ev)
	}

	// Bob cannot take it over by declaring, hand it over or end it.
	if _, err := bob.Declare(ctx, pg, ""); !errors.Is(err, bus.ErrRefused) {
		t.Errorf("bob declared over alice's incident: %v", err)
	}
	if _, err := bob.Handover(ctx, pg, "bob"); !errors.Is(err, bus.ErrRefused) {
		t.Errorf("bob handed alice's incident to himself: %v", err)
	}
	if err := bob.EndIncident(ctx, pg); !errors.Is(err, bus.ErrRefused) {
		t.Errorf("bob ended alice's incident: %v", err)
	}

	if inc, err = bob.Join(ctx, pg); err != nil || !slices.Equal(inc.Helpers, []string{"bob"}) {
		t.Fatalf("bob joins: %+v, %v", inc, err)
	}
	if inc, err = alice.Handover(ctx, pg, "bob"); err != nil {
		t.Fatal(err)
	}
	if inc.Commander != "bob" || inc.HandedBy != "alice" || !slices.Equal(inc.Helpers, []string{"alice"}) || inc.Doc != doc {
		t.Errorf("after the handover: %+v", inc)
	}
	ev = waitIncident(t, bobSees, 5*time.Second, func(ev bus.IncidentEvent) bool { return ev.Incident.Commander == "bob" })
	if ev.Incident.HandedBy != "alice" {
		t.Errorf("bob sees %+v", ev)
	}
	if _, err := alice.Handover(ctx, pg, "alice"); !errors.Is(err, bus.ErrRefused) {
		t.Errorf("alice took it back after handing over: %v", err)
	}

	// A new watch starts from the current record.
	aliceSees, err := alice.WatchIncidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ev := waitIncident(t, aliceSees, 5*time.Second, func(ev bus.IncidentEvent) bool { return ev.Incident.Page == pg }); ev.Incident.Commander != "bob" {
		t.Errorf("a new watch starts with %+v", ev)
	}
	if err := bob.EndIncident(ctx, pg); err != nil {
		t.Fatal(err)
	}
	waitIncident(t, aliceSees, 5*time.Second, func(ev bus.IncidentEvent) bool { return ev.Ended && ev.Incident.Page == pg })
	if _, err := alice.Join(ctx, pg); !errors.Is(err, bus.ErrRefused) {
		t.Errorf("joined an ended incident: %v", err)
	}
}

// A member cannot declare in another's name: the server refuses a request
// on another member's subject, and a payload naming someone else as the
// commander is ignored (the hub takes the member from the subject).
func TestIncidentInAnotherMembersName(t *testing.T) {
	h := memHub(t, hub.Config{})
	aliceTok := addMember(t, h, "alice")
	malloryJS, refused := rawMember(t, h, addMember(t, h, "mallory"))
	alice := connect(t, aliceTok, bus.Config{})
	nc := malloryJS.Conn()
	ctx := ctxT(t, 30*time.Second)

	req, _ := json.Marshal(map[string]any{"op": "declare", "page": pg, "commander": "alice"})
	if _, err := nc.Request("standby.team.alice", req, time.Second); err == nil {
		t.Fatal("mallory's request on alice's subject was answered")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !refused.seen("standby.team.alice") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the violation arrives from the server asynchronously
	}
	if !refused.seen("standby.team.alice") {
		t.Error("the server did not report a permission violation for standby.team.alice")
	}
	// Writing the bucket directly is refused too.
	if _, err := malloryJS.Publish(ctxT(t, 2*time.Second), "$KV."+bus.TeamBucket+".incident."+bus.PageKey(pg), req); err == nil {
		t.Error("mallory wrote the team bucket directly")
	}

	// Through her own subject, "commander": "alice" in the payload is ignored.
	m, err := nc.Request("standby.team.mallory", req, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Record bus.Incident `json:"record"`
		Error  string       `json:"error"`
	}
	if err := json.Unmarshal(m.Data, &rep); err != nil || rep.Error != "" || rep.Record.Commander != "mallory" {
		t.Fatalf("reply %s (%v)", m.Data, err)
	}
	if _, err := alice.Join(ctx, pg); err != nil {
		t.Fatal(err)
	}
	w, err := alice.WatchIncidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ev := waitIncident(t, w, 5*time.Second, func(ev bus.IncidentEvent) bool { return ev.Incident.Page == pg }); ev.Incident.Commander != "mallory" || !slices.Equal(ev.Incident.Helpers, []string{"alice"}) {
		t.Errorf("stored %+v", ev.Incident)
	}
}

func TestIncidentDocMustBeAWebLink(t *testing.T) {
	h := memHub(t, hub.Config{})
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	ctx := ctxT(t, 10*time.Second)
	for _, doc := range []string{"javascript:alert(1)", "file:///etc/passwd", "docs/42", "https://" + string(make([]byte, bus.MaxDocURL))} {
		if _, err := alice.Declare(ctx, pg, doc); !errors.Is(err, bus.ErrRefused) {
			t.Errorf("doc %.40q accepted: %v", doc, err)
		}
	}
}

// Loads and handoffs are stored under the publishing member's name.
func TestLoadsAndHandoffs(t *testing.T) {
	h := memHub(t, hub.Config{})
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 20*time.Second)
	for _, l := range []bus.Load{{Week: "2026-03-02", Pages: 4, Loud: 3, Night: 1}, {Week: "2026-03-09", Pages: 9, Loud: 7, Night: 5}} {
		if err := alice.PublishLoad(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	if err := bob.PublishLoad(ctx, bus.Load{Member: "alice", Week: "2026-03-09", Pages: 1}); err != nil {
		t.Fatal(err)
	}
	if err := bob.PublishLoad(ctx, bus.Load{Week: "2026-03-10", Pages: 1}); !errors.Is(err, bus.ErrRefused) {
		t.Errorf("a Tuesday week accepted: %v", err)
	}
	loads, err := alice.Loads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, l := range loads {
		got[l.Member+" "+l.Week] = l.Pages
	}
	want := map[string]int{"alice 2026-03-02": 4, "alice 2026-03-09": 9, "bob 2026-03-09": 1}
	if len(got) != len(want) || got["alice 2026-03-09"] != 9 || got["bob 2026-03-09"] != 1 || got["alice 2026-03-02"] != 4 {
		t.Errorf("loads = %v, want %v", got, want)
	}

	start := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
	if err := alice.PublishHandoff(ctx, bus.Handoff{From: "bob", ShiftStart: start, ShiftEnd: start.Add(24 * time.Hour), Pages: 7, Open: 1, Text: "- DiskFull"}); err != nil {
		t.Fatal(err)
	}
	if err := alice.PublishHandoff(ctx, bus.Handoff{Pages: 1, Open: 2}); !errors.Is(err, bus.ErrRefused) {
		t.Errorf("more open than pages accepted: %v", err)
	}
	hs, err := bob.Handoffs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 1 || hs[0].From != "alice" || hs[0].Headline() != "Handoff from alice: 7 pages, 1 still open" || hs[0].Text != "- DiskFull" {
		t.Errorf("handoffs = %+v", hs)
	}
}

// Purging a member ends the incidents they command (nobody else could
// hand them over or end them) and takes them out of the helpers of the
// others; bob's own incident is kept.
func TestPurgeMemberEndsTheirIncidents(t *testing.T) {
	h := memHub(t, hub.Config{})
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 30*time.Second)
	hers, his := pg, pg
	his.Upstream = "other"
	if _, err := alice.Declare(ctx, hers, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Declare(ctx, his, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Join(ctx, his); err != nil {
		t.Fatal(err)
	}
	res, err := h.PurgeMember(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if res.IncidentsEnded != 1 || res.IncidentsLeft != 1 {
		t.Errorf("purge result %+v, want 1 incident ended and 1 left", res)
	}
	w, err := bob.WatchIncidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := map[string]bus.IncidentEvent{}
	waitIncident(t, w, 5*time.Second, func(ev bus.IncidentEvent) bool {
		if !ev.Synced {
			now[ev.Incident.Page.Upstream] = ev
		}
		return ev.Synced
	})
	if ev, ok := now[hers.Upstream]; ok && !ev.Ended {
		t.Errorf("alice's incident still stands after the purge: %+v", ev.Incident)
	}
	if ev := now[his.Upstream]; ev.Ended || ev.Incident.Commander != "bob" || len(ev.Incident.Helpers) != 0 {
		t.Errorf("bob's incident after alice's purge: %+v", ev)
	}
	if _, err := bob.Declare(ctx, hers, ""); err != nil {
		t.Errorf("bob cannot declare the page alice commanded: %v", err)
	}
}

// A handoff watch gets the handoffs stored when it starts, then each new
// one as it is published.
func TestWatchHandoffs(t *testing.T) {
	h := memHub(t, hub.Config{})
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	ctx := ctxT(t, 20*time.Second)
	start := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
	if err := alice.PublishHandoff(ctx, bus.Handoff{ShiftStart: start, ShiftEnd: start.Add(time.Hour), Pages: 2}); err != nil {
		t.Fatal(err)
	}
	w, err := bob.WatchHandoffs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	next := func() bus.Handoff {
		t.Helper()
		select {
		case h := <-w:
			return h
		case <-time.After(5 * time.Second):
			t.Fatal("no handoff within 5 s")
			return bus.Handoff{}
		}
	}
	if got := next(); got.From != "alice" || got.Pages != 2 {
		t.Errorf("stored handoff = %+v", got)
	}
	if err := alice.PublishHandoff(ctx, bus.Handoff{ShiftStart: start, ShiftEnd: start.Add(2 * time.Hour), Pages: 7, Open: 1}); err != nil {
		t.Fatal(err)
	}
	if got := next(); got.Headline() != "Handoff from alice: 7 pages, 1 still open" {
		t.Errorf("new handoff = %+v", got)
	}
}
