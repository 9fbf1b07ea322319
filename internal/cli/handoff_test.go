package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/handoff"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/store"
)

// The handoff of alice's last shift comes from her calendar and what her
// store recorded during it.
func TestHandoffOfTheLastShift(t *testing.T) {
	start := aliceShift(wednesday)
	end := start.AddDate(0, 0, 8) // her week plus the secondary day
	w := newWorld(t, aliceConfig)
	file := filepath.Join(w.dir, "rotation.ics")
	if err := os.WriteFile(file, []byte(rotation), 0o600); err != nil {
		t.Fatal(err)
	}
	w.now = fixed(start.Add(time.Hour))
	w.ok("", "feed", "add", "primary", file, "--me", "name:alice")

	ctx := context.Background()
	db, err := store.Open(ctx, w.state)
	if err != nil {
		t.Fatal(err)
	}
	disk, cpu := page.ID{Source: "am", Upstream: "disk"}, page.ID{Source: "am", Upstream: "cpu"}
	for _, p := range []struct {
		id    page.ID
		title string
		seen  time.Time
	}{{disk, "Disk full", start.Add(2 * time.Hour)}, {cpu, "CPU hot", start.Add(50 * time.Hour)}, {page.ID{Source: "am", Upstream: "later"}, "Later", end.Add(time.Hour)}} {
		if err := db.RecordSeen(ctx, page.Page{ID: p.id, Title: p.title, OpenedAt: p.seen}, p.seen, "Loud: on call"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordAcked(ctx, disk, start.Add(2*time.Hour+3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordEvent(ctx, store.PageEvent{Page: disk, At: start.Add(3 * time.Hour), Kind: store.EventNote, Text: "cleaned /var/log"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	w.now = fixed(end.Add(2 * time.Hour))
	var h handoff.Handoff
	r := w.ok("", "handoff", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &h); err != nil {
		t.Fatalf("handoff --json: %v\n%s", err, r)
	}
	if !h.Shift.Start.Equal(start) || !h.Shift.End.Equal(end) || len(h.Pages) != 2 || h.Open != 0 || h.From != "alice" {
		t.Fatalf("handoff = %+v, want the shift %v → %v with 2 pages", h, start, end)
	}
	md := w.ok("", "handoff", "--shift", "last", "--markdown").stdout
	for _, want := range []string{"## Handoff from alice: 2 pages, 0 still open", "Disk full — `am/disk`", "acked by alice after 3m0s", "note: cleaned /var/log", "CPU hot"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if r := w.run("", "handoff", "--shift", "current"); r.code == 0 || !strings.Contains(r.stderr, "not on call now") {
		t.Errorf("current shift while off call:\n%s", r)
	}
	if r := w.run("", "handoff", "--publish"); r.code == 0 || !strings.Contains(r.stderr, "not published") {
		t.Errorf("publish without a team:\n%s", r)
	}
}
