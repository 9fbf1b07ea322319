// Package ical parses iCalendar (RFC 5545) data and expands VEVENT
// recurrences exactly: RRULE (all BY* parts, COUNT, UNTIL, WKST, several
// rules), RDATE (DATE, DATE-TIME, PERIOD), EXDATE, RECURRENCE-ID overrides
// (with RANGE=THISANDFUTURE and SEQUENCE), VTIMEZONE rules, IANA and Windows
// zone names, DST gaps and overlaps (RFC 5545 §3.3.5) and nominal versus
// exact durations.
//
// The output matches the reference expander in tools/ics-oracle (Mozilla
// ical.js plus RFC fixes) line for line; see WriteJSONL. Parsing is lenient:
// a BOM, bare LF line ends, folds inside multi-byte characters and invalid
// UTF-8 (decoded to U+FFFD) are accepted, and broken lines or values are
// skipped with a Warning. A file without a VCALENDAR is an error.
package ical

import (
	"errors"
	"fmt"
	"strings"
)

// Attendee is an ATTENDEE of an event.
type Attendee struct {
	Email string // the cal-address without "mailto:"
	Name  string // the CN parameter
}

// Calendar is a parsed iCalendar file, ready to expand.
type Calendar struct {
	events []*event
}

// event is one VEVENT (a master or a RECURRENCE-ID override).
type event struct {
	index      int32 // position in Calendar.events
	line       int
	uid        string
	hasUID     bool
	start      dtValue
	startErr   error
	hasStart   bool
	end        *dtValue
	dur        *duration
	rrules     []*recurRule
	recurring  bool
	rdates     []rdate
	rdateBad   bool
	exdateBad  bool
	exdates    []dtValue
	rid        *dtValue
	ridErr     error
	ridRange   bool
	seq        int64
	hasSeq     bool
	summary    string
	hasSummary bool
	status     string
	desc       string
	attendees  []Attendee
}

// rdate is one RDATE value: a start, optionally a PERIOD end or duration.
type rdate struct {
	start    dtValue
	isPeriod bool
	end      *dtValue
	dur      duration
}

// ErrNoCalendar is returned when the data holds no VCALENDAR component.
var ErrNoCalendar = errors.New("no VCALENDAR component")

// Parse parses iCalendar data. Problems that only affect one line, value or
// event are returned as warnings; the error is non-nil only when nothing
// usable could be read (no VCALENDAR, an unterminated component).
func Parse(data []byte) (*Calendar, []Warning, error) {
	roots, warns, err := parseTree(data)
	if err != nil {
		return nil, warns, fmt.Errorf("parsing calendar: %w", err)
	}
	var cals []*component
	for _, r := range roots {
		if r.Name == "VCALENDAR" {
			cals = append(cals, r)
		}
	}
	if len(cals) == 0 {
		if len(roots) > 0 {
			return nil, warns, fmt.Errorf("parsing calendar: line %d: BEGIN:%s: %w", roots[0].Line, roots[0].Name, ErrNoCalendar)
		}
		return nil, warns, fmt.Errorf("parsing calendar: %w", ErrNoCalendar)
	}
	b := newBuilder(cals)
	cal := &Calendar{}
	for _, vc := range cals {
		b.vtz = b.rootZones[vc]
		for _, c := range vc.Children {
			if c.Name == "VEVENT" {
				cal.events = append(cal.events, b.event(c))
			}
		}
	}
	return cal, append(warns, b.warns...), nil
}

// builder resolves TZIDs and typed values while reading events.
type builder struct {
	rootZones map[*component]map[string]*zone
	vtz       map[string]*zone // VTIMEZONEs of the current VCALENDAR
	service   map[string]*zone // TZIDs without VTIMEZONE resolved to IANA
	utcNames  map[string]bool
	warns     []Warning
}

func newBuilder(cals []*component) *builder {
	b := &builder{rootZones: map[*component]map[string]*zone{}, service: map[string]*zone{},
		utcNames: map[string]bool{"Z": true, "UTC": true, "GMT": true}}
	defined := map[string]bool{}
	for _, vc := range cals {
		zs := map[string]*zone{}
		for _, c := range vc.Children {
			if c.Name != "VTIMEZONE" {
				continue
			}
			p := c.prop("TZID")
			if p == nil {
				continue
			}
			id := unescapeText(p.Value)
			defined[id] = true
			if _, ok := zs[id]; !ok {
				zs[id] = newVTZ(id, c)
			}
		}
		b.rootZones[vc] = zs
	}
	seen := map[string]bool{}
	for _, vc := range cals {
		walk(vc, func(p *property) {
			id, ok := p.paramOK("TZID")
			if !ok || seen[id] || defined[id] || b.utcNames[id] {
				return
			}
			seen[id] = true
			if name, loc := resolveTZID(id); loc != nil {
				b.service[id] = newIANAZone(name, loc)
			} else {
				b.warns = append(b.warns, Warning{p.Line, fmt.Sprintf("TZID %q has no VTIMEZONE and is not an IANA name: treated as floating", id)})
			}
		})
	}
	return b
}

func walk(c *component, f func(*property)) {
	for i := range c.Props {
		f(&c.Props[i])
	}
	for _, ch := range c.Children {
		walk(ch, f)
	}
}

// timeValue parses one DATE/DATE-TIME text with the zone of property p.
func (b *builder) timeValue(p *property, v string, asDate bool) (dtValue, error) {
	L, isDate, utc, err := parseDateFields(v, asDate)
	if err != nil {
		return dtValue{}, err
	}
	if isDate {
		return dtValue{L: L, kind: kDate}, nil
	}
	if utc {
		return dtValue{L: L, kind: kUTC}, nil
	}
	id, ok := p.paramOK("TZID")
	if !ok {
		return dtValue{L: L, kind: kFloating}, nil
	}
	if z := b.vtz[id]; z != nil {
		return dtValue{L: L, kind: kZone, zone: z}, nil
	}
	if b.utcNames[id] {
		return dtValue{L: L, kind: kUTC}, nil
	}
	if z := b.service[id]; z != nil {
		return dtValue{L: L, kind: kZone, zone: z}, nil
	}
	return dtValue{L: L, kind: kFloating}, nil
}

func isDateParam(p *property) bool { return strings.EqualFold(p.param("VALUE"), "DATE") }

func (b *builder) warn(line int, format string, args ...any) {
	b.warns = append(b.warns, Warning{line, fmt.Sprintf(format, args...)})
}
