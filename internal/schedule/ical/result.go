package ical

import (
	"slices"
	"time"
	"unicode/utf8"
)

// cmpJS compares strings by UTF-16 code units, like JavaScript's < on strings.
func cmpJS(a, b string) int {
	for i := 0; i < len(a) && i < len(b); {
		if a[i] == b[i] {
			i++
			continue
		}
		if a[i] < 0x80 && b[i] < 0x80 {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
		// back up to the start of the differing runes
		j := i
		for j > 0 && !utf8.RuneStart(a[j]) {
			j--
		}
		ra, _ := utf8.DecodeRuneInString(a[j:])
		rb, _ := utf8.DecodeRuneInString(b[j:])
		ka, kb := utf16Key(ra), utf16Key(rb)
		if ka < kb {
			return -1
		}
		if ka > kb {
			return 1
		}
		i++
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// utf16Key orders runes by their first UTF-16 code unit.
func utf16Key(r rune) int {
	if r >= 0x10000 {
		return 0xD800 + int((r-0x10000)>>10)
	}
	return int(r)
}

func cmpNullable(a string, aNull bool, b string, bNull bool) int {
	switch {
	case aNull && bNull:
		return 0
	case aNull:
		return -1
	case bNull:
		return 1
	}
	return cmpJS(a, b)
}

func (o *occ) ridString() string {
	switch o.ridKind {
	case 1:
		return fmtDateL(o.ridL)
	case 2:
		return fmtInstant(o.ridU)
	}
	return ""
}

func cmpOcc(a, b *occ) int {
	if a.s != b.s {
		if a.s < b.s {
			return -1
		}
		return 1
	}
	if c := cmpNullable(a.txt.uid, !a.txt.hasUID, b.txt.uid, !b.txt.hasUID); c != 0 {
		return c
	}
	if a.ridKind != b.ridKind || a.ridU != b.ridU || a.ridL != b.ridL {
		if c := cmpNullable(a.ridString(), a.ridKind == 0, b.ridString(), b.ridKind == 0); c != 0 {
			return c
		}
	}
	if a.e != b.e {
		if a.e < b.e {
			return -1
		}
		return 1
	}
	return cmpNullable(a.txt.summary, !a.txt.hasSummary, b.txt.summary, !b.txt.hasSummary)
}

// result sorts, truncates and converts the collected occurrences.
func (x *expander) result() []Occurrence {
	slices.SortStableFunc(x.out, func(a, b occ) int { return cmpOcc(&a, &b) })
	n := len(x.out)
	if x.max > 0 && n > x.max {
		n = x.max
	}
	res := make([]Occurrence, n)
	for i := range res {
		x.convert(&x.out[i], &res[i])
	}
	return res
}

func (x *expander) convert(o *occ, r *Occurrence) {
	t := o.txt
	r.UID, r.NoUID = t.uid, !t.hasUID
	r.Summary, r.NoSummary = t.summary, !t.hasSummary
	r.Status, r.Description, r.Attendees = t.status, t.desc, t.attendees
	r.Start, r.End = time.Unix(o.s, 0).UTC(), time.Unix(o.e, 0).UTC()
	r.AllDay, r.Floating = o.allDay, o.floating
	if o.allDay {
		r.startStr, r.endStr = fmtDateL(o.startDay*secsPerDay), fmtDateL(o.endDay*secsPerDay)
	} else {
		r.startStr, r.endStr = fmtInstant(o.s), fmtInstant(o.e)
	}
	if o.ridKind != 0 {
		r.ridStr = o.ridString()
		if o.ridKind == 1 {
			r.RecurrenceID = &RecurrenceID{Time: time.Unix(dayOf(o.ridL)*secsPerDay, 0).UTC(), IsDate: true}
		} else {
			r.RecurrenceID = &RecurrenceID{Time: time.Unix(o.ridU, 0).UTC()}
		}
	}
}
