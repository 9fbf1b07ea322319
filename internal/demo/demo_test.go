package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestScriptOpensAndResolvesPages(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)}
	s := New("demo", Options{Now: c.now, Interval: time.Minute, Initial: 2})
	ctx := context.Background()
	got, err := s.List(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("at start: %d pages, %v", len(got), err)
	}
	c.t = c.t.Add(3 * time.Minute)
	got, _ = s.List(ctx)
	if len(got) != 5 {
		t.Fatalf("after 3 intervals: %d pages, want 5", len(got))
	}
	for _, p := range got {
		if p.ID.Source != "demo" || p.Title == "" || p.OpenedAt.After(c.t) || !p.Open() {
			t.Fatalf("bad page %+v", p)
		}
	}
	// Scripted pages resolve by themselves within an hour; the initial ones stay.
	c.t = c.t.Add(2 * time.Hour)
	got, _ = s.List(ctx)
	for _, p := range got {
		if c.t.Sub(p.OpenedAt) > time.Hour && p.ID.Upstream != "demo-0000" && p.ID.Upstream != "demo-0001" {
			t.Fatalf("page %s open for %v", p.ID, c.t.Sub(p.OpenedAt))
		}
	}
}

func TestAckUnackResolve(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)}
	s := New("demo", Options{Now: c.now})
	ctx := context.Background()
	pages, _ := s.List(ctx)
	id := pages[0].ID.Upstream
	if err := s.Ack(ctx, id, source.Actor{Name: "alice"}); err != nil {
		t.Fatal(err)
	}
	pages, _ = s.List(ctx)
	if pages[0].Status != page.StatusAcknowledged || pages[0].AckedBy != "alice" {
		t.Fatalf("after ack: %+v", pages[0])
	}
	_ = s.Unack(ctx, id, source.Actor{})
	pages, _ = s.List(ctx)
	if pages[0].Status != page.StatusTriggered {
		t.Fatal("unack did not reopen")
	}
	_ = s.Resolve(ctx, id, source.Actor{})
	pages, _ = s.List(ctx)
	for _, p := range pages {
		if p.ID.Upstream == id {
			t.Fatal("resolved page still listed")
		}
	}
	if err := s.Ack(ctx, "nope", source.Actor{}); source.KindOf(err) != source.KindNotFound {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestCalendarPutsMeOnCallNow(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, loc) // a Wednesday
	cal := string(Calendar(now, loc, "alice", "alice@example.com"))
	for _, want := range []string{"BEGIN:VCALENDAR", "DTSTART;TZID=Europe/Berlin:20261123T090000", "SUMMARY:Payments Primary: alice", "RRULE:FREQ=WEEKLY;INTERVAL=4", "mailto:alice@example.com", "END:VCALENDAR"} {
		if !strings.Contains(cal, want) {
			t.Errorf("calendar lacks %q", want)
		}
	}
}
