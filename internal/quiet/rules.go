// Package quiet is Standby's personal notification policy: weekly quiet
// hours in the user's own zone, ad-hoc "quiet for 2 h" and "Resume now",
// per-source urgency mapping, and the one decision that says whether a page
// rings (Loud), only shows a badge (Quiet), waits for the end of quiet hours
// (Deferred) or is not shown as news at all (Suppressed) — always with the
// reason in words.
//
// It is pure domain code: no I/O, no goroutines, no clock. Every function
// that depends on time takes `now` as a parameter, and every wall-clock
// computation takes the user's *time.Location.
//
// # Wall-clock windows and DST
//
// Windows are wall-clock times in the user's zone. A wall time is turned into
// an instant as "the first instant whose wall clock reaches that time":
//
//   - On a spring-forward day a time inside the gap (02:30 in Berlin on the
//     last Sunday of March) resolves to the first instant after the gap
//     (03:00 CEST). A window 02:30–04:00 is then one hour long that day,
//     and a window wholly inside the gap (02:15–02:45) is empty that day.
//   - On a fall-back day a time inside the repeated hour (02:30 in Berlin on
//     the last Sunday of October) resolves to its first occurrence (02:30
//     CEST). A window 22:00–02:30 therefore ends at the first 02:30 and does
//     not start again when the clock shows 02:00 a second time; a window
//     from 02:30 starts at the first 02:30. This matches the "ambiguous
//     time: the first occurrence" rule the schedule uses.
//
// A window that ends at or before it starts crosses midnight: "Mon 22:00–
// 07:00" means Monday 22:00 until Tuesday 07:00.
package quiet

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rules is the user's quiet-hours configuration, the [quiet] table of the
// config file. Start from DefaultRules and decode on top of it: the zero
// value has every policy knob off.
type Rules struct {
	// Zone is the IANA zone the windows are written in; empty means the
	// local zone the caller passes in.
	Zone string `toml:"zone,omitempty" json:"zone,omitempty"`
	// Windows are the weekly quiet windows.
	Windows []Window `toml:"windows,omitempty" json:"windows,omitempty"`
	// QuietUntil is an ad-hoc "quiet for N hours / until T": quiet from now
	// until this instant, whatever the windows say. Zero: none.
	QuietUntil time.Time `toml:"quiet_until,omitempty" json:"quiet_until,omitzero"`
	// ResumedUntil is "Resume now": weekly windows do not count before this
	// instant (normally the natural end of the window that was resumed).
	// It does not cancel QuietUntil; Resume clears both. Zero: none.
	ResumedUntil time.Time `toml:"resumed_until,omitempty" json:"resumed_until,omitzero"`
	// OnCallHighBreaksThrough lets high-urgency pages ring in quiet hours
	// while the user is on call (default true).
	OnCallHighBreaksThrough bool `toml:"on_call_high_breaks_through" json:"on_call_high_breaks_through"`
	// OnCallLowDeferred defers low-urgency pages in quiet hours while on
	// call (default true); false lets them ring.
	OnCallLowDeferred bool `toml:"on_call_low_deferred" json:"on_call_low_deferred"`
	// NotOnCallDeferred defers pages in quiet hours while not on call, to be
	// delivered in the digest when quiet hours end (default true); false
	// only lists them silently, with no digest. Neither rings.
	NotOnCallDeferred bool `toml:"not_on_call_deferred" json:"not_on_call_deferred"`
	// Urgency overrides the built-in urgency mapping: source kind →
	// severity word → "high" or "low". The severity "*" is the kind's
	// fallback. Keys are case-insensitive. Applied by source.Urgency, the
	// one mapping, when a page is read; the policy reads Page.Urgency.
	Urgency map[string]map[string]string `toml:"urgency,omitempty" json:"urgency,omitempty"`
}

// Window is one weekly quiet window.
type Window struct {
	// Days the window starts on: "mon".."sun" or full names, and ranges
	// such as "mon-fri" (which may wrap: "fri-mon").
	Days []string `toml:"days" json:"days"`
	// From is the start, "HH:MM" in 24-hour time.
	From string `toml:"from,omitempty" json:"from,omitempty"`
	// To is the end, "HH:MM"; "24:00" is the end of the day. A To at or
	// before From ends on the next day.
	To string `toml:"to,omitempty" json:"to,omitempty"`
	// AllDay makes the window the whole day (From and To must be empty).
	AllDay bool `toml:"all_day,omitempty" json:"all_day,omitempty"`
}

// DefaultRules returns the rules with the default policy and no windows:
// on call, high urgency breaks through and low urgency is deferred; not on
// call, everything is deferred.
func DefaultRules() Rules {
	return Rules{
		OnCallHighBreaksThrough: true,
		OnCallLowDeferred:       true,
		NotOnCallDeferred:       true,
	}
}

// Validate reports every problem in r, each naming its field as it appears
// in the config file, e.g. `quiet.windows[1].from: "25:00" is not HH:MM`.
// It resolves Zone through the time zone database.
func (r Rules) Validate() error {
	var errs []error
	if r.Zone != "" {
		if _, err := time.LoadLocation(r.Zone); err != nil {
			errs = append(errs, fmt.Errorf("quiet.zone: %q is not a known IANA time zone: %w", r.Zone, err))
		}
	}
	for i, w := range r.Windows {
		errs = append(errs, w.validate(fmt.Sprintf("quiet.windows[%d]", i))...)
	}
	errs = append(errs, validateUrgency(r.Urgency)...)
	return errors.Join(errs...)
}

func (w Window) validate(field string) []error {
	var errs []error
	if len(w.Days) == 0 {
		errs = append(errs, fmt.Errorf("%s.days: empty; list days such as [\"mon\", \"tue\"] or \"mon-fri\"", field))
	}
	for j, d := range w.Days {
		if _, err := parseDays(d); err != nil {
			errs = append(errs, fmt.Errorf("%s.days[%d]: %w", field, j, err))
		}
	}
	if w.AllDay {
		if w.From != "" || w.To != "" {
			errs = append(errs, fmt.Errorf("%s: all_day = true cannot have from/to", field))
		}
		return errs
	}
	from, errFrom := ParseClock(w.From)
	if errFrom != nil {
		errs = append(errs, fmt.Errorf("%s.from: %w", field, errFrom))
	} else if from == minutesPerDay {
		errs = append(errs, fmt.Errorf("%s.from: \"24:00\" is only allowed in to", field))
	}
	to, errTo := ParseClock(w.To)
	if errTo != nil {
		errs = append(errs, fmt.Errorf("%s.to: %w", field, errTo))
	}
	if errFrom == nil && errTo == nil && from == to {
		errs = append(errs, fmt.Errorf("%s: from and to are both %q; use all_day = true for a whole day", field, w.From))
	}
	return errs
}

const minutesPerDay = 24 * 60

// ParseClock parses "HH:MM" (24-hour, "7:05" also accepted) into minutes
// after midnight. "24:00" parses as 1440, the end of the day.
func ParseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !allDigits(h) || !allDigits(m) {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	return hh*60 + mm, nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// FormatClock renders minutes after midnight as "HH:MM"; the inverse of
// ParseClock.
func FormatClock(min int) string {
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// parseDays parses one entry of Window.Days: a day name or a range.
func parseDays(s string) ([]time.Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if d, ok := dayNames[s]; ok {
		return []time.Weekday{d}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	da, okA := dayNames[strings.TrimSpace(a)]
	db, okB := dayNames[strings.TrimSpace(b)]
	if !ok || !okA || !okB {
		return nil, fmt.Errorf("%q is not a day (mon…sun) or a range (mon-fri)", s)
	}
	var days []time.Weekday
	for d := da; ; d = (d + 1) % 7 {
		days = append(days, d)
		if d == db {
			return days, nil
		}
	}
}

// weekdays returns the set of days w starts on; invalid entries are skipped.
func (w Window) weekdays() [7]bool {
	var set [7]bool
	for _, s := range w.Days {
		days, _ := parseDays(s)
		for _, d := range days {
			set[d] = true
		}
	}
	return set
}

// bounds returns the window's start and end in minutes after midnight of
// its start day; end may exceed a day when the window crosses midnight.
// ok is false for a window that Validate rejects.
func (w Window) bounds() (from, to int, ok bool) {
	if w.AllDay {
		return 0, minutesPerDay, w.From == "" && w.To == ""
	}
	from, err1 := ParseClock(w.From)
	to, err2 := ParseClock(w.To)
	if err1 != nil || err2 != nil || from == to || from == minutesPerDay {
		return 0, 0, false
	}
	if to < from {
		to += minutesPerDay
	}
	return from, to, true
}

// String describes the window as a person would: "Mon–Fri 22:00–07:00",
// "Sat, Sun all day".
func (w Window) String() string {
	days := describeDays(w.weekdays())
	if w.AllDay {
		return days + " all day"
	}
	return days + " " + w.From + "–" + w.To
}

var shortDay = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// describeDays lists the days Monday first, runs of three or more as ranges.
func describeDays(set [7]bool) string {
	order := []time.Weekday{1, 2, 3, 4, 5, 6, 0}
	var parts []string
	for i := 0; i < len(order); {
		if !set[order[i]] {
			i++
			continue
		}
		j := i
		for j+1 < len(order) && set[order[j+1]] {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, shortDay[order[i]]+"–"+shortDay[order[j]])
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, shortDay[order[k]])
			}
		}
		i = j + 1
	}
	if len(parts) == 0 {
		return "no days"
	}
	return strings.Join(parts, ", ")
}

// validLevels are the urgency words accepted in Rules.Urgency.
var validLevels = []string{"high", "low"}

func validateUrgency(m map[string]map[string]string) []error {
	var errs []error
	for _, kind := range sortedKeys(m) {
		for _, sev := range sortedKeys(m[kind]) {
			v := m[kind][sev]
			if !slices.Contains(validLevels, strings.ToLower(v)) {
				errs = append(errs, fmt.Errorf("quiet.urgency.%s.%s: %q is not high or low", kind, sev, v))
			}
		}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
