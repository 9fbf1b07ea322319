package viewmodel

import (
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/page"
)

// State is the page's state in words, the one wording for the window, the
// tray and the CLI: "new", "acked by bob", "Bob is looking (3 min ago)",
// "you are looking (until 04:10)".
func State(p app.PageView, me string, now time.Time) string {
	if c, ok := page.LiveClaimByOther(p.Page, me, now); ok {
		if c.Kind == page.ClaimAcked {
			return fmt.Sprintf("acked by %s", c.By)
		}
		return fmt.Sprintf("%s is looking (%s)", c.By, Ago(ClockAge(c.At, now)))
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

// ClockAge is the age of then at now as a clock that shows minutes reads
// it: the minutes from then's minute to now's. Ages built on it change
// only at the clock's whole minutes, all at once, so a list recomputed at
// every event (a source polled every 30 s) is redrawn for its ages once a
// minute; an age is at most a minute off either way (opened 12:04:50, at
// 12:05:10 it is 1m).
func ClockAge(then, now time.Time) time.Duration {
	return now.Truncate(time.Minute).Sub(then.Truncate(time.Minute))
}

// Age renders an age compactly: "now", "12m", "3h05m", "4d".
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
