package ical

import "slices"

// dayInfo describes one calendar day for the BY* filters.
type dayInfo struct {
	num          int64 // days since 1970-01-01
	y, m, md, yd int64
	wd           int
	mlen, ylen   int64
}

// period returns the sorted wall-clock candidates of period p (BYSETPOS
// applied, DTSTART not yet filtered).
func (it *recurIter) period(p int64) []int64 {
	r := it.r
	out := it.buf[:0]
	var d0, d1 int64
	switch r.freq {
	case fYearly:
		y := it.sy + p*r.interval
		d0, d1 = daysFromCivil(y, 1, 1), daysFromCivil(y+1, 1, 1)
	case fMonthly:
		d0 = daysFromCivil(it.sy, it.smo+p*r.interval, 1)
		y, m, _ := civilFromDays(d0)
		d1 = d0 + daysInMonth(y, m)
	case fWeekly:
		d0 = it.weekBase + p*7*r.interval
		d1 = d0 + 7
	default:
		ps := it.periodStartL(p)
		d0 = floorDiv(ps, secsPerDay)
		d1 = d0 + 1
	}
	if r.freq == fYearly && len(it.byMonth) > 0 {
		return it.yearlyByMonth(out, d0, p)
	}
	return it.days(out, d0, d1, p)
}

// yearlyByMonth scans only the BYMONTH months of a YEARLY period.
func (it *recurIter) yearlyByMonth(out []int64, jan1, p int64) []int64 {
	y, _, _ := civilFromDays(jan1)
	for mo := int64(1); mo <= 12; mo++ {
		if it.monthSet[mo] {
			d0 := daysFromCivil(y, mo, 1)
			out = it.scanDays(out, d0, d0+daysInMonth(y, mo), p)
		}
	}
	if len(it.r.bySetPos) > 0 {
		out = applySetPos(out, it.r.bySetPos)
	}
	return out
}

// days scans the days [d0, d1) of period p and applies BYSETPOS.
func (it *recurIter) days(out []int64, d0, d1, p int64) []int64 {
	out = it.scanDays(out, d0, d1, p)
	if len(it.r.bySetPos) > 0 {
		out = applySetPos(out, it.r.bySetPos)
	}
	return out
}

// scanDays appends the candidates of the matching days in [d0, d1).
func (it *recurIter) scanDays(out []int64, d0, d1, p int64) []int64 {
	y, m, md := civilFromDays(d0)
	yd := d0 - daysFromCivil(y, 1, 1) + 1
	for dn := d0; dn < d1; dn++ {
		di := dayInfo{num: dn, y: y, m: m, md: md, yd: yd, wd: weekdayOf(dn),
			mlen: daysInMonth(y, m), ylen: daysInYear(y)}
		if it.dayOK(&di) {
			out = it.appendTimes(out, p, dn)
		}
		md++
		yd++
		if md > di.mlen {
			md = 1
			m++
			if m > 12 {
				m, y, yd = 1, y+1, 1
			}
		}
	}
	return out
}

// appendTimes appends the candidate times of day dn in period p.
func (it *recurIter) appendTimes(out []int64, p, dn int64) []int64 {
	base := dn * secsPerDay
	if it.r.freq >= fDaily {
		for _, t := range it.times {
			out = append(out, base+t)
		}
		return out
	}
	ps := it.periodStartL(p)
	sod := ps - base
	h, mi, s := sod/3600, sod/60%60, sod%60
	if len(it.r.byHour) > 0 && !it.hourSet[h] {
		return out
	}
	switch it.r.freq {
	case fHourly:
		for _, t := range it.subHour {
			out = append(out, base+h*3600+t)
		}
	case fMinutely:
		if len(it.r.byMinute) > 0 && !it.minSet[mi] {
			return out
		}
		for _, t := range it.subMin {
			out = append(out, base+h*3600+mi*60+t)
		}
	default:
		if (len(it.r.byMinute) > 0 && !it.minSet[mi]) || (len(it.r.bySecond) > 0 && !it.secSet[s]) {
			return out
		}
		out = append(out, ps)
	}
	return out
}

// dayOK applies BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY.
func (it *recurIter) dayOK(d *dayInfo) bool {
	r := it.r
	if len(it.byMonth) > 0 && !it.monthSet[d.m] {
		return false
	}
	if len(r.byWeekNo) > 0 && !weekNoMatch(d, r.wkst, r.byWeekNo) {
		return false
	}
	if len(r.byYearDay) > 0 && !nthMatch(d.yd, d.ylen, r.byYearDay) {
		return false
	}
	if len(it.byMDay) > 0 && !nthMatch(d.md, d.mlen, it.byMDay) {
		return false
	}
	if len(it.byDay) > 0 && !it.byDayMatch(d) {
		return false
	}
	return true
}

// nthMatch reports whether position pos (1-based) of n matches one of the
// values (negative values count from the end).
func nthMatch(pos, n int64, vals []int) bool {
	for _, v := range vals {
		if int64(v) == pos || (v < 0 && n+1+int64(v) == pos) {
			return true
		}
	}
	return false
}

func (it *recurIter) byDayMatch(d *dayInfo) bool {
	r := it.r
	for _, bd := range it.byDay {
		if bd.wd != d.wd {
			continue
		}
		if bd.nth == 0 || r.freq < fMonthly {
			return true
		}
		pos, n := d.md, d.mlen
		if r.freq == fYearly && len(r.byMonth) == 0 {
			pos, n = d.yd, d.ylen
		}
		if bd.nth > 0 && (pos-1)/7+1 == int64(bd.nth) {
			return true
		}
		if bd.nth < 0 && (n-pos)/7+1 == int64(-bd.nth) {
			return true
		}
	}
	return false
}

// weekNoMatch implements RFC 5545 week numbers: week 1 is the first week
// (starting on WKST) with at least four days in the year.
func weekNoMatch(d *dayInfo, wkst int, vals []int) bool {
	wy, wn, nweeks := weekNumber(d.num, d.y, wkst)
	_ = wy
	for _, v := range vals {
		if int64(v) == wn || (v < 0 && nweeks+1+int64(v) == wn) {
			return true
		}
	}
	return false
}

func week1Start(y int64, wkst int) int64 {
	jan1 := daysFromCivil(y, 1, 1)
	off := int64((weekdayOf(jan1) - wkst + 7) % 7)
	if off <= 3 {
		return jan1 - off
	}
	return jan1 + 7 - off
}

// weekNumber returns the week-year, week number and the number of weeks of
// that week-year for day dn.
func weekNumber(dn, y int64, wkst int) (int64, int64, int64) {
	for _, wy := range []int64{y + 1, y, y - 1} {
		s := week1Start(wy, wkst)
		if dn >= s {
			n := (week1Start(wy+1, wkst) - s) / 7
			return wy, (dn-s)/7 + 1, n
		}
	}
	return y, 1, 52
}

// applySetPos keeps the BYSETPOS positions of the sorted set.
func applySetPos(set []int64, pos []int) []int64 {
	n := len(set)
	var out []int64
	for _, p := range pos {
		i := p - 1
		if p < 0 {
			i = n + p
		}
		if p != 0 && i >= 0 && i < n {
			out = append(out, set[i])
		}
	}
	slices.Sort(out)
	k := 0
	for i, v := range out {
		if i == 0 || v != out[k-1] {
			out[k] = v
			k++
		}
	}
	return append(set[:0], out[:k]...)
}
