package export

import (
	"fmt"
	"time"

	goical "github.com/emersion/go-ical"
)

// vtimezone describes zone from the period containing from to the one
// containing to, as RFC 5545 §3.6.5 observances: one STANDARD or DAYLIGHT
// per transition, each with a DTSTART in the local time before it. A zone
// that never changes gets one STANDARD observance.
func vtimezone(zone *time.Location, from, to time.Time) (*goical.Component, error) {
	tz := goical.NewComponent(goical.CompTimezone)
	tz.Props.SetText(goical.PropTimezoneID, zone.String())
	t := from.In(zone)
	for range maxPeriods {
		start, end := t.ZoneBounds()
		name, off := t.Zone()
		if start.IsZero() {
			// No known transition before: a steady observance from 1970.
			tz.Children = append(tz.Children, observance(t.IsDST(), name, off, off, "19700101T000000"))
		} else {
			_, prev := start.Add(-time.Second).Zone()
			wall := start.UTC().Add(time.Duration(prev) * time.Second).Format("20060102T150405")
			tz.Children = append(tz.Children, observance(t.IsDST(), name, prev, off, wall))
		}
		if end.IsZero() || end.After(to) {
			return tz, nil
		}
		t = end.In(zone)
	}
	return nil, fmt.Errorf("writing zone %s: more than %d offset changes between %s and %s", zone, maxPeriods, from.Format(time.DateOnly), to.Format(time.DateOnly))
}

// maxPeriods bounds a VTIMEZONE: two changes a year for a span of years.
const maxPeriods = 2000

func observance(dst bool, name string, from, to int, dtstart string) *goical.Component {
	kind := goical.CompTimezoneStandard
	if dst {
		kind = goical.CompTimezoneDaylight
	}
	c := goical.NewComponent(kind)
	setRaw(c.Props, goical.PropDateTimeStart, dtstart)
	setRaw(c.Props, goical.PropTimezoneOffsetFrom, utcOffset(from))
	setRaw(c.Props, goical.PropTimezoneOffsetTo, utcOffset(to))
	if name != "" {
		c.Props.SetText(goical.PropTimezoneName, name)
	}
	return c
}

// utcOffset formats seconds east of UTC as RFC 5545 UTC-OFFSET (+HHMM[SS]).
func utcOffset(secs int) string {
	sign := '+'
	if secs < 0 {
		sign, secs = '-', -secs
	}
	h, m, s := secs/3600, secs/60%60, secs%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
