// Package schedule turns expanded on-call calendars into the user's shifts
// and answers the questions the app asks of them: am I on call now, until
// when, when is my next shift, who is on call per schedule, and which shift
// reminders are due.
//
// It is pure domain code: no I/O, no goroutines, no clock. Every function
// that depends on time takes now as a parameter. Occurrences come from
// package ical; expand them with [ExpandOptions] so that all-day and floating
// events are placed in the user's own zone (an all-day shift starts at local
// midnight).
package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/standby-oncall/standby/internal/schedule/ical"
)

// Shift is one of the user's on-call shifts, taken from one event
// occurrence of one feed.
type Shift struct {
	// Feed is the configured feed name.
	Feed string `json:"feed"`
	// Schedule names the schedule: the calendar's name, else the feed name.
	Schedule string `json:"schedule"`
	// Start and End are the shift's instants; End is exclusive.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Summary is the event's SUMMARY.
	Summary string `json:"summary,omitempty"`
	// Who is the person the event names (attendee CN or the name in
	// "Primary: Bob"); empty when the event names nobody.
	Who string `json:"who,omitempty"`
}

// Source is one feed's expanded occurrences with the rule that says which
// of them are the user's.
type Source struct {
	// Feed is the configured feed name.
	Feed string
	// Schedule is the calendar's own name (X-WR-CALNAME); empty means Feed.
	Schedule string
	// Me says which events are mine.
	Me Me
	// Occurrences are the expanded events (see ExpandOptions).
	Occurrences []ical.Occurrence
	// Organizers maps an event UID to its ORGANIZER e-mail, for "email:"
	// matching; package ical does not expose ORGANIZER, so the feed layer
	// fills this from the raw calendar. May be nil.
	Organizers map[string]string
}

// scheduleName is the name shifts of s carry.
func (s Source) scheduleName() string {
	if s.Schedule != "" {
		return s.Schedule
	}
	return s.Feed
}

// ExpandOptions are the ical expansion options for a user in loc: floating
// times and all-day dates are placed in loc.
func ExpandOptions(loc *time.Location) ical.Options {
	if loc == nil {
		loc = time.Local
	}
	return ical.Options{FloatingZone: loc}
}

// MeKind is how a feed's events are matched to the user.
type MeKind int

const (
	// MeAll: every event of the feed is the user's ("my shifts" feeds).
	MeAll MeKind = iota
	// MeEmail: events with an ATTENDEE or ORGANIZER with this e-mail.
	MeEmail
	// MeName: events whose SUMMARY contains the name as words, or with an
	// attendee whose CN matches it.
	MeName
)

// Me is a parsed config.Feed.Me rule.
type Me struct {
	Kind  MeKind
	Value string // e-mail address or name; empty for MeAll
}

// ParseMe parses "all", "email:ADDR" or "name:TEXT"; "" means "all".
func ParseMe(s string) (Me, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "all") {
		return Me{Kind: MeAll}, nil
	}
	kind, val, ok := strings.Cut(s, ":")
	val = strings.TrimSpace(val)
	if !ok || val == "" {
		return Me{}, fmt.Errorf("parsing me rule %q: want all, email:ADDR or name:TEXT", s)
	}
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "email":
		return Me{Kind: MeEmail, Value: trimMailto(val)}, nil
	case "name":
		return Me{Kind: MeName, Value: val}, nil
	}
	return Me{}, fmt.Errorf("parsing me rule %q: unknown kind %q (want all, email or name)", s, kind)
}

// String formats m the way ParseMe reads it.
func (m Me) String() string {
	switch m.Kind {
	case MeEmail:
		return "email:" + m.Value
	case MeName:
		return "name:" + m.Value
	}
	return "all"
}

// Matches reports whether occurrence o is the user's; organizer is the
// event's ORGANIZER e-mail ("" when unknown).
func (m Me) Matches(o ical.Occurrence, organizer string) bool {
	switch m.Kind {
	case MeAll:
		return true
	case MeEmail:
		if organizer != "" && strings.EqualFold(trimMailto(organizer), m.Value) {
			return true
		}
		return slices.ContainsFunc(o.Attendees, func(a ical.Attendee) bool {
			return strings.EqualFold(trimMailto(a.Email), m.Value)
		})
	case MeName:
		if containsWords(o.Summary, m.Value) {
			return true
		}
		return slices.ContainsFunc(o.Attendees, func(a ical.Attendee) bool {
			return a.Name != "" && containsWords(a.Name, m.Value)
		})
	}
	return false
}

func trimMailto(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	return s
}

// containsWords reports whether text contains name case-insensitively,
// starting and ending at word boundaries: "Bob" is in "Primary: Bob" and
// "bob (backup)" but not in "Bobby".
func containsWords(text, name string) bool {
	t, n := []rune(strings.ToLower(text)), []rune(strings.ToLower(strings.TrimSpace(name)))
	if len(n) == 0 {
		return false
	}
	for i := 0; i+len(n) <= len(t); i++ {
		if !slices.Equal(t[i:i+len(n)], n) {
			continue
		}
		if (i == 0 || !isWord(t[i-1])) && (i+len(n) == len(t) || !isWord(t[i+len(n)])) {
			return true
		}
	}
	return false
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Cancelled reports whether o is a STATUS:CANCELLED instance, never a shift.
func Cancelled(o ical.Occurrence) bool {
	return strings.EqualFold(strings.TrimSpace(o.Status), "CANCELLED")
}

// MyShifts returns the user's shifts in src, sorted by start: every
// occurrence Me matches, except cancelled and zero-length ones.
func MyShifts(src Source) []Shift {
	var out []Shift
	for _, o := range src.Occurrences {
		if Cancelled(o) || !o.End.After(o.Start) || !src.Me.Matches(o, src.Organizers[o.UID]) {
			continue
		}
		out = append(out, Shift{Feed: src.Feed, Schedule: src.scheduleName(), Start: o.Start, End: o.End,
			Summary: o.Summary, Who: whoOf(o)})
	}
	sortShifts(out)
	return out
}

// AllMyShifts returns the user's shifts of every source, sorted by start.
func AllMyShifts(srcs []Source) []Shift {
	var out []Shift
	for _, s := range srcs {
		out = append(out, MyShifts(s)...)
	}
	sortShifts(out)
	return out
}

func sortShifts(s []Shift) {
	slices.SortStableFunc(s, func(a, b Shift) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := a.End.Compare(b.End); c != 0 {
			return c
		}
		return strings.Compare(a.Feed, b.Feed)
	})
}
