package source

import (
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// claimNotePrefix starts every note Standby writes as a claim mirror.
const claimNotePrefix = "standby: "

// claimNoteSuffix ends the claim mirror text.
const claimNoteSuffix = " is looking"

// ClaimNoteText is the text Standby writes upstream (Source.Note) to mirror
// an "I'm looking" claim by name, e.g. "standby: alice is looking". Teammates'
// apps read it back with ParseClaimNote, so claims by people whose app is
// offline are still shown.
func ClaimNoteText(name string) string {
	return claimNotePrefix + name + claimNoteSuffix
}

// ParseClaimNote reports whether text is a claim mirror written by
// ClaimNoteText and returns the claimant's name. Surrounding white space is
// ignored; any other text is not a claim.
func ParseClaimNote(text string) (name string, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(text), claimNotePrefix)
	if !ok {
		return "", false
	}
	name, ok = strings.CutSuffix(rest, claimNoteSuffix)
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, "\n\r") {
		return "", false
	}
	return name, true
}

// ClaimsFromNotes turns the claim mirrors among a page's upstream notes
// into claims on id, the latest per person, each expiring ttl after its
// note was written. note reads a note's text and time.
func ClaimsFromNotes[N any](id page.ID, notes []N, ttl time.Duration, note func(N) (text string, at time.Time)) []page.Claim {
	latest := map[string]int{}
	var out []page.Claim
	for _, n := range notes {
		text, at := note(n)
		name, ok := ParseClaimNote(text)
		if !ok {
			continue
		}
		c := page.Claim{Page: id, By: name, Kind: page.ClaimLooking, At: at,
			Expires: at.Add(ttl), Origin: page.OriginUpstream}
		if i, ok := latest[name]; ok {
			if c.At.After(out[i].At) {
				out[i] = c
			}
			continue
		}
		latest[name] = len(out)
		out = append(out, c)
	}
	return out
}
