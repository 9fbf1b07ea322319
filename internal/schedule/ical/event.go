package ical

import (
	"fmt"
	"strings"
)

// event reads one VEVENT.
func (b *builder) event(c *component) *event {
	e := &event{line: c.Line}
	for i := range c.Props {
		p := &c.Props[i]
		b.eventProp(e, p)
	}
	return e
}

func (b *builder) eventProp(e *event, p *property) {
	switch p.Name {
	case "UID":
		if !e.hasUID {
			e.uid, e.hasUID = unescapeText(p.Value), true
		}
	case "SUMMARY":
		if !e.hasSummary {
			e.summary, e.hasSummary = unescapeText(p.Value), true
		}
	case "DESCRIPTION":
		if e.desc == "" {
			e.desc = unescapeText(p.Value)
		}
	case "STATUS":
		if e.status == "" {
			e.status = strings.ToUpper(strings.TrimSpace(unescapeText(p.Value)))
		}
	case "SEQUENCE":
		if !e.hasSeq {
			e.seq, _ = jsParseInt(p.Value)
			e.hasSeq = true
		}
	case "ATTENDEE":
		e.attendees = append(e.attendees, Attendee{Email: stripMailto(p.Value), Name: p.param("CN")})
	case "DTSTART":
		if !e.hasStart {
			e.hasStart = true
			e.start, e.startErr = b.timeValue(p, p.Value, isDateParam(p))
			if e.startErr != nil {
				b.warn(p.Line, "bad DTSTART: %v", e.startErr)
			}
		}
	case "DTEND":
		if e.end == nil {
			v, err := b.timeValue(p, p.Value, isDateParam(p))
			if err != nil {
				b.warn(p.Line, "bad DTEND ignored: %v", err)
				return
			}
			e.end = &v
		}
	case "DURATION":
		if e.dur == nil {
			d, err := parseDuration(strings.TrimSpace(p.Value))
			if err != nil {
				b.warn(p.Line, "bad DURATION ignored: %v", err)
				return
			}
			e.dur = &d
		}
	case "RRULE":
		e.recurring = true
		r, err := parseRecur(p.Value)
		if err != nil {
			b.warn(p.Line, "RRULE skipped: %v", err)
			return
		}
		e.rrules = append(e.rrules, r)
	case "RDATE":
		e.recurring = true
		b.rdateProp(e, p)
	case "EXDATE":
		b.exdateProp(e, p)
	case "RECURRENCE-ID":
		if e.rid == nil && e.ridErr == nil {
			v, err := b.timeValue(p, p.Value, isDateParam(p))
			if err != nil {
				e.ridErr = err
				b.warn(p.Line, "bad RECURRENCE-ID: %v", err)
				return
			}
			e.rid = &v
			e.ridRange = strings.EqualFold(p.param("RANGE"), "THISANDFUTURE")
		}
	}
}

func stripMailto(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		return v[7:]
	}
	return v
}

// rdateProp reads an RDATE; like the reference, one bad value drops all
// RDATEs of the event.
func (b *builder) rdateProp(e *event, p *property) {
	typ := "date-time"
	switch {
	case strings.Contains(p.Value, "/"):
		typ = "period"
	case !strings.Contains(p.Value, "T"):
		typ = "date"
	}
	var vals []rdate
	for _, part := range splitUnescaped(p.Value, ',') {
		rd, err := b.rdateValue(p, part, typ)
		if err != nil {
			b.warn(p.Line, "bad RDATE: %v", err)
			e.rdates = []rdate{}
			e.rdateBad = true
			return
		}
		vals = append(vals, rd)
	}
	if !e.rdateBad {
		e.rdates = append(e.rdates, vals...)
	}
}

func (b *builder) rdateValue(p *property, v, typ string) (rdate, error) {
	if typ != "period" {
		t, err := b.timeValue(p, v, typ == "date")
		return rdate{start: t}, err
	}
	parts := strings.Split(v, "/")
	if len(parts) < 2 {
		return rdate{}, fmt.Errorf("invalid period %q", v)
	}
	// ical.js parses both ends of a PERIOD strictly as DATE-TIME
	if len(parts[0]) < 15 || (len(parts[1]) < 15 && !isDurationText(parts[1])) {
		return rdate{}, fmt.Errorf("invalid period %q: not a DATE-TIME", v)
	}
	st, err := b.timeValue(p, parts[0], false)
	if err != nil {
		return rdate{}, err
	}
	rd := rdate{start: st, isPeriod: true}
	if isDurationText(parts[1]) {
		d, err := parseDuration(parts[1])
		if err != nil {
			return rdate{}, err
		}
		rd.dur = d
		return rd, nil
	}
	en, err := b.timeValue(p, parts[1], false)
	if err != nil {
		return rdate{}, err
	}
	rd.end = &en
	return rd, nil
}

// exdateProp reads an EXDATE (comma lists allowed); one bad value drops all
// EXDATEs of the event, like the reference.
func (b *builder) exdateProp(e *event, p *property) {
	if e.exdateBad {
		return
	}
	var vals []dtValue
	for _, part := range splitUnescaped(p.Value, ',') {
		t, err := b.timeValue(p, part, isDateParam(p))
		if err != nil {
			b.warn(p.Line, "bad EXDATE: %v", err)
			e.exdates, e.exdateBad = nil, true
			return
		}
		vals = append(vals, t)
	}
	e.exdates = append(e.exdates, vals...)
}

func isDurationText(s string) bool {
	return len(s) > 1 && (s[0] == 'P' || s[1] == 'P')
}
