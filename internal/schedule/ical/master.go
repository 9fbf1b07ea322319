package ical

import "sort"

// cand is one member of a series' recurrence set before EXDATE/overrides.
type cand struct {
	v      dtValue // value with its zone context; v.L is the wall clock
	u      int64
	rd     *rdate // non-nil for an RDATE PERIOD
	period bool
}

func (x *expander) expandMaster(m *event, ovs map[ridKey]*override, ranges []*override) {
	if !m.hasStart {
		x.warn(m, "uid %s: VEVENT without DTSTART skipped", m.uid)
		return
	}
	if m.startErr != nil {
		return
	}
	st := m.start
	floating := st.kind == kFloating
	dur := x.durationOf(m, st)
	startU, ok := x.inst(st, st.L)
	if !ok {
		x.warn(m, "uid %s: DTSTART out of range", m.uid)
		return
	}
	if !m.recurring {
		x.emit(emitArgs{txt: m, startDate: st.isDate(), startL: st.L, startU: startU,
			end: x.endOf(st, st.L, startU, dur), floating: floating})
		return
	}
	exInst := map[int64]bool{}
	exDates := map[int64]bool{}
	for _, e := range m.exdates {
		if e.isDate() {
			exDates[dayOf(e.L)] = true
			continue
		}
		if u, ok := x.inst(e, e.L); ok {
			exInst[u] = true
		}
		if st.isDate() {
			exDates[dayOf(e.L)] = true
		}
	}
	cands := x.candidates(m, st, startU, dur, len(exInst)+len(exDates)+len(ovs), len(ranges) > 0)
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := &cands[i], &cands[j]
		if a.u != b.u {
			return a.u < b.u
		}
		return !a.period && b.period
	})
	filter := len(exInst)+len(exDates)+len(ovs) > 0
	var lastU int64
	var lastDate int64
	hasLast, lastIsDate := false, false
	for i := range cands {
		c := &cands[i]
		isDate := c.v.isDate()
		day := dayOf(c.v.L)
		if hasLast && lastU == c.u && (!isDate || (lastIsDate && lastDate == day)) {
			continue
		}
		hasLast, lastU, lastIsDate, lastDate = true, c.u, isDate, day
		if filter && skipCand(c, isDate, day, exInst, exDates, ovs) {
			continue
		}
		x.emitInstance(m, c, dur, floating, ranges)
	}
}

// candidates collects DTSTART, the RRULE instances and the RDATEs.
func (x *expander) candidates(m *event, st dtValue, startU int64, dur durModel, extra int, hasRanges bool) []cand {
	cands := append(x.cands[:0], cand{v: st, u: startU})
	defer func() { x.cands = cands[:0] }()
	stopL := x.toS + 2*secsPerDay
	untilU := func(L int64) int64 { return L }
	if st.kind == kZone {
		untilU = st.zone.localToUTC
	}
	iters := 0
	for _, r := range m.rrules {
		it := newRecurIter(r, st.L, untilU)
		it.limitL = stopL
		if !hasRanges {
			it.seek(x.fromS - maxDurSecs(dur) - 3*secsPerDay)
		}
		inWin := 0
		for {
			L, ok := it.next()
			if !ok {
				break
			}
			if iters++; iters > x.maxIter {
				x.warn(m, "uid %s: iteration cap %d reached; output incomplete", m.uid, x.maxIter)
				break
			}
			if L > stopL {
				break
			}
			v := st
			v.L = L
			u, ok := x.inst(v, L)
			if !ok {
				continue
			}
			cands = append(cands, cand{v: v, u: u})
			if x.max > 0 && u >= x.fromS {
				if inWin++; inWin > x.max+extra+10 {
					break
				}
			}
		}
		if it.CapHit {
			x.warn(m, "uid %s: RRULE step cap reached; output incomplete", m.uid)
		}
	}
	for i := range m.rdates {
		rd := &m.rdates[i]
		if u, ok := x.inst(rd.start, rd.start.L); ok {
			cands = append(cands, cand{v: rd.start, u: u, rd: rd, period: rd.isPeriod})
		}
	}
	return cands
}

// maxDurSecs bounds how long an occurrence of the series can last.
func maxDurSecs(d durModel) int64 {
	s := d.secs
	if s < 0 {
		s = 0
	}
	return d.days*secsPerDay + s
}

func (x *expander) emitInstance(m *event, c *cand, dur durModel, floating bool, ranges []*override) {
	kind, rl, ru := ridOf(c.v, c.v.L, c.u)
	a := emitArgs{txt: m, startDate: c.v.isDate(), startL: c.v.L, startU: c.u,
		ridKind: kind, ridL: rl, ridU: ru, floating: floating}
	var rov *override
	for _, r := range ranges {
		if r.ridU <= c.u {
			rov = r
		}
	}
	switch {
	case rov != nil:
		rst := rov.ev.start
		rstU, _ := x.inst(rst, rst.L)
		shift := rstU - rov.ridU
		a.startU = c.u + shift
		a.txt = rov.ev
		var L int64
		if c.v.isDate() {
			L = c.v.L + shift
			a.startDate = rst.isDate()
			a.startL = L
		} else {
			L = x.localOf(c.v, a.startU)
		}
		a.end = x.endOf(c.v, L, a.startU, x.durationOf(rov.ev, rst))
	case c.period && c.rd.end != nil:
		en := *c.rd.end
		if en.isDate() {
			a.end = endVal{day: dayOf(en.L), isDate: true}
		} else {
			u, ok := x.inst(en, en.L)
			a.end = endVal{u: u, bad: !ok}
		}
	case c.period:
		d := c.rd.dur
		days, ok1 := toInt(d.days)
		secs, ok2 := toInt(d.secs)
		if !ok1 || !ok2 {
			a.end = endVal{bad: true}
			break
		}
		a.end = x.endOf(c.v, c.v.L, c.u, durModel{kind: durNominal, days: days, secs: secs})
	default:
		a.end = x.endOf(c.v, c.v.L, c.u, dur)
	}
	x.emit(a)
}

// skipCand reports whether an EXDATE or an override removes candidate c.
func skipCand(c *cand, isDate bool, day int64, exInst, exDates map[int64]bool, ovs map[ridKey]*override) bool {
	if isDate {
		return exDates[day] || ovs[ridKey{true, day}] != nil
	}
	return exInst[c.u] || exDates[day] || ovs[ridKey{false, c.u}] != nil || ovs[ridKey{true, day}] != nil
}
