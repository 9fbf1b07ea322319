package alerting

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
)

// shownBubbles are the loud bubbles on screen: which pages each is about,
// and the bubble of each page.
type shownBubbles struct {
	pages  map[string][]page.ID // bubble key → pages
	bubble map[page.ID]string   // page → bubble key
}

func newShownBubbles() shownBubbles {
	return shownBubbles{pages: map[string][]page.ID{}, bubble: map[page.ID]string{}}
}

func (s shownBubbles) add(key string, ids []page.ID) {
	for _, id := range ids {
		if old, ok := s.bubble[id]; ok && old != key {
			s.drop(id)
		}
		if !slices.Contains(s.pages[key], id) {
			s.pages[key] = append(s.pages[key], id)
		}
		s.bubble[id] = key
	}
}

// drop forgets id and returns the key of a bubble left about nothing, to
// close ("" when none).
func (s shownBubbles) drop(id page.ID) string {
	key, ok := s.bubble[id]
	if !ok {
		return ""
	}
	delete(s.bubble, id)
	left := slices.DeleteFunc(s.pages[key], func(o page.ID) bool { return o == id })
	if len(left) > 0 {
		s.pages[key] = left
		return ""
	}
	delete(s.pages, key)
	return key
}

// forget drops a bubble the user closed and returns its pages.
func (s shownBubbles) forget(key string) []page.ID {
	ids := s.pages[key]
	delete(s.pages, key)
	for _, id := range ids {
		delete(s.bubble, id)
	}
	return ids
}

// Settle ends what id asks of the user: someone claimed, acked or resolved
// it. Its alarm stops, it leaves the batch if it is still waiting, and its
// bubble closes (a summary bubble once none of its pages is left).
func (a *Alerting) Settle(id page.ID) {
	a.mu.Lock()
	a.loud = slices.DeleteFunc(a.loud, func(it loudItem) bool { return it.p.ID == id })
	closeKey := a.shown.drop(id)
	a.mu.Unlock()
	if a.p.Alarm != nil {
		a.p.Alarm.Stop(id.String())
	}
	if closeKey != "" && a.p.Notifier != nil {
		if err := a.p.Notifier.Dismiss(closeKey); err != nil {
			a.log.Warn("bubble not closed", "bubble", closeKey, "err", err)
		}
	}
}

// Settled settles every page with a bubble or an alarm that st shows
// acknowledged, resolved or claimed by anyone (me included) at now.
// Pages missing from st are left alone: resolves come as events, and a
// new engine starts empty.
func (a *Alerting) Settled(st engine.State, now time.Time) {
	active := a.active()
	if len(active) == 0 {
		return
	}
	for _, ps := range st.Pages {
		if active[ps.ID] && settled(ps.Page, now) {
			a.Settle(ps.ID)
		}
	}
}

// settled reports whether p no longer needs anyone to be interrupted.
func settled(p page.Page, now time.Time) bool {
	if p.Status != page.StatusTriggered {
		return true
	}
	for _, c := range p.Claims {
		if c.Live(now) {
			return true
		}
	}
	return false
}

// active returns the pages with a bubble on screen or a ringing alarm.
func (a *Alerting) active() map[page.ID]bool {
	out := map[page.ID]bool{}
	a.mu.Lock()
	for id := range a.shown.bubble {
		out[id] = true
	}
	a.mu.Unlock()
	if a.p.Alarm != nil {
		for _, key := range a.p.Alarm.Ringing() {
			if id, err := page.ParseID(key); err == nil {
				out[id] = true
			}
		}
	}
	return out
}

// Pages returns the pages of the bubble sent with key (none when it is
// not shown any more).
func (a *Alerting) Pages(key string) []page.ID {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.shown.pages[key])
}

// Closed is told that the user closed the bubble with key without an
// action: its pages' alarms stop (the user has seen them), their rows stay.
func (a *Alerting) Closed(key string) {
	a.mu.Lock()
	ids := a.shown.forget(key)
	a.mu.Unlock()
	if a.p.Alarm == nil {
		return
	}
	for _, id := range ids {
		a.p.Alarm.Stop(id.String())
	}
	a.changed()
}

// Silence stops every alarm at once (the "Silence alarm" action); the
// bubbles stay.
func (a *Alerting) Silence() {
	if a.p.Alarm != nil {
		a.p.Alarm.StopAll()
		a.changed()
	}
}

// Ringing reports whether the alarm rings for any page.
func (a *Alerting) Ringing() bool {
	return a.p.Alarm != nil && len(a.p.Alarm.Ringing()) > 0
}

// ErrNoAlarm is returned by TestAlarm where there is no alarm (the CLI).
var ErrNoAlarm = errors.New("no alarm in this process")

// TestAlarm plays the alarm once and waits for it (Settings "Test alarm").
func (a *Alerting) TestAlarm(ctx context.Context) error {
	if a.p.Alarm == nil {
		return ErrNoAlarm
	}
	return a.p.Alarm.Test(ctx)
}
