package alerting

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/page"
)

// queue gathers a loud notification for the next batch.
func (a *Alerting) queue(p page.Page, reason string) {
	a.mu.Lock()
	a.loud = append(a.loud, loudItem{p, reason})
	a.mu.Unlock()
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// Run shows loud notifications in batches until ctx ends, then shows what
// is still waiting and returns nil. It is the only goroutine alerting
// starts.
func (a *Alerting) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			a.flush()
			return nil
		case <-a.kick:
		}
		t := time.NewTimer(a.p.Batch)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		a.flush()
	}
}

// flush shows the gathered loud pages: each on its own when there are few,
// otherwise one summary naming the first ones.
func (a *Alerting) flush() {
	a.mu.Lock()
	items := a.loud
	a.loud = nil
	a.mu.Unlock()
	if len(items) <= MaxSeparate {
		for _, it := range items {
			a.Send(Title(it.p), body(it.p, it.reason), true)
		}
		return
	}
	lines := make([]string, 0, MaxSeparate+1)
	for _, it := range items[:MaxSeparate] {
		lines = append(lines, "• "+Title(it.p))
	}
	lines = append(lines, fmt.Sprintf("and %d more — open Standby", len(items)-MaxSeparate))
	a.Send(fmt.Sprintf("%d new pages", len(items)), strings.Join(lines, "\n"), true)
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
func (a *Alerting) Send(title, body string, loud bool) {
	if a.p.Notify == nil {
		return
	}
	err := a.p.Notify(title, body, loud)
	a.mu.Lock()
	changed := (err == nil) != (a.failure == nil)
	a.failure = err
	a.mu.Unlock()
	if err != nil {
		a.log.Error("notification not delivered", "err", err)
	}
	if changed && a.p.Changed != nil {
		a.p.Changed()
	}
}
