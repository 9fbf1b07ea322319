package ical

import (
	"fmt"
	"math"
	"strings"
)

// maxL bounds wall-clock and instant seconds (the JavaScript Date range);
// values beyond it are treated as unusable, like the reference does.
const maxL = 8.64e12

// dtKind says how a date-time value maps to an instant.
type dtKind uint8

const (
	kFloating dtKind = iota // local time without zone: placed in the floating zone
	kUTC                    // ends in Z, or TZID=UTC/GMT/Z
	kZone                   // TZID resolved to a zone
	kDate                   // VALUE=DATE: an all-day date (floating)
)

// dtValue is a parsed DATE or DATE-TIME.
type dtValue struct {
	L    int64 // wall-clock seconds (see civil.go)
	kind dtKind
	zone *zone // set when kind == kZone
}

func (v dtValue) isDate() bool { return v.kind == kDate }

// jsParseInt mimics JavaScript's parseInt(s, 10): leading white space, an
// optional sign and at least one digit; trailing garbage is ignored.
func jsParseInt(s string) (int64, bool) {
	for len(s) > 0 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')) {
		s = s[1:]
	}
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n int64
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n < 1e15 {
			n = n*10 + int64(s[i]-'0')
		}
	}
	if i == 0 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func sub(s string, a, b int) string {
	if a >= len(s) {
		return ""
	}
	if b > len(s) {
		b = len(s)
	}
	return s[a:b]
}

// parseDateFields parses the date or date-time text v. asDate says the
// property declared VALUE=DATE. It returns the wall-clock seconds, whether the
// value is a date, and whether it ends in Z.
func parseDateFields(v string, asDate bool) (L int64, isDate, utc bool, err error) {
	n := len(v)
	switch {
	case n == 8 || (asDate && n > 8 && n < 15):
		y, ok1 := jsParseInt(sub(v, 0, 4))
		m, ok2 := jsParseInt(sub(v, 4, 6))
		d, ok3 := jsParseInt(sub(v, 6, 8))
		if !ok1 || !ok2 || !ok3 {
			return 0, false, false, fmt.Errorf("invalid date value %q", v)
		}
		return fieldsToL(y, m, d, 0, 0, 0), true, false, nil
	case n >= 15:
		var f [6]int64
		for i, r := range [6][2]int{{0, 4}, {4, 6}, {6, 8}, {9, 11}, {11, 13}, {13, 15}} {
			x, ok := jsParseInt(sub(v, r[0], r[1]))
			if !ok {
				return 0, false, false, fmt.Errorf("invalid date-time value %q", v)
			}
			f[i] = x
		}
		return fieldsToL(f[0], f[1], f[2], f[3], f[4], f[5]), false, n > 15 && v[15] == 'Z', nil
	}
	return 0, false, false, fmt.Errorf("invalid date-time value %q", v)
}

// duration is a parsed RFC 5545 DURATION.
type duration struct {
	days float64 // signed weeks*7 + days (nominal)
	secs float64 // signed hours/minutes/seconds (exact)
}

// parseDuration follows ical.js: chunks of digits followed by one of the
// letters P W D T H M S; at least "P" and one unit are required.
func parseDuration(s string) (duration, error) {
	neg := false
	var w, d, h, m, sec float64
	chunks := 0
	orig := s
	for {
		pos := strings.IndexAny(s, "PDWHMTS")
		if pos < 0 {
			break
		}
		letter, num := s[pos], s[:pos]
		s = s[pos+1:]
		if letter == 'T' {
			continue
		}
		if letter == 'P' {
			neg = num == "-"
			chunks++
			continue
		}
		if num == "" {
			return duration{}, fmt.Errorf("invalid duration %q: missing number before %q", orig, letter)
		}
		x, ok := jsParseFloatInt(num)
		if !ok {
			return duration{}, fmt.Errorf("invalid duration %q", orig)
		}
		switch letter {
		case 'W':
			w = x
		case 'D':
			d = x
		case 'H':
			h = x
		case 'M':
			m = x
		case 'S':
			sec = x
		}
		chunks++
	}
	if chunks < 2 {
		return duration{}, fmt.Errorf("invalid duration %q", orig)
	}
	sign := 1.0
	if neg {
		sign = -1
	}
	return duration{days: sign * (w*7 + d), secs: sign * (h*3600 + m*60 + sec)}, nil
}

// jsParseFloatInt is parseInt for possibly huge numbers (kept as float64).
func jsParseFloatInt(s string) (float64, bool) {
	s = strings.TrimLeft(s, " \t\n\r\f\v")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n float64
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + float64(s[i]-'0')
	}
	if i == 0 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// durKind is how an occurrence's end is derived from its start.
type durKind uint8

const (
	durExact   durKind = iota // exact seconds after the start instant
	durDays                   // whole days on the calendar (all-day)
	durNominal                // days on the wall clock, then exact seconds
	durBad                    // unusable (out of range)
)

type durModel struct {
	kind durKind
	days int64
	secs int64
}

func toInt(f float64) (int64, bool) {
	if math.IsNaN(f) || math.Abs(f) > maxL {
		return 0, false
	}
	return int64(f), true
}

// parseUTCOffset parses +HHMM[SS] / -HHMM[SS] into seconds.
func parseUTCOffset(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if len(v) < 5 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("invalid UTC offset %q", v)
	}
	h, ok1 := jsParseInt(v[1:3])
	m, ok2 := jsParseInt(v[3:5])
	if !ok1 || !ok2 {
		return 0, fmt.Errorf("invalid UTC offset %q", v)
	}
	off := h*3600 + m*60
	if v[0] == '-' {
		off = -off
	}
	return off, nil
}
