package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/app/alerting"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/store"
)

// Notifier shows and closes desktop bubbles; notify.Desktop is one.
type Notifier = alerting.Notifier

// Alarm rings the alarm sound; alarm.Player is one.
type Alarm = alerting.Alarm

// Keys of the app's own bubbles that are not about one page.
const (
	reminderKey    = "standby/reminder"
	actionErrorKey = "standby/action-error"
)

// openHook is what the Open action of a bubble does (set by the UI).
type openHook = func(id page.ID)

func (s *Service) alertingParams(db *store.DB) alerting.Params {
	return alerting.Params{Store: db, Notifier: s.opts.Notifier, Alarm: s.opts.Alarm, Ring: s.ringFor,
		Changed: s.broadcast, Logger: s.log}
}

// ringFor is how the loud pages of a batch sound at now: with the Sound
// setting on, a high-urgency page while on call, or one that escalated to
// me because nobody answered it during its hold, repeats (unless "ring
// once" is set) and another high-urgency page rings once; low urgency and
// the Sound setting off never ring. The settings and whether I am on call
// (which expands every synced calendar) are read once for the batch: a
// first poll of 500 pages read them 500 times.
func (s *Service) ringFor(now time.Time) func(p page.Page, escalated bool) alerting.Ring {
	n := s.Config().Notify
	onCall := sync.OnceValue(func() bool { return s.onCall(now).OnCall })
	return func(p page.Page, escalated bool) alerting.Ring {
		switch {
		case !n.Sound || p.Urgency == page.UrgencyLow:
			return alerting.RingNone
		case p.Urgency == page.UrgencyHigh && !n.RingOnce && (escalated || onCall()):
			return alerting.RingRepeat
		}
		return alerting.RingOnce
	}
}

// OnOpen sets what a bubble's Open action does: show the window on page id
// (a zero id for the "N new pages" summary). It is called on the
// notifier's goroutine and must not block.
func (s *Service) OnOpen(f func(id page.ID)) { s.open.Store(&f) }

// NotificationAction runs what the user chose on the bubble sent with key:
// Ack and I'm looking run the same actions as the tray and the CLI (in the
// background; a failure is told in a bubble), Open calls the OnOpen hook,
// and closing the bubble silences its alarm. It is notify.Desktop's
// OnAction and returns at once.
func (s *Service) NotificationAction(key, action string) {
	ids := s.alert.Pages(key)
	if len(ids) == 0 {
		if id, err := page.ParseID(key); err == nil {
			ids = []page.ID{id}
		}
	}
	switch action {
	case notify.ActionAck, notify.ActionLook:
		for _, id := range ids {
			s.background(func(ctx context.Context) { s.bubbleAction(ctx, action, id) })
		}
	case notify.ActionOpen:
		var id page.ID
		if len(ids) == 1 {
			id = ids[0]
		}
		if f := s.open.Load(); f != nil && *f != nil {
			(*f)(id)
		}
	case notify.ActionDismissed:
		s.alert.Closed(key)
	}
}

// bubbleAction acks or claims id as the tray would, and says in a bubble
// when that did not work.
func (s *Service) bubbleAction(ctx context.Context, action string, id page.ID) {
	var err error
	verb := "Ack"
	if action == notify.ActionAck {
		err = s.Ack(ctx, id)
	} else {
		verb = "I'm looking"
		_, err = s.Look(ctx, id, time.Now())
	}
	switch {
	case errors.Is(err, ErrQueued):
		_ = s.alert.Send(notify.Quiet(actionErrorKey, "Standby: ack queued",
			fmt.Sprintf("%s cannot be reached; the ack of %s is sent when it is back.", id.Source, id)))
	case err != nil:
		s.log.Warn("bubble action failed", "action", action, "page", id.String(), "err", err)
		_ = s.alert.Send(notify.Quiet(actionErrorKey, "Standby: "+verb+" did not work", err.Error()))
	}
}

// background runs f in the service's lifetime, so Close waits for it.
func (s *Service) background(f func(ctx context.Context)) {
	ctx, exit, ok := s.life.enter(context.Background())
	if !ok {
		return
	}
	go func() {
		defer exit()
		f(ctx)
	}()
}

// SilenceAlarm stops the alarm for every page at once (the tray's and the
// window's "Silence alarm"); the pages and their bubbles stay.
func (s *Service) SilenceAlarm() { s.alert.Silence() }

// AlarmRinging reports whether the alarm rings for any page now.
func (s *Service) AlarmRinging() bool { return s.alert.Ringing() }

// TestAlarm plays the alarm once and waits for it (Settings "Test alarm");
// call it off the UI goroutine. Its error says what did not work.
func (s *Service) TestAlarm(ctx context.Context) error { return s.alert.TestAlarm(ctx) }
