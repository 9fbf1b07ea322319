package quiet

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// DigestItem is one page deferred during quiet hours, as the store keeps
// it. Persistence is the store's job; this package only decides which items
// are due and how the digest reads.
type DigestItem struct {
	// Page is the page in its current state (refreshed by the caller), so
	// the digest can say whether it resolved meanwhile.
	Page page.Page `json:"page"`
	// DeferredAt is when the page was deferred.
	DeferredAt time.Time `json:"deferred_at"`
	// Until is the Decision.Until it was deferred to, for display; zero
	// for quiet hours with no scheduled end.
	Until time.Time `json:"until,omitzero"`
	// Delivered is set by the store once the item was in a digest.
	Delivered bool `json:"delivered"`
}

// DueDeferred returns the undelivered items that are due at now, in input
// order. Items are due once the user is no longer quiet under r — not
// merely when their Until passes — so a "Resume now" delivers them at once
// and an extended quiet period holds them. The caller delivers them in one
// Digest and marks them Delivered in the same transaction, which makes
// each item delivered exactly once across restarts.
func DueDeferred(items []DigestItem, r Rules, now time.Time, loc *time.Location) []DigestItem {
	if quiet, _, _ := r.QuietAt(now, loc); quiet {
		return nil
	}
	var due []DigestItem
	for _, it := range items {
		if !it.Delivered {
			due = append(due, it)
		}
	}
	return due
}

// noOne is a name no claim carries.
const noOne = "\x00"

// maxDigestLines bounds the still-open pages listed in a digest body.
const maxDigestLines = 5

// Digest formats the notification shown when quiet hours end: the title
// "While you were quiet: 5 pages" and a body whose first line counts the
// pages by their state now ("3 resolved, 1 acked by Bob, 1 still open") and
// whose next lines name the pages still open. No items: both empty.
func Digest(items []DigestItem, now time.Time) (title, body string) {
	if len(items) == 0 {
		return "", ""
	}
	title = fmt.Sprintf("While you were quiet: %d %s", len(items), plural(len(items), "page", "pages"))
	counts := map[string]int{}
	var open []string
	for _, it := range items {
		state := digestState(it.Page, now)
		counts[state]++
		if state != "resolved" {
			open = append(open, openLine(it.Page, state))
		}
	}
	lines := []string{summary(counts)}
	for i, l := range open {
		if i == maxDigestLines {
			lines = append(lines, fmt.Sprintf("… and %d more", len(open)-i))
			break
		}
		lines = append(lines, l)
	}
	return title, strings.Join(lines, "\n")
}

// digestState classifies a page: "resolved", "acked by Bob", "acked",
// "Bob is looking" or "still open".
func digestState(p page.Page, now time.Time) string {
	switch {
	case p.Status == page.StatusResolved:
		return "resolved"
	case p.AckedBy != "":
		return "acked by " + p.AckedBy
	}
	// The digest counts everyone's claims: no name matches noOne.
	if c, ok := page.LiveClaimByOther(p, noOne, now); ok {
		if c.Kind == page.ClaimAcked {
			return "acked by " + someone(c.By)
		}
		return "claimed by " + someone(c.By)
	}
	if p.Status == page.StatusAcknowledged {
		return "acked"
	}
	return "still open"
}

// summary renders the counts in a fixed order: resolved, acked…, claimed…,
// still open; within a group, most first, then by name.
func summary(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if ga, gb := stateGroup(a), stateGroup(b); ga != gb {
			return ga - gb
		}
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

func stateGroup(s string) int {
	switch {
	case s == "resolved":
		return 0
	case strings.HasPrefix(s, "acked"):
		return 1
	case strings.HasPrefix(s, "claimed"):
		return 2
	default:
		return 3
	}
}

func openLine(p page.Page, state string) string {
	name := p.Title
	if name == "" {
		name = p.ID.String()
	}
	if p.Service != "" {
		name += " (" + p.Service + ")"
	}
	return "• " + name + " — " + state
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
