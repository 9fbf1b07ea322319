package feeds

import (
	"bytes"
	"strings"
)

// scanExtras reads the two properties package ical does not expose: the
// calendar's X-WR-CALNAME and each event's ORGANIZER e-mail (by UID).
func scanExtras(body []byte) (calName string, organizers map[string]string) {
	var uid, org string
	inEvent := false
	for _, line := range unfold(body) {
		name, value := splitProp(line)
		switch {
		case name == "BEGIN" && strings.EqualFold(value, "VEVENT"):
			inEvent, uid, org = true, "", ""
		case name == "END" && strings.EqualFold(value, "VEVENT"):
			if inEvent && uid != "" && org != "" {
				if organizers == nil {
					organizers = map[string]string{}
				}
				if _, ok := organizers[uid]; !ok {
					organizers[uid] = org
				}
			}
			inEvent = false
		case inEvent && name == "UID":
			uid = value
		case inEvent && name == "ORGANIZER":
			org = strings.TrimSpace(value)
			if len(org) >= 7 && strings.EqualFold(org[:7], "mailto:") {
				org = org[7:]
			}
		case !inEvent && name == "X-WR-CALNAME" && calName == "":
			calName = unescape(value)
		}
	}
	return calName, organizers
}

// unfold splits body into unfolded content lines.
func unfold(body []byte) []string {
	body = bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))
	raw := strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")
	var out []string
	for _, l := range raw {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(out) > 0 {
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, strings.TrimSuffix(l, "\r"))
	}
	return out
}

// splitProp returns a content line's upper-case name and raw value,
// skipping parameters (quoted ones may contain ':').
func splitProp(line string) (name, value string) {
	inQuote := false
	for i, r := range line {
		switch {
		case r == '"':
			inQuote = !inQuote
		case r == ':' && !inQuote:
			name, _, _ = strings.Cut(line[:i], ";")
			return strings.ToUpper(strings.TrimSpace(name)), line[i+1:]
		}
	}
	return "", ""
}

// unescape undoes RFC 5545 TEXT escapes.
func unescape(s string) string {
	r := strings.NewReplacer(`\n`, " ", `\N`, " ", `\,`, ",", `\;`, ";", `\\`, `\`)
	return strings.TrimSpace(r.Replace(s))
}
