package app

import (
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// StateText is the page's state in words: new, acked by X, "Bob is
// looking (3 min ago)".
//
// Deprecated: the wording moved to viewmodel.State (the CLI uses it); this
// copy goes when app is split. viewmodel imports app, so it cannot wrap.
func (p PageView) StateText(me string, now time.Time) string {
	if c, ok := page.LiveClaimByOther(p.Page, me, now); ok {
		if c.Kind == page.ClaimAcked {
			return fmt.Sprintf("acked by %s", c.By)
		}
		return fmt.Sprintf("%s is looking (%s)", c.By, Ago(now.Sub(c.At)))
	}
	if p.MyClaim != nil {
		return fmt.Sprintf("you are looking (until %s)", p.MyClaim.Expires.Format("15:04"))
	}
	if p.Status == page.StatusAcknowledged {
		if p.AckedBy != "" {
			return "acked by " + p.AckedBy
		}
		return "acked"
	}
	return "new"
}

// Age renders an age compactly: "now", "12m", "3h05m", "4d".
//
// Deprecated: use viewmodel.Age.
func Age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
}

// Ago renders "just now", "3 min ago", "2 h ago".
//
// Deprecated: use viewmodel.Ago.
func Ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	default:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
}
