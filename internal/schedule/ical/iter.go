package ical

import "slices"

// maxPeriods caps the number of periods one iterator may visit; together with
// the window stop in expand.go it bounds the work on impossible rules.
const maxPeriods = 3_000_000

// recurIter yields the wall-clock starts of an RRULE in ascending order. It
// works on the floating (wall-clock) frame; expand.go maps each value to an
// instant in the event's zone (RFC 5545 §3.3.5).
type recurIter struct {
	r        *recurRule
	startL   int64
	startDay int64
	sh, smi  int64
	ss       int64
	sy, smo  int64
	weekBase int64 // first day of the week containing DTSTART (WKST)
	byMonth  []int
	byMDay   []int
	byDay    []weekdayNum
	times    []int64 // seconds of day, sorted (freq >= DAILY)
	subHour  []int64 // seconds of hour, sorted (HOURLY)
	subMin   []int64 // seconds of minute, sorted (MINUTELY)
	monthSet [13]bool
	hourSet  [24]bool
	minSet   [60]bool
	secSet   [61]bool

	untilU  func(L int64) int64 // instant compared with UNTIL
	p       int64               // next period index
	buf     []int64
	bi      int
	emitted int64
	first   bool
	done    bool
	periods int
	CapHit  bool
	limitL  int64 // stop before periods starting after this wall clock (0 = none)
}

func newRecurIter(r *recurRule, startL int64, untilU func(int64) int64) *recurIter {
	it := &recurIter{r: r, startL: startL, untilU: untilU}
	it.startDay = floorDiv(startL, secsPerDay)
	sod := startL - it.startDay*secsPerDay
	it.sh, it.smi, it.ss = sod/3600, sod/60%60, sod%60
	y, m, _ := civilFromDays(it.startDay)
	it.sy, it.smo = y, m
	wd := weekdayOf(it.startDay)
	it.weekBase = it.startDay - int64((wd-r.wkst+7)%7)
	it.byMonth, it.byMDay, it.byDay = r.byMonth, r.byMonthDy, r.byDay
	_, _, sd := civilFromDays(it.startDay)
	if len(r.byWeekNo) == 0 && len(r.byYearDay) == 0 && len(r.byMonthDy) == 0 && len(r.byDay) == 0 {
		switch r.freq {
		case fYearly:
			if len(r.byMonth) == 0 {
				it.byMonth = []int{int(m)}
			}
			it.byMDay = []int{int(sd)}
		case fMonthly:
			it.byMDay = []int{int(sd)}
		case fWeekly:
			it.byDay = []weekdayNum{{0, wd}}
		}
	}
	for _, mo := range it.byMonth {
		it.monthSet[mo] = true
	}
	fill := func(set []bool, vals []int, def int64) []int64 {
		if len(vals) == 0 {
			set[def] = true
			return []int64{def}
		}
		out := make([]int64, 0, len(vals))
		for _, v := range vals {
			set[v] = true
			out = append(out, int64(v))
		}
		return out
	}
	hours := fill(it.hourSet[:], r.byHour, it.sh)
	mins := fill(it.minSet[:], r.byMinute, it.smi)
	secs := fill(it.secSet[:], r.bySecond, it.ss)
	for _, h := range hours {
		for _, mi := range mins {
			for _, s := range secs {
				it.times = append(it.times, h*3600+mi*60+s)
			}
		}
	}
	slices.Sort(it.times)
	for _, mi := range mins {
		for _, s := range secs {
			it.subHour = append(it.subHour, mi*60+s)
		}
	}
	slices.Sort(it.subHour)
	it.subMin = append(it.subMin, secs...)
	slices.Sort(it.subMin)
	it.first = it.dtstartCounts()
	it.buf = it.buf[:0]
	if it.impossible() {
		it.done = true
	}
	return it
}

// dtstartCounts reports whether DTSTART is the first instance (and counts
// toward COUNT). It does when it matches the rule, and also when ical.js's
// iterator starts exactly on DTSTART although it does not match (RFC 5545
// leaves unsynchronised DTSTARTs undefined; the reference counts them then).
func (it *recurIter) dtstartCounts() bool {
	if !it.r.hasFreq {
		return false
	}
	if L0, ok := it.icalInitL(); ok && L0 == it.startL {
		return true
	}
	for _, L := range it.period(0) {
		if L == it.startL {
			return true
		}
	}
	return false
}

// icalInitL mirrors where ical.js's RecurIterator.init() places its first
// candidate; ok is false for the combinations not modelled.
func (it *recurIter) icalInitL() (int64, bool) {
	r := it.r
	h, mi, s := it.sh, it.smi, it.ss
	if r.freq >= fDaily && len(r.byHour) > 0 {
		h = int64(r.byHour[0])
	}
	if r.freq >= fHourly && len(r.byMinute) > 0 {
		mi = int64(r.byMinute[0])
	}
	if r.freq >= fMinutely && len(r.bySecond) > 0 {
		s = int64(r.bySecond[0])
	}
	tod := h*3600 + mi*60 + s
	day := it.startDay
	switch r.freq {
	case fWeekly:
		if len(r.byDay) > 0 {
			day = it.weekBase + int64((firstByDay(r)-r.wkst+7)%7)
		}
	case fMonthly:
		d, ok := it.icalMonthlyInitDay()
		if !ok {
			return 0, false
		}
		day = d
	case fYearly:
		if len(r.byDay)+len(r.byMonth)+len(r.byMonthDy)+len(r.byYearDay)+len(r.byWeekNo) > 0 {
			return 0, false
		}
	}
	return day*secsPerDay + tod, true
}

// icalMonthlyInitDay is the first day ical.js picks in DTSTART's month.
func (it *recurIter) icalMonthlyInitDay() (int64, bool) {
	r := it.r
	first := daysFromCivil(it.sy, it.smo, 1)
	mlen := daysInMonth(it.sy, it.smo)
	switch {
	case len(r.byDay) > 0 && len(r.byMonthDy) > 0:
		return 0, false
	case len(r.byDay) > 0:
		best := int64(-1)
		for _, bd := range r.byDay {
			off := int64((bd.wd - weekdayOf(first) + 7) % 7) // first such weekday
			var d int64
			switch {
			case bd.nth > 0:
				d = off + int64(bd.nth-1)*7
			case bd.nth < 0:
				last := off + ((mlen-1-off)/7)*7
				d = last + int64(bd.nth+1)*7
			default:
				d = off
			}
			if d >= 0 && d < mlen && (best < 0 || d < best) {
				best = d
			}
		}
		if best < 0 {
			return 0, false
		}
		return first + best, true
	case len(r.byMonthDy) > 0:
		best := int64(-1)
		for _, md := range r.byMonthDy {
			d := int64(md)
			if d < 0 {
				d = mlen + d + 1
			}
			if d >= 1 && d <= mlen && (best < 0 || d < best) {
				best = d
			}
		}
		if best < 0 {
			return 0, false
		}
		return first + best - 1, true
	}
	return it.startDay, true
}

// firstByDay is the first BYDAY weekday in WKST order (ical.js sorts them).
func firstByDay(r *recurRule) int {
	best, bestKey := -1, 8
	for _, d := range r.byDay {
		k := (d.wd - r.wkst + 7) % 7
		if k < bestKey {
			best, bestKey = d.wd, k
		}
	}
	return best
}

// impossible detects BYMONTH/BYMONTHDAY combinations that never match.
func (it *recurIter) impossible() bool {
	if !it.r.hasFreq {
		return true
	}
	if len(it.byMDay) == 0 {
		return false
	}
	months := it.byMonth
	if len(months) == 0 {
		months = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	}
	maxLen := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for _, mo := range months {
		for _, md := range it.byMDay {
			if md != 0 && abs(md) <= maxLen[mo] {
				return false
			}
		}
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// next returns the next wall-clock start, or false when the rule is done.
func (it *recurIter) next() (int64, bool) {
	if it.done {
		return 0, false
	}
	if it.first {
		it.first = false
		if it.r.hasUntil && it.untilU(it.startL) > it.r.until {
			it.done = true
			return 0, false
		}
		if it.r.hasCount && it.emitted >= it.r.count {
			it.done = true
			return 0, false
		}
		it.emitted++
		return it.startL, true
	}
	for {
		for it.bi < len(it.buf) {
			L := it.buf[it.bi]
			it.bi++
			if L <= it.startL {
				continue
			}
			if (it.r.hasCount && it.emitted >= it.r.count) ||
				(it.r.hasUntil && it.untilU(L) > it.r.until) {
				it.done = true
				return 0, false
			}
			it.emitted++
			return L, true
		}
		if it.periods >= maxPeriods {
			it.CapHit, it.done = true, true
			return 0, false
		}
		if it.limitL != 0 && it.periodStartL(it.p) > it.limitL {
			it.done = true
			return 0, false
		}
		it.periods++
		it.buf = it.period(it.p)
		it.bi = 0
		it.p++
	}
}

// peekL returns the wall-clock start of period p (a lower bound of its
// instances), used to stop iterating past the window.
func (it *recurIter) periodStartL(p int64) int64 {
	r := it.r
	switch r.freq {
	case fYearly:
		return daysFromCivil(it.sy+p*r.interval, 1, 1) * secsPerDay
	case fMonthly:
		return daysFromCivil(it.sy, it.smo+p*r.interval, 1) * secsPerDay
	case fWeekly:
		return (it.weekBase + p*7*r.interval) * secsPerDay
	case fDaily:
		return (it.startDay + p*r.interval) * secsPerDay
	case fHourly:
		return it.startDay*secsPerDay + (it.sh+p*r.interval)*3600
	case fMinutely:
		return it.startDay*secsPerDay + it.sh*3600 + (it.smi+p*r.interval)*60
	}
	return it.startL + p*r.interval
}

// seek skips whole periods that end before wall-clock L. Only valid without
// COUNT (the instances before L would have to be counted).
func (it *recurIter) seek(L int64) {
	r := it.r
	if r.hasCount || it.done || L <= it.startL {
		return
	}
	var p int64
	switch r.freq {
	case fYearly:
		y, _, _ := civilFromDays(floorDiv(L, secsPerDay))
		p = floorDiv(y-it.sy, r.interval)
	case fMonthly:
		y, m, _ := civilFromDays(floorDiv(L, secsPerDay))
		p = floorDiv((y*12+m)-(it.sy*12+it.smo), r.interval)
	case fWeekly:
		p = floorDiv(floorDiv(L, secsPerDay)-it.weekBase, 7*r.interval)
	case fDaily:
		p = floorDiv(floorDiv(L, secsPerDay)-it.startDay, r.interval)
	default:
		p = floorDiv(L-it.periodStartL(0), it.periodStartL(1)-it.periodStartL(0))
	}
	p--
	if p > it.p {
		it.p, it.first, it.buf, it.bi = p, false, it.buf[:0], 0
	}
}
