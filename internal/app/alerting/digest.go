package alerting

import (
	"context"
	"time"

	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
)

// Digest sends one silent digest of the deferred pages due at now, and
// marks them delivered in the same step so a restart never repeats it.
// open looks up a page that is still open (for its current title and
// state); a page no longer open is listed as resolved.
func (a *Alerting) Digest(ctx context.Context, now time.Time, open func(page.ID) (page.Page, bool)) {
	due, err := a.p.Store.DueDeferred(ctx, now)
	if err != nil || len(due) == 0 {
		return
	}
	items := make([]quiet.DigestItem, 0, len(due))
	ids := make([]page.ID, 0, len(due))
	for _, d := range due {
		p, ok := open(d.Page)
		if !ok {
			p = page.Page{ID: d.Page, Title: d.Title, Status: page.StatusResolved}
		}
		items = append(items, quiet.DigestItem{Page: p, Until: d.Until})
		ids = append(ids, d.Page)
	}
	if err := a.p.Store.MarkDelivered(ctx, ids, now); err != nil {
		a.log.Error("digest not marked delivered", "err", err)
		return
	}
	title, body := quiet.Digest(items, now)
	_ = a.Send(notify.Quiet(DigestKey, title, body)) // a failure is kept for the window
}

// DigestKey is the key of the digest bubble.
const DigestKey = "standby/digest"
