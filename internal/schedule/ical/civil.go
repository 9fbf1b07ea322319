package ical

// Wall-clock ("civil") arithmetic on int64 seconds. A wall-clock value L is the
// local date and time expressed as if it were UTC, so plain integer arithmetic
// gives nominal (calendar) results; mapping L to an instant is done per zone.

const secsPerDay = 86400

// floorDiv returns the floor of a/b for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) {
		q--
	}
	return q
}

// floorMod returns a mod b in [0, b) for b > 0.
func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// daysFromCivil returns the days since 1970-01-01 of the proleptic Gregorian
// date y-m-d. Month and day may be out of range; they are normalised the way
// JavaScript's Date.UTC does it.
func daysFromCivil(y, m, d int64) int64 {
	y += floorDiv(m-1, 12)
	m = floorMod(m-1, 12) + 1
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + 1 - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468 + (d - 1)
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// fieldsToL converts date-time fields to wall-clock seconds.
func fieldsToL(y, mo, d, h, mi, s int64) int64 {
	return daysFromCivil(y, mo, d)*secsPerDay + h*3600 + mi*60 + s
}

// weekdayOf returns the weekday of a day number: 0 = Monday … 6 = Sunday.
func weekdayOf(days int64) int {
	return int(floorMod(days+3, 7))
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

var monthLens = [13]int64{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func daysInMonth(y, m int64) int64 {
	if m == 2 && isLeap(y) {
		return 29
	}
	return monthLens[m]
}

func daysInYear(y int64) int64 {
	if isLeap(y) {
		return 366
	}
	return 365
}

// appendPad appends n in decimal, zero-padded to width w.
func appendPad(b []byte, n int64, w int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var tmp [20]byte
	i := len(tmp)
	for n > 0 || i == len(tmp) {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
	}
	for k := len(tmp) - i; k < w; k++ {
		b = append(b, '0')
	}
	return append(b, tmp[i:]...)
}

// appendYear formats a year like JavaScript's Date#toISOString.
func appendYear(b []byte, y int64) []byte {
	if y >= 0 && y <= 9999 {
		return appendPad(b, y, 4)
	}
	if y < 0 {
		return appendPad(append(b, '-'), -y, 6)
	}
	return appendPad(append(b, '+'), y, 6)
}

// appendDateL appends the date part of wall-clock seconds L as YYYY-MM-DD.
func appendDateL(b []byte, L int64) []byte {
	y, m, d := civilFromDays(floorDiv(L, secsPerDay))
	b = appendYear(b, y)
	b = append(b, '-')
	b = appendPad(b, m, 2)
	b = append(b, '-')
	return appendPad(b, d, 2)
}

// appendInstant appends instant u (Unix seconds) as RFC 3339 UTC with a Z.
func appendInstant(b []byte, u int64) []byte {
	b = appendDateL(b, u)
	sec := floorMod(u, secsPerDay)
	b = append(b, 'T')
	b = appendPad(b, sec/3600, 2)
	b = append(b, ':')
	b = appendPad(b, sec/60%60, 2)
	b = append(b, ':')
	b = appendPad(b, sec%60, 2)
	return append(b, 'Z')
}

func fmtDateL(L int64) string   { return string(appendDateL(nil, L)) }
func fmtInstant(u int64) string { return string(appendInstant(nil, u)) }
