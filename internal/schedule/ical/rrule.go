package ical

import (
	"fmt"
	"slices"
	"strings"
)

// freq is an RRULE frequency, ordered from the finest to the coarsest.
type freq int

const (
	fSecondly freq = iota
	fMinutely
	fHourly
	fDaily
	fWeekly
	fMonthly
	fYearly
)

var freqNames = map[string]freq{
	"SECONDLY": fSecondly, "MINUTELY": fMinutely, "HOURLY": fHourly, "DAILY": fDaily,
	"WEEKLY": fWeekly, "MONTHLY": fMonthly, "YEARLY": fYearly,
}

// weekday numbers: 0 = Monday … 6 = Sunday.
var dayNames = map[string]int{"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

type weekdayNum struct {
	nth int // 0 = every such weekday in the period
	wd  int
}

// recurRule is a parsed RRULE.
type recurRule struct {
	freq      freq
	hasFreq   bool
	interval  int64
	count     int64 // 0 = no COUNT
	hasCount  bool
	until     int64 // compared with the instant of each occurrence (see iter)
	hasUntil  bool
	untilZ    bool // UNTIL ended in Z
	wkst      int
	bySecond  []int
	byMinute  []int
	byHour    []int
	byDay     []weekdayNum
	byMonthDy []int
	byYearDay []int
	byWeekNo  []int
	byMonth   []int
	bySetPos  []int
}

// parseRecur parses an RRULE value with the same acceptance rules as ical.js
// (FREQ and BYDAY are case sensitive, unknown parts are ignored, INTERVAL < 1
// means 1, BY values out of range are an error).
func parseRecur(v string) (*recurRule, error) {
	r := &recurRule{interval: 1}
	for _, part := range strings.Split(v, ";") {
		kv := strings.SplitN(part, "=", 3)
		key := strings.ToUpper(kv[0])
		val := ""
		if len(kv) > 1 {
			val = kv[1]
		}
		if err := r.setPart(key, val); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *recurRule) setPart(key, val string) error {
	switch key {
	case "FREQ":
		f, ok := freqNames[val]
		if !ok {
			return fmt.Errorf("invalid frequency %q", val)
		}
		r.freq, r.hasFreq = f, true
	case "COUNT":
		n, ok := jsParseInt(val)
		if !ok {
			return fmt.Errorf("invalid COUNT %q", val)
		}
		r.count, r.hasCount = n, true
	case "INTERVAL":
		n, ok := jsParseInt(val)
		if !ok {
			return fmt.Errorf("invalid INTERVAL %q", val)
		}
		if n < 1 {
			n = 1
		}
		r.interval = n
	case "UNTIL":
		L, _, z, err := parseDateFields(val, len(val) <= 10)
		if err != nil {
			return fmt.Errorf("invalid UNTIL: %w", err)
		}
		r.untilZ = z
		// ical.js compares UNTIL as UTC whether or not it ends in Z (a
		// floating UNTIL has offset 0 there).
		r.until, r.hasUntil = L, true
	case "WKST":
		wd, ok := dayNames[val]
		if !ok {
			return fmt.Errorf("invalid WKST value %q", val)
		}
		r.wkst = wd
	case "BYDAY":
		return r.parseByDay(val)
	case "BYSECOND":
		return parseNums(&r.bySecond, key, val, 0, 60)
	case "BYMINUTE":
		return parseNums(&r.byMinute, key, val, 0, 59)
	case "BYHOUR":
		return parseNums(&r.byHour, key, val, 0, 23)
	case "BYMONTHDAY":
		return parseNums(&r.byMonthDy, key, val, -31, 31)
	case "BYYEARDAY":
		return parseNums(&r.byYearDay, key, val, -366, 366)
	case "BYWEEKNO":
		return parseNums(&r.byWeekNo, key, val, -53, 53)
	case "BYMONTH":
		return parseNums(&r.byMonth, key, val, 1, 12)
	case "BYSETPOS":
		return parseNums(&r.bySetPos, key, val, -366, 366)
	}
	return nil
}

func (r *recurRule) parseByDay(val string) error {
	for _, p := range strings.Split(val, ",") {
		wdn, ok := parseWeekdayNum(p)
		if !ok {
			return fmt.Errorf("invalid BYDAY value %q", p)
		}
		if !slices.Contains(r.byDay, wdn) {
			r.byDay = append(r.byDay, wdn)
		}
	}
	return nil
}

// parseWeekdayNum parses [+-][1-53]XX like ical.js's VALID_BYDAY_PART.
func parseWeekdayNum(p string) (weekdayNum, bool) {
	if len(p) < 2 {
		return weekdayNum{}, false
	}
	wd, ok := dayNames[p[len(p)-2:]]
	if !ok {
		return weekdayNum{}, false
	}
	num := p[:len(p)-2]
	sign := 1
	if num != "" && (num[0] == '+' || num[0] == '-') {
		if num[0] == '-' {
			sign = -1
		}
		num = num[1:]
	}
	if num == "" {
		return weekdayNum{0, wd}, true
	}
	if len(num) > 2 || num[0] == '0' {
		return weekdayNum{}, false
	}
	n := 0
	for _, c := range num {
		if c < '0' || c > '9' {
			return weekdayNum{}, false
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > 53 {
		return weekdayNum{}, false
	}
	return weekdayNum{sign * n, wd}, true
}

func parseNums(dst *[]int, key, val string, lo, hi int) error {
	seen := map[int]bool{}
	for _, p := range strings.Split(val, ",") {
		s := strings.TrimPrefix(p, "+")
		n, ok := jsParseInt(s)
		if !ok {
			return fmt.Errorf("%s: could not extract integer from %q", key, p)
		}
		if int(n) < lo || int(n) > hi {
			return fmt.Errorf("%s: invalid value %q", key, p)
		}
		if !seen[int(n)] {
			seen[int(n)] = true
			*dst = append(*dst, int(n))
		}
	}
	return nil
}
