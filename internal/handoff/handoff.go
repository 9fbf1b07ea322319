// Package handoff prepares the summary of a shift for whoever takes over:
// the pages that came in during the shift, which are still open, who
// claimed or acked each, how long the ack took, and my notes; as Markdown
// to paste anywhere and as a one-line headline ("Handoff from alice: 7
// pages, 1 still open").
//
// It is pure: the history, the open pages and now are parameters.
package handoff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Page is one page seen during the shift, as the history and the current
// state know it.
type Page struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Seen is when my app first saw it.
	Seen time.Time `json:"seen"`
	// Open says it is still open now.
	Open bool `json:"open"`
	// AckedBy is who acked it ("" if nobody is known to); AckedAt when I
	// did, if I did.
	AckedBy string    `json:"acked_by,omitempty"`
	AckedAt time.Time `json:"acked_at,omitzero"`
	// ClaimedBy are the members who said "I'm looking", in order.
	ClaimedBy []string `json:"claimed_by,omitempty"`
	// ResolvedByMe says I resolved it.
	ResolvedByMe bool `json:"resolved_by_me,omitempty"`
	// Incident is the page's incident line, if it became one.
	Incident string `json:"incident,omitempty"`
	// Notes are my notes on it, oldest first.
	Notes []string `json:"notes,omitempty"`
}

// TimeToAck is the time from Seen to my ack; 0 when I did not ack it.
func (p Page) TimeToAck() time.Duration {
	if p.AckedAt.IsZero() || p.AckedAt.Before(p.Seen) {
		return 0
	}
	return p.AckedAt.Sub(p.Seen)
}

// Shift is the shift handed off.
type Shift struct {
	Name  string    `json:"name"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Handoff is the summary of one shift.
type Handoff struct {
	From  string `json:"from"`
	Shift Shift  `json:"shift"`
	// Pages seen during the shift, open ones first, then by when seen.
	Pages []Page `json:"pages"`
	Open  int    `json:"open"`
	// Ongoing says the shift has not ended yet at At.
	Ongoing bool      `json:"ongoing,omitempty"`
	At      time.Time `json:"at"`
}

// Build makes the handoff of shift from the pages seen in it (pages seen
// outside [Start, End) are left out).
func Build(from string, shift Shift, pages []Page, now time.Time) Handoff {
	h := Handoff{From: from, Shift: shift, Pages: []Page{}, Ongoing: now.Before(shift.End), At: now}
	for _, p := range pages {
		if p.Seen.Before(shift.Start) || !p.Seen.Before(shift.End) {
			continue
		}
		h.Pages = append(h.Pages, p)
		if p.Open {
			h.Open++
		}
	}
	slices.SortStableFunc(h.Pages, func(a, b Page) int {
		if a.Open != b.Open {
			if a.Open {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Seen.Compare(b.Seen), strings.Compare(a.ID, b.ID))
	})
	return h
}

// Headline is the one line the next on-call person gets.
func (h Handoff) Headline() string {
	n := len(h.Pages)
	s := fmt.Sprintf("Handoff from %s: %d %s, %d still open", h.From, n, plural(n, "page", "pages"), h.Open)
	if h.Ongoing {
		s += " (shift not over yet)"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Markdown renders the handoff with times on loc's wall clock.
func (h Handoff) Markdown(loc *time.Location) string {
	var b strings.Builder
	when := func(t time.Time) string { return t.In(loc).Format("Mon 02 Jan 15:04") }
	fmt.Fprintf(&b, "## %s\n\n", h.Headline())
	name := h.Shift.Name
	if name == "" {
		name = "On call"
	}
	fmt.Fprintf(&b, "%s, %s → %s.\n\n", mdEscape(name), when(h.Shift.Start), when(h.Shift.End))
	if len(h.Pages) == 0 {
		b.WriteString("No pages during the shift.\n")
		return b.String()
	}
	for _, p := range h.Pages {
		state := "resolved"
		if p.Open {
			state = "**open**"
		}
		fmt.Fprintf(&b, "- %s %s — `%s`, seen %s", state, mdEscape(p.Title), p.ID, when(p.Seen))
		for _, part := range p.who() {
			b.WriteString("; " + part)
		}
		b.WriteString("\n")
		if p.Incident != "" {
			fmt.Fprintf(&b, "  - %s\n", mdEscape(p.Incident))
		}
		for _, n := range p.Notes {
			fmt.Fprintf(&b, "  - note: %s\n", mdEscape(n))
		}
	}
	return b.String()
}

// who says who claimed, acked and resolved the page, and the time to ack.
func (p Page) who() []string {
	var out []string
	if len(p.ClaimedBy) > 0 {
		out = append(out, "claimed by "+strings.Join(p.ClaimedBy, ", "))
	}
	if p.AckedBy != "" {
		s := "acked by " + p.AckedBy
		if d := p.TimeToAck(); d > 0 {
			s += " after " + round(d)
		}
		out = append(out, s)
	}
	if p.ResolvedByMe {
		out = append(out, "resolved by me")
	}
	if !p.Open && p.AckedBy == "" && len(p.ClaimedBy) == 0 && !p.ResolvedByMe {
		out = append(out, "nobody acked it here")
	}
	return out
}

func round(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}

// mdEscape keeps page text from turning into Markdown structure.
func mdEscape(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, "#", `\#`).Replace(s)
}
