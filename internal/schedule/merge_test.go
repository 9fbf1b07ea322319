package schedule

import (
	"slices"
	"testing"

	"github.com/standby-oncall/standby/internal/quiet"
)

func sh(t *testing.T, schedule, start, end string) Shift {
	t.Helper()
	return Shift{Feed: "f-" + schedule, Schedule: schedule, Start: at(t, start), End: at(t, end)}
}

func TestMerge(t *testing.T) {
	shifts := []Shift{
		sh(t, "B", "2026-03-02T09:00:00Z", "2026-03-02T17:00:00Z"), // adjacent to A's end
		sh(t, "A", "2026-03-01T09:00:00Z", "2026-03-02T09:00:00Z"),
		sh(t, "A", "2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z"), // inside
		sh(t, "C", "2026-03-02T17:00:01Z", "2026-03-02T18:00:00Z"), // one second gap
		sh(t, "A", "2026-03-05T00:00:00Z", "2026-03-06T00:00:00Z"),
		sh(t, "C", "2026-03-05T12:00:00Z", "2026-03-07T00:00:00Z"), // overlaps and extends
	}
	got := Merge(shifts)
	type span struct {
		start, end string
		schedules  []string
		n          int
	}
	want := []span{
		{"2026-03-01T09:00:00Z", "2026-03-02T17:00:00Z", []string{"A", "B"}, 3},
		{"2026-03-02T17:00:01Z", "2026-03-02T18:00:00Z", []string{"C"}, 1},
		{"2026-03-05T00:00:00Z", "2026-03-07T00:00:00Z", []string{"A", "C"}, 2},
	}
	if len(got) != len(want) {
		t.Fatalf("Merge gave %d spans %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if !g.Start.Equal(at(t, w.start)) || !g.End.Equal(at(t, w.end)) || !slices.Equal(g.Schedules, w.schedules) || len(g.Shifts) != w.n {
			t.Errorf("span %d = %s–%s %v (%d shifts), want %s–%s %v (%d)", i, g.Start, g.End, g.Schedules, len(g.Shifts), w.start, w.end, w.schedules, w.n)
		}
	}
	if len(Merge(nil)) != 0 {
		t.Error("Merge(nil) is not empty")
	}
}

func TestOnCallAt(t *testing.T) {
	// Berlin night shifts across the spring-forward night of 2026-03-29,
	// chained with a day shift on another feed.
	bshifts := []Shift{
		sh(t, "Night", "2026-03-28T22:00:00+01:00", "2026-03-29T07:00:00+02:00"),
		sh(t, "Day", "2026-03-29T07:00:00+02:00", "2026-03-29T19:00:00+02:00"),
		sh(t, "Night", "2026-03-29T22:00:00+02:00", "2026-03-30T07:00:00+02:00"),
	}
	// New York: fall-back night 2026-11-01, 01:30 happens twice.
	nshifts := []Shift{
		sh(t, "Primary", "2026-10-31T18:00:00-04:00", "2026-11-01T01:30:00-05:00"), // the second 01:30
		sh(t, "Primary", "2026-11-02T09:00:00-05:00", "2026-11-02T17:00:00-05:00"),
	}
	tests := []struct {
		name   string
		shifts []Shift
		now    string
		want   quiet.OnCall
	}{
		{"in the DST gap night, chain to the day shift", bshifts, "2026-03-29T03:30:00+02:00",
			quiet.OnCall{OnCall: true, Schedule: "Night, Day", Until: at(t, "2026-03-29T19:00:00+02:00")}},
		{"at the chain joint", bshifts, "2026-03-29T07:00:00+02:00",
			quiet.OnCall{OnCall: true, Schedule: "Night, Day", Until: at(t, "2026-03-29T19:00:00+02:00")}},
		{"at the end: off", bshifts, "2026-03-29T19:00:00+02:00", quiet.OnCall{}},
		{"next night", bshifts, "2026-03-29T23:00:00+02:00",
			quiet.OnCall{OnCall: true, Schedule: "Night", Until: at(t, "2026-03-30T07:00:00+02:00")}},
		{"first 01:30 in New York is still on call", nshifts, "2026-11-01T01:30:00-04:00",
			quiet.OnCall{OnCall: true, Schedule: "Primary", Until: at(t, "2026-11-01T01:30:00-05:00")}},
		{"second 01:30 in New York is off", nshifts, "2026-11-01T01:30:00-05:00", quiet.OnCall{}},
		{"no shifts", nil, "2026-11-01T01:30:00-05:00", quiet.OnCall{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OnCallAt(tt.shifts, at(t, tt.now))
			if got.OnCall != tt.want.OnCall || got.Schedule != tt.want.Schedule || !got.Until.Equal(tt.want.Until) {
				t.Errorf("OnCallAt = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNextShiftAndBetween(t *testing.T) {
	shifts := []Shift{
		sh(t, "A", "2026-03-01T09:00:00Z", "2026-03-01T17:00:00Z"),
		sh(t, "B", "2026-03-01T17:00:00Z", "2026-03-01T20:00:00Z"),
		sh(t, "A", "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z"),
	}
	tests := []struct {
		now, start, end string
		ok              bool
	}{
		{"2026-02-28T00:00:00Z", "2026-03-01T09:00:00Z", "2026-03-01T20:00:00Z", true},
		{"2026-03-01T10:00:00Z", "2026-03-03T09:00:00Z", "2026-03-03T17:00:00Z", true}, // current span is not "next"
		{"2026-03-03T09:00:00Z", "", "", false},
	}
	for _, tt := range tests {
		got, ok := NextShift(shifts, at(t, tt.now))
		if ok != tt.ok || ok && (!got.Start.Equal(at(t, tt.start)) || !got.End.Equal(at(t, tt.end))) {
			t.Errorf("NextShift(%s) = %s–%s %v, want %s–%s %v", tt.now, got.Start, got.End, ok, tt.start, tt.end, tt.ok)
		}
	}
	if got := Between(shifts, at(t, "2026-03-01T19:00:00Z"), at(t, "2026-03-03T09:00:00Z")); len(got) != 1 || len(got[0].Shifts) != 2 {
		t.Errorf("Between = %+v, want the first merged span only", got)
	}
}
