package ical

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA names must resolve even without system zoneinfo
)

// zone is a time zone: either a VTIMEZONE from the file or an IANA zone.
// Offsets are looked up in a table of transitions (UTC seconds).
type zone struct {
	name string
	loc  *time.Location // IANA zone; nil for a VTIMEZONE
	tbl  []trans        // sorted by u
	vtz  *component

	mu       sync.Mutex
	extended map[int64][]trans // VTIMEZONE tables for years past 2100
}

type trans struct{ u, off, prev int64 }

const (
	tableEndYear = 2105        // VTIMEZONE observances are expanded this far
	year1900     = -2208988800 // 1900-01-01T00:00:00Z
	year2100     = 4102444800  // 2100-01-01T00:00:00Z
)

// offsetAt returns the UTC offset (seconds) in effect at instant u.
func (z *zone) offsetAt(u int64) int64 {
	if z.loc != nil {
		return z.ianaOffset(u)
	}
	tbl := z.tbl
	if u >= year2100 {
		tbl = z.tableFor(u)
	}
	return lookup(tbl, u)
}

func lookup(tbl []trans, u int64) int64 {
	if len(tbl) == 0 {
		return 0
	}
	i := sort.Search(len(tbl), func(i int) bool { return tbl[i].u > u }) - 1
	if i < 0 {
		return tbl[0].prev
	}
	return tbl[i].off
}

// ianaOffset mirrors the reference: after 1900 the offset is probed at the
// start of the 15-minute bucket holding u.
func (z *zone) ianaOffset(u int64) int64 {
	probe := u
	if u > year1900 {
		probe = floorDiv(u, 900) * 900
	}
	if probe >= year1900 && probe < year2100 && len(z.tbl) > 0 {
		return lookup(z.tbl, probe)
	}
	_, off := time.Unix(probe, 0).In(z.loc).Zone()
	return int64(off)
}

// newIANAZone builds the transition table of loc for 1900..2100.
func newIANAZone(name string, loc *time.Location) *zone {
	z := &zone{name: name, loc: loc}
	t := time.Unix(year1900, 0).In(loc)
	_, off := t.Zone()
	prev := int64(off)
	z.tbl = append(z.tbl, trans{year1900, prev, prev})
	for i := 0; i < 2000; i++ {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Unix() >= year2100 {
			break
		}
		t = end.In(loc)
		_, o := t.Zone()
		z.tbl = append(z.tbl, trans{end.Unix(), int64(o), prev})
		prev = int64(o)
	}
	return z
}

// tableFor returns the VTIMEZONE table that covers instant u past 2100.
func (z *zone) tableFor(u int64) []trans {
	y, _, _ := civilFromDays(floorDiv(u, secsPerDay))
	end := y + 1 + 5
	z.mu.Lock()
	defer z.mu.Unlock()
	if t, ok := z.extended[end]; ok {
		return t
	}
	if z.extended == nil {
		z.extended = map[int64][]trans{}
	}
	t := buildVTZTable(z.vtz, end)
	z.extended[end] = t
	return t
}

// localToUTC maps wall-clock L to an instant in z: an ambiguous time is the
// first (earlier) instant, a time in a gap uses the offset before the gap.
func (z *zone) localToUTC(L int64) int64 {
	before := z.offsetAt(L - secsPerDay)
	after := z.offsetAt(L + secsPerDay)
	if before == after {
		if z.offsetAt(L-before) == before {
			return L - before
		}
		return L - before
	}
	okB := z.offsetAt(L-before) == before
	okA := z.offsetAt(L-after) == after
	switch {
	case okB && okA:
		return L - max(before, after)
	case okB:
		return L - before
	case okA:
		return L - after
	}
	return L - before
}

// newVTZ builds a zone from a VTIMEZONE component.
func newVTZ(name string, c *component) *zone {
	return &zone{name: name, vtz: c, tbl: buildVTZTable(c, tableEndYear)}
}

// buildVTZTable expands the observances of a VTIMEZONE up to endYear the way
// ical.js does: the first RRULE and the first value of each RDATE.
func buildVTZTable(c *component, endYear int64) []trans {
	var tbl []trans
	for _, obs := range c.Children {
		tbl = append(tbl, observanceChanges(obs, endYear)...)
	}
	sort.SliceStable(tbl, func(i, j int) bool { return tbl[i].u < tbl[j].u })
	return tbl
}

func observanceChanges(obs *component, endYear int64) []trans {
	ds, to, from := obs.prop("DTSTART"), obs.prop("TZOFFSETTO"), obs.prop("TZOFFSETFROM")
	if ds == nil || to == nil || from == nil {
		return nil
	}
	offTo, err1 := parseUTCOffset(to.Value)
	offFrom, err2 := parseUTCOffset(from.Value)
	startL, _, startZ, err3 := parseDateFields(ds.Value, strings.EqualFold(ds.param("VALUE"), "DATE"))
	if err1 != nil || err2 != nil || err3 != nil {
		return nil
	}
	mk := func(L int64, utc bool) trans {
		if utc {
			return trans{L, offTo, offFrom}
		}
		return trans{L - offFrom, offTo, offFrom}
	}
	rr := obs.prop("RRULE")
	hasRdate := obs.prop("RDATE") != nil
	if rr == nil && !hasRdate {
		return []trans{mk(startL, false)}
	}
	var out []trans
	for _, p := range obs.Props {
		if p.Name != "RDATE" {
			continue
		}
		v := strings.SplitN(p.Value, ",", 2)[0]
		L, isDate, z, err := parseDateFields(strings.SplitN(v, "/", 2)[0], false)
		if err != nil {
			continue
		}
		if isDate {
			out = append(out, mk(L+floorMod(startL, secsPerDay), startZ))
		} else {
			out = append(out, mk(L, z))
		}
	}
	if rr != nil {
		r, err := parseRecur(rr.Value)
		if err != nil {
			return out
		}
		if r.hasUntil && r.untilZ {
			r.until += offFrom
		}
		it := newRecurIter(r, startL, func(L int64) int64 { return L })
		it.limitL = daysFromCivil(endYear+1, 1, 1) * secsPerDay
		for {
			L, ok := it.next()
			if !ok {
				break
			}
			if y, _, _ := civilFromDays(floorDiv(L, secsPerDay)); y > endYear {
				break
			}
			out = append(out, mk(L, startZ))
		}
	}
	return out
}

// windowsZones maps common Windows zone names to IANA (CLDR, territory 001),
// the same 36 names the reference knows.
var windowsZones = map[string]string{
	"Dateline Standard Time": "Etc/GMT+12", "Hawaiian Standard Time": "Pacific/Honolulu",
	"Alaskan Standard Time": "America/Anchorage", "Pacific Standard Time": "America/Los_Angeles",
	"US Mountain Standard Time": "America/Phoenix", "Mountain Standard Time": "America/Denver",
	"Central Standard Time": "America/Chicago", "Eastern Standard Time": "America/New_York",
	"Atlantic Standard Time": "America/Halifax", "Newfoundland Standard Time": "America/St_Johns",
	"E. South America Standard Time": "America/Sao_Paulo", "UTC": "Etc/UTC",
	"GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
	"W. Europe Standard Time": "Europe/Berlin", "Central Europe Standard Time": "Europe/Budapest",
	"Romance Standard Time": "Europe/Paris", "Central European Standard Time": "Europe/Warsaw",
	"E. Europe Standard Time": "Europe/Chisinau", "FLE Standard Time": "Europe/Kiev",
	"GTB Standard Time": "Europe/Bucharest", "Russian Standard Time": "Europe/Moscow",
	"Israel Standard Time": "Asia/Jerusalem", "South Africa Standard Time": "Africa/Johannesburg",
	"Arabian Standard Time": "Asia/Dubai", "India Standard Time": "Asia/Calcutta",
	"Nepal Standard Time": "Asia/Katmandu", "China Standard Time": "Asia/Shanghai",
	"Singapore Standard Time": "Asia/Singapore", "Tokyo Standard Time": "Asia/Tokyo",
	"Korea Standard Time": "Asia/Seoul", "AUS Eastern Standard Time": "Australia/Sydney",
	"E. Australia Standard Time": "Australia/Brisbane", "Cen. Australia Standard Time": "Australia/Adelaide",
	"W. Australia Standard Time": "Australia/Perth", "New Zealand Standard Time": "Pacific/Auckland",
}

var leadingDigit = regexp.MustCompile(`^[+-]?\d`)

// loadIANA resolves an IANA zone name (nil when unknown).
func loadIANA(name string) *time.Location {
	if name == "" || name == "Local" || leadingDigit.MatchString(name) {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// resolveTZID maps a TZID without a VTIMEZONE to an IANA zone: the name
// itself, a Windows name, or the trailing Area/City parts of a prefixed name
// such as /mozilla.org/20050126_1/America/New_York.
func resolveTZID(tzid string) (string, *time.Location) {
	raw := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(tzid, "\""), "\""))
	if loc := loadIANA(raw); loc != nil {
		return raw, loc
	}
	if w, ok := windowsZones[raw]; ok {
		if loc := loadIANA(w); loc != nil {
			return w, loc
		}
	}
	var parts []string
	for _, p := range strings.Split(raw, "/") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	for i := 0; i < len(parts)-1; i++ {
		cand := strings.Join(parts[i:], "/")
		if loc := loadIANA(cand); loc != nil {
			return cand, loc
		}
	}
	return "", nil
}
