package demo

import (
	"fmt"
	"strings"
	"time"
)

// Calendar returns a sample on-call calendar around now in loc: a weekly
// primary rotation of four people handing over on Mondays at 09:00 in
// which me has the current week, a business-hours secondary on Wednesdays,
// and a monthly game day. It is a real RFC 5545 document with RRULEs, so
// the demo exercises the same expansion as real feeds.
func Calendar(now time.Time, loc *time.Location, me, email string) []byte {
	if me == "" {
		me = "you"
	}
	local := now.In(loc)
	// The Monday 09:00 at or before now starts my current week.
	monday := time.Date(local.Year(), local.Month(), local.Day(), 9, 0, 0, 0, loc)
	for monday.Weekday() != time.Monday || monday.After(local) {
		monday = monday.AddDate(0, 0, -1)
	}
	tz := loc.String()
	stamp := now.UTC().Format("20060102T150405Z")
	f := func(t time.Time) string { return t.In(loc).Format("20060102T150405") }
	var b strings.Builder
	w := func(lines ...string) {
		for _, l := range lines {
			b.WriteString(l)
			b.WriteString("\r\n")
		}
	}
	w("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Standby//demo//EN", "X-WR-CALNAME:Payments on-call (demo)")
	people := []string{me, "Bob", "Carol", "Dave"}
	for i, who := range people {
		start := monday.AddDate(0, 0, 7*i)
		w("BEGIN:VEVENT",
			fmt.Sprintf("UID:demo-primary-%d@standby", i),
			"DTSTAMP:"+stamp,
			fmt.Sprintf("DTSTART;TZID=%s:%s", tz, f(start)),
			fmt.Sprintf("DTEND;TZID=%s:%s", tz, f(start.AddDate(0, 0, 7))),
			"RRULE:FREQ=WEEKLY;INTERVAL=4",
			"SUMMARY:Payments Primary: "+who)
		if i == 0 && email != "" {
			w("ATTENDEE;CN=" + who + ":mailto:" + email)
		}
		w("END:VEVENT")
	}
	wed := monday.AddDate(0, 0, 2)
	w("BEGIN:VEVENT", "UID:demo-secondary@standby", "DTSTAMP:"+stamp,
		fmt.Sprintf("DTSTART;TZID=%s:%s", tz, f(wed)),
		fmt.Sprintf("DTEND;TZID=%s:%s", tz, f(wed.Add(8*time.Hour))),
		"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
		"SUMMARY:Payments Secondary: "+me, "END:VEVENT")
	w("BEGIN:VEVENT", "UID:demo-gameday@standby", "DTSTAMP:"+stamp,
		fmt.Sprintf("DTSTART;TZID=%s:%s", tz, f(monday.AddDate(0, 0, 3).Add(5*time.Hour))),
		"DURATION:PT2H", "RRULE:FREQ=MONTHLY;BYDAY=1TH",
		"SUMMARY:Game day (all hands)", "END:VEVENT")
	w("END:VCALENDAR")
	return []byte(b.String())
}
