// Package export writes the user's merged on-call spans as one iCalendar
// file ("my on-call"), so a person can import a single calendar of their
// shifts, across all feeds, into their own calendar app.
//
// The file is encoded with github.com/emersion/go-ical. Times are written
// in the user's zone (TZID with a VTIMEZONE generated from the IANA rules
// for the years the spans cover), so an import shows 09:00 as 09:00 on both
// sides of a DST change; a zone without an IANA name is written in UTC. It
// is pure: the stamp time is a parameter.
package export

import (
	"fmt"
	"hash/fnv"
	"io"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/standby-oncall/standby/internal/schedule"
)

// ProdID names Standby as the calendar's producer.
const ProdID = "-//Standby//my on-call shifts//EN"

// CalendarName is the calendar's display name (X-WR-CALNAME).
const CalendarName = "My on-call shifts"

// ICS writes spans as one VCALENDAR with a VEVENT per span. loc is the
// user's zone; now is the DTSTAMP of every event.
func ICS(w io.Writer, spans []schedule.Span, loc *time.Location, now time.Time) error {
	cal, err := Calendar(spans, loc, now)
	if err != nil {
		return err
	}
	if err := goical.NewEncoder(w).Encode(cal); err != nil {
		return fmt.Errorf("writing the shifts calendar: %w", err)
	}
	return nil
}

// Calendar builds the calendar ICS writes.
func Calendar(spans []schedule.Span, loc *time.Location, now time.Time) (*goical.Calendar, error) {
	cal := goical.NewCalendar()
	cal.Props.SetText(goical.PropVersion, "2.0")
	cal.Props.SetText(goical.PropProductID, ProdID)
	setRaw(cal.Props, "X-WR-CALNAME", CalendarName)
	zone := namedZone(loc)
	switch {
	case len(spans) == 0:
		// A calendar needs a component: the zone alone keeps an empty
		// export valid (RFC 5545 §3.6), so a subscription does not break.
		tz, err := vtimezone(zone, now, now)
		if err != nil {
			return nil, err
		}
		cal.Children = append(cal.Children, tz)
	case zone != time.UTC:
		tz, err := vtimezone(zone, spans[0].Start, spans[len(spans)-1].End)
		if err != nil {
			return nil, err
		}
		cal.Children = append(cal.Children, tz)
	}
	for _, sp := range spans {
		cal.Children = append(cal.Children, event(sp, zone, now).Component)
	}
	return cal, nil
}

// setRaw sets a property with its default value type (go-ical's SetText
// would add VALUE=TEXT to a non-text property).
func setRaw(props goical.Props, name, value string) {
	p := goical.NewProp(name)
	p.Value = value
	props.Set(p)
}

// namedZone is loc when it has an IANA name a calendar app can resolve,
// else UTC (time.Local's name is "Local").
func namedZone(loc *time.Location) *time.Location {
	if loc == nil || loc.String() == "Local" || loc.String() == "" {
		return time.UTC
	}
	if _, err := time.LoadLocation(loc.String()); err != nil {
		return time.UTC
	}
	return loc
}

func event(sp schedule.Span, zone *time.Location, now time.Time) *goical.Event {
	ev := goical.NewEvent()
	ev.Props.SetText(goical.PropUID, uid(sp))
	ev.Props.SetDateTime(goical.PropDateTimeStamp, now.UTC())
	ev.Props.SetDateTime(goical.PropDateTimeStart, sp.Start.In(zone))
	ev.Props.SetDateTime(goical.PropDateTimeEnd, sp.End.In(zone))
	ev.Props.SetText(goical.PropSummary, "On call: "+sp.ScheduleNames())
	ev.Props.SetText(goical.PropTransparency, "OPAQUE")
	if d := description(sp, zone); d != "" {
		ev.Props.SetText(goical.PropDescription, d)
	}
	return ev
}

// uid is stable for a span, so a re-import updates rather than duplicates.
func uid(sp schedule.Span) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d/%s", sp.Start.Unix(), sp.End.Unix(), sp.ScheduleNames())
	return fmt.Sprintf("standby-%x@standby.local", h.Sum64())
}

// description lists the shifts merged into the span, one a line.
func description(sp schedule.Span, zone *time.Location) string {
	if len(sp.Shifts) < 2 {
		return ""
	}
	var b strings.Builder
	for _, sh := range sp.Shifts {
		fmt.Fprintf(&b, "%s: %s → %s\n", sh.Schedule, sh.Start.In(zone).Format("Mon 02 Jan 15:04"), sh.End.In(zone).Format("Mon 02 Jan 15:04 MST"))
	}
	return strings.TrimSuffix(b.String(), "\n")
}
