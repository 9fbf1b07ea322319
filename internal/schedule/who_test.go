package schedule

import (
	"reflect"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/schedule/ical"
)

func TestWhoIsOnCall(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	team := expand(t, berlin, "2026-03-20T00:00:00Z", "2026-04-10T00:00:00Z", teamICS...)
	occ := func(summary, start, end string, att ...ical.Attendee) ical.Occurrence {
		return ical.Occurrence{Summary: summary, Start: at(t, start), End: at(t, end), Attendees: att}
	}
	layered := []ical.Occurrence{
		occ("Primary: Dana", "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"),
		occ("Secondary: Eve", "2026-03-29T00:00:00Z", "2026-03-29T12:00:00Z"),
		occ("Secondary: Finn", "2026-03-29T00:00:00Z", "2026-03-29T18:00:00Z"),
		occ("Ops rota", "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z", ical.Attendee{Email: "gus@example.com"}, ical.Attendee{Name: "Hana"}),
		{Summary: "Primary: Ivan", Status: "CANCELLED", Start: at(t, "2026-03-29T00:00:00Z"), End: at(t, "2026-03-30T00:00:00Z")},
		occ("Tomorrow: Jo", "2026-03-30T00:00:00Z", "2026-03-31T00:00:00Z"),
	}
	mine := []ical.Occurrence{occ("On Call - Payments", "2026-03-29T08:00:00Z", "2026-03-29T20:00:00Z")}
	srcs := []Source{
		{Feed: "team", Schedule: "Payments", Me: Me{Kind: MeName, Value: "alice"}, Occurrences: team},
		{Feed: "layers", Me: Me{Kind: MeEmail, Value: "x@example.com"}, Occurrences: layered},
		{Feed: "pd", Schedule: "PagerDuty", Occurrences: mine},
	}
	now := time.Date(2026, 3, 29, 11, 0, 0, 0, berlin) // 09:00Z
	got := WhoIsOnCall(srcs, now)
	want := []OnDuty{
		{Feed: "layers", Schedule: "layers", Who: []string{"Hana", "gus@example.com"}, Until: at(t, "2026-03-30T00:00:00Z")},
		{Feed: "layers", Schedule: "layers / Primary", Who: []string{"Dana"}, Until: at(t, "2026-03-30T00:00:00Z")},
		{Feed: "layers", Schedule: "layers / Secondary", Who: []string{"Eve", "Finn"}, Until: at(t, "2026-03-29T18:00:00Z")},
		{Feed: "pd", Schedule: "PagerDuty", Who: []string{MeLabel}, Until: at(t, "2026-03-29T20:00:00Z")},
		// Bob's 2026-03-29 09:00 CEST shift has started (07:00Z).
		{Feed: "team", Schedule: "Payments / Primary", Who: []string{"Bob"}, Until: at(t, "2026-03-30T07:00:00Z")},
	}
	if len(got) != len(want) {
		t.Fatalf("WhoIsOnCall = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Feed != want[i].Feed || got[i].Schedule != want[i].Schedule || !reflect.DeepEqual(got[i].Who, want[i].Who) || !got[i].Until.Equal(want[i].Until) {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
