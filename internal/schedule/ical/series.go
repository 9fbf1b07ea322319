package ical

import (
	"math"
	"sort"
)

// inst maps wall-clock L in the zone context of v to an instant.
func (x *expander) inst(v dtValue, L int64) (int64, bool) {
	if L > maxL || L < -maxL {
		return 0, false
	}
	switch v.kind {
	case kDate, kFloating:
		if x.float == nil {
			return L, true
		}
		return x.float.localToUTC(L), true
	case kUTC:
		return L, true
	}
	return v.zone.localToUTC(L), true
}

// localOf is the inverse of inst: the wall clock of instant u in v's zone.
func (x *expander) localOf(v dtValue, u int64) int64 {
	switch v.kind {
	case kDate, kFloating:
		if x.float == nil {
			return u
		}
		return u + x.float.offsetAt(u)
	case kUTC:
		return u
	}
	return u + v.zone.offsetAt(u)
}

// durationOf derives the duration model of an event starting at st.
func (x *expander) durationOf(e *event, st dtValue) durModel {
	if e.end != nil {
		en := *e.end
		if st.isDate() || en.isDate() {
			days := int64(math.Floor(float64(en.L-st.L)/secsPerDay + 0.5))
			return durModel{kind: durDays, days: max(days, 0)}
		}
		if x.wall {
			return durModel{kind: durNominal, secs: en.L - st.L}
		}
		a, ok1 := x.inst(en, en.L)
		b, ok2 := x.inst(st, st.L)
		if !ok1 || !ok2 {
			return durModel{kind: durBad}
		}
		return durModel{kind: durExact, secs: a - b}
	}
	if e.dur != nil {
		days, ok1 := toInt(e.dur.days)
		secs, ok2 := toInt(e.dur.secs)
		if !ok1 || !ok2 || math.Abs(e.dur.days)*secsPerDay > maxL {
			return durModel{kind: durBad}
		}
		if st.isDate() {
			return durModel{kind: durDays, days: days + floorDiv(secs, secsPerDay)}
		}
		return durModel{kind: durNominal, days: days, secs: secs}
	}
	if st.isDate() {
		return durModel{kind: durDays, days: 1}
	}
	return durModel{kind: durExact}
}

// endVal is an occurrence end: an instant, or a date for all-day ends.
type endVal struct {
	u      int64
	day    int64
	isDate bool
	bad    bool
}

func (x *expander) endOf(t dtValue, L, startU int64, d durModel) endVal {
	switch d.kind {
	case durExact:
		return endVal{u: startU + d.secs}
	case durDays:
		L2 := L + d.days*secsPerDay
		if L2 > maxL || L2 < -maxL {
			return endVal{bad: true}
		}
		return endVal{day: floorDiv(L2, secsPerDay), isDate: true}
	case durNominal:
		if x.wall && d.days == 0 {
			u, ok := x.inst(t, L+d.secs)
			return endVal{u: u, bad: !ok}
		}
		u, ok := x.inst(t, L+d.days*secsPerDay)
		return endVal{u: u + d.secs, bad: !ok}
	}
	return endVal{bad: true}
}

// emitArgs describes one candidate occurrence.
type emitArgs struct {
	txt        *event
	startDate  bool  // the start is a DATE
	startL     int64 // wall clock of the start (for the date)
	startU     int64
	end        endVal
	ridKind    uint8
	ridL, ridU int64
	floating   bool
}

func (x *expander) emit(a emitArgs) {
	if a.end.bad {
		x.warn(a.txt, "uid %s: start/end out of range; occurrence skipped", a.txt.uid)
		return
	}
	o := occ{s: a.startU, txt: a.txt.index, ridKind: a.ridKind, rid: a.ridU,
		allDay: a.startDate, floating: a.floating, seq: x.n}
	if a.ridKind == 1 {
		o.rid = a.ridL
	}
	if a.startDate {
		o.startDay = int32(floorDiv(a.startL, secsPerDay))
		endDay := a.end.day
		if !a.end.isDate {
			endDay = floorDiv(a.end.u, secsPerDay)
		}
		o.endDay = int32(endDay)
		eu, _ := x.inst(dtValue{kind: kDate}, endDay*secsPerDay)
		o.e = eu
	} else if a.end.isDate {
		o.e, _ = x.inst(dtValue{kind: kDate}, a.end.day*secsPerDay)
	} else {
		o.e = a.end.u
	}
	if o.e < o.s {
		x.warn(a.txt, "uid %s: end before start; clamped to start", a.txt.uid)
		o.e = o.s
		o.endDay = o.startDay
	}
	if (o.s < x.toS && o.e > x.fromS) || (o.s == o.e && o.s >= x.fromS && o.s < x.toS) {
		x.add(o)
	}
}

// ridOf returns the recurrence-id fields of value v with instant u.
func ridOf(v dtValue, L, u int64) (uint8, int64, int64) {
	if v.isDate() {
		return 1, L, u
	}
	return 2, L, u
}

// override is the winning RECURRENCE-ID event for one instance.
type override struct {
	ev   *event
	ridU int64
	seq  int64
}

type ridKey struct {
	date bool
	v    int64
}

func dayOf(L int64) int64 { return floorDiv(L, secsPerDay) }

func (x *expander) expandGroup(g *group) {
	ovs := map[ridKey]*override{}
	var order []ridKey
	for _, ov := range g.overrides {
		if ov.ridErr != nil || !ov.hasStart || ov.startErr != nil {
			x.warn(ov, "uid %s: override without RECURRENCE-ID/DTSTART skipped", ov.uid)
			continue
		}
		ridU, ok := x.inst(*ov.rid, ov.rid.L)
		if !ok {
			continue
		}
		k := ridKey{false, ridU}
		if ov.rid.isDate() {
			k = ridKey{true, dayOf(ov.rid.L)}
		}
		prev := ovs[k]
		if prev == nil {
			order = append(order, k)
		}
		if prev == nil || ov.seq >= prev.seq {
			ovs[k] = &override{ev: ov, ridU: ridU, seq: ov.seq}
		}
	}
	var ranges []*override
	for _, k := range order {
		ov := ovs[k]
		if ov.ev.ridRange {
			ranges = append(ranges, ov)
		}
		st := ov.ev.start
		startU, ok := x.inst(st, st.L)
		if !ok {
			continue
		}
		d := x.durationOf(ov.ev, st)
		kind, rl, ru := ridOf(*ov.ev.rid, ov.ev.rid.L, ov.ridU)
		x.emit(emitArgs{txt: ov.ev, startDate: st.isDate(), startL: st.L, startU: startU,
			end: x.endOf(st, st.L, startU, d), ridKind: kind, ridL: rl, ridU: ru,
			floating: st.kind == kFloating})
	}
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].ridU < ranges[j].ridU })
	for _, m := range g.masters {
		x.expandMaster(m, ovs, ranges)
	}
}

const chunkSize = 1 << 15

// add appends o; full chunks are set aside instead of being copied.
func (x *expander) add(o occ) {
	if len(x.out) == cap(x.out) {
		if len(x.out) >= chunkSize {
			x.done = append(x.done, x.out)
			x.out = make([]occ, 0, chunkSize)
		} else {
			grown := make([]occ, len(x.out), max(2*cap(x.out), 256))
			copy(grown, x.out)
			x.out = grown
		}
	}
	x.out = append(x.out, o)
	x.n++
}

// flatten joins the chunks into x.out.
func (x *expander) flatten() {
	if len(x.done) == 0 {
		return
	}
	all := make([]occ, 0, int(x.n))
	for _, c := range x.done {
		all = append(all, c...)
	}
	x.out = append(all, x.out...)
	x.done = nil
}
