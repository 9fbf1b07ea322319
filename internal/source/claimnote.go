package source

import (
	"strings"
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
