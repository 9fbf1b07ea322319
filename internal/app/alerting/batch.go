package alerting

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/page"
)

// queue gathers a loud notification for the next batch.
func (a *Alerting) queue(it loudItem) {
	a.mu.Lock()
	a.loud = append(a.loud, it)
	a.mu.Unlock()
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// Run shows loud notifications in batches until ctx ends, then shows what
// is still waiting and returns nil. It is the only goroutine alerting
// starts. Alarms rung here stop when ctx ends.
func (a *Alerting) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			a.flush(ctx)
			return nil
		case <-a.kick:
		}
		t := time.NewTimer(a.p.Batch)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		a.flush(ctx)
	}
}

// flush shows the gathered loud pages: each on its own when there are few,
// otherwise one summary naming the first ones; then rings the alarm for
// them.
func (a *Alerting) flush(ctx context.Context) {
	a.mu.Lock()
	items := a.loud
	a.loud = nil
	a.mu.Unlock()
	if len(items) == 0 {
		return
	}
	if len(items) <= MaxSeparate {
		for _, it := range items {
			a.show(bubble(it), it.p.ID)
		}
	} else {
		ids := make([]page.ID, len(items))
		for i, it := range items {
			ids[i] = it.p.ID
		}
		a.show(summary(items), ids...)
	}
	a.ring(ctx, items)
}

// bubble is one page's bubble: a high-urgency page is critical and stays
// until acted on; a low-urgency one is a normal bubble (silent, expiring),
// both with Ack / I'm looking / Open.
func bubble(it loudItem) notify.Notification {
	n := notify.Loud(it.p.ID.String(), Title(it.p), body(it.p, it.reason))
	if it.p.Urgency == page.UrgencyLow {
		n.Urgency, n.Sticky = notify.Normal, false
	}
	return n
}

// summary is the one bubble for many new pages: critical and sticky when
// one of them is high urgency, with Open only (which page would Ack ack?).
func summary(items []loudItem) notify.Notification {
	lines := make([]string, 0, MaxSeparate+1)
	for _, it := range items[:MaxSeparate] {
		lines = append(lines, "• "+Title(it.p))
	}
	lines = append(lines, fmt.Sprintf("and %d more — open Standby", len(items)-MaxSeparate))
	n := notify.Notification{Key: SummaryKey, Title: fmt.Sprintf("%d new pages", len(items)),
		Body: strings.Join(lines, "\n"), Actions: []notify.Action{{Key: notify.ActionOpen, Label: "Open"}}}
	for _, it := range items {
		if it.p.Urgency == page.UrgencyHigh {
			n.Urgency, n.Sticky = notify.Critical, true
		}
	}
	return n
}

// show sends a loud bubble and remembers which pages it is about.
func (a *Alerting) show(n notify.Notification, ids ...page.ID) {
	if a.p.Notifier == nil {
		return
	}
	if err := a.Send(n); err != nil {
		return
	}
	a.mu.Lock()
	a.shown.add(n.Key, ids)
	a.mu.Unlock()
}

// ring sounds the alarm for the loud pages of one batch, as Params.Ring
// says; the Player makes several pages one alarm.
func (a *Alerting) ring(ctx context.Context, items []loudItem) {
	if a.p.Alarm == nil || a.p.Ring == nil {
		return
	}
	ringOf := a.p.Ring(time.Now())
	rang := false
	for _, it := range items {
		switch ringOf(it.p, it.escalated) {
		case RingRepeat:
			a.p.Alarm.Ring(ctx, it.p.ID.String(), a.p.Repeat)
			rang = true
		case RingOnce:
			a.p.Alarm.Ring(ctx, it.p.ID.String(), 0)
			rang = true
		}
	}
	if rang {
		a.changed()
	}
}

// Title is a page's notification title: "[critical] Disk full".
func Title(p page.Page) string {
	if p.Severity != "" {
		return fmt.Sprintf("[%s] %s", p.Severity, p.Title)
	}
	return p.Title
}

func body(p page.Page, reason string) string {
	parts := []string{}
	if p.Service != "" {
		parts = append(parts, p.Service)
	}
	parts = append(parts, "via "+p.ID.Source)
	return strings.Join(parts, " · ") + "\n" + reason
}

// Send delivers a notification and remembers whether delivery works.
// Without a Notifier it does nothing and returns nil.
func (a *Alerting) Send(n notify.Notification) error {
	if a.p.Notifier == nil {
		return nil
	}
	err := a.p.Notifier.Send(n)
	a.mu.Lock()
	changed := (err == nil) != (a.failure == nil)
	a.failure = err
	a.mu.Unlock()
	if err != nil {
		a.log.Error("notification not delivered", "err", err)
	}
	if changed {
		a.changed()
	}
	return err
}

func (a *Alerting) changed() {
	if a.p.Changed != nil {
		a.p.Changed()
	}
}
