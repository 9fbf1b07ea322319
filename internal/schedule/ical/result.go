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
		return fmtDateL(o.rid)
	case 2:
		return fmtInstant(o.rid)
	}
	return ""
}

func (x *expander) cmpOcc(a, b *occ) int {
	ta, tb := x.cal.events[a.txt], x.cal.events[b.txt]
	if a.s != b.s {
		if a.s < b.s {
			return -1
		}
		return 1
	}
	if c := cmpNullable(ta.uid, !ta.hasUID, tb.uid, !tb.hasUID); c != 0 {
		return c
	}
	if a.ridKind != b.ridKind || a.rid != b.rid {
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
	if a.txt != b.txt {
		if c := cmpNullable(ta.summary, !ta.hasSummary, tb.summary, !tb.hasSummary); c != 0 {
			return c
		}
	}
	return int(a.seq) - int(b.seq)
}

// result sorts, truncates and converts the collected occurrences.
func (x *expander) result() []Occurrence {
	if x.max > 0 && len(x.out) > x.max {
		x.out = keepEarliest(x.out, x.max)
	}
	slices.SortFunc(x.out, func(a, b occ) int { return x.cmpOcc(&a, &b) })
	n := len(x.out)
	if x.max > 0 && n > x.max {
		n = x.max
	}
	res := make([]Occurrence, n)
	rids := make([]RecurrenceID, n)
	for i := range res {
		x.convert(&x.out[i], &res[i], &rids[i])
	}
	return res
}

func (x *expander) convert(o *occ, r *Occurrence, rid *RecurrenceID) {
	t := x.cal.events[o.txt]
	r.UID, r.NoUID = t.uid, !t.hasUID
	r.Summary, r.NoSummary = t.summary, !t.hasSummary
	r.Status, r.Description, r.Attendees = t.status, t.desc, t.attendees
	r.Start, r.End = time.Unix(o.s, 0).UTC(), time.Unix(o.e, 0).UTC()
	r.AllDay, r.Floating = o.allDay, o.floating
	r.raw, r.startDay, r.endDay = true, int64(o.startDay), int64(o.endDay)
	r.ridKind, r.rid = o.ridKind, o.rid
	switch o.ridKind {
	case 1:
		*rid = RecurrenceID{Time: time.Unix(dayOf(o.rid)*secsPerDay, 0).UTC(), IsDate: true}
		r.RecurrenceID = rid
	case 2:
		*rid = RecurrenceID{Time: time.Unix(o.rid, 0).UTC()}
		r.RecurrenceID = rid
	}
}

// keepEarliest drops occurrences that cannot be among the first n in sort
// order: it finds the n-th smallest start and keeps every start up to it.
func keepEarliest(out []occ, n int) []occ {
	starts := make([]int64, len(out))
	for i := range out {
		starts[i] = out[i].s
	}
	limit := nthSmallest(starts, n-1)
	k := 0
	for i := range out {
		if out[i].s <= limit {
			out[k] = out[i]
			k++
		}
	}
	return out[:k]
}

// nthSmallest returns the k-th smallest value (0-based) of v; v is reordered.
func nthSmallest(v []int64, k int) int64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		p := v[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for v[j] > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}
