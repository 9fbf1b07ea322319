package app

import (
	"context"
	"fmt"
	"github.com/standby-oncall/standby/internal/alarm"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/app/alerting"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
)

// alarmStub is a counting Alarm: what rings, with which period, and what
// was stopped.
type alarmStub struct {
	mu      sync.Mutex
	every   map[string]time.Duration
	rung    []string
	stopped []string
}

func newAlarmStub() *alarmStub { return &alarmStub{every: map[string]time.Duration{}} }

func (a *alarmStub) Ring(_ context.Context, key string, every time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.every[key] = every
	a.rung = append(a.rung, key)
}

func (a *alarmStub) Stop(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.every[key]; ok {
		a.stopped = append(a.stopped, key)
	}
	delete(a.every, key)
}

func (a *alarmStub) StopAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.every)
}

func (a *alarmStub) Ringing() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	keys := make([]string, 0, len(a.every))
	for k := range a.every {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (a *alarmStub) Test(context.Context) error { return nil }

// periods returns every key rung so far with its period.
func (a *alarmStub) periods() map[string]time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]time.Duration, len(a.every))
	for k, v := range a.every {
		out[k] = v
	}
	return out
}

func (a *alarmStub) rungKeys() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.rung)
}

// TestSoundSetting: the Sound setting decides whether the alarm rings at
// all, being on call makes a high-urgency page repeat, ring_once makes it
// ring once, and a low-urgency page never rings. The demo's first and third
// pages are critical (high), the second a warning (low); none is in quiet
// hours (demoConfig has no windows).
func TestSoundSetting(t *testing.T) {
	cases := []struct {
		name       string
		notify     string
		onCall     bool
		high, low  time.Duration // -1: no ring
		wantRinged int
	}{
		{"sound off", "[notify]\nsound = false\n", true, -1, -1, 0},
		{"on call: high repeats, low silent", "[notify]\nsound = true\n", true, alerting.DefaultRepeat, -1, 2},
		{"not on call: high once", "[notify]\nsound = true\n", false, 0, -1, 2},
		{"ring once", "[notify]\nsound = true\nring_once = true\n", true, 0, -1, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keyring.MockInit()
			synctest.Test(t, func(t *testing.T) {
				bell := newAlarmStub()
				f := openDemoWith(t, demoConfig+c.notify, func(o *Options) { o.Alarm = bell })
				f.svc.SetOnCall(func(time.Time) quiet.OnCall { return quiet.OnCall{OnCall: c.onCall, Schedule: "Payments"} })
				f.start(t)
				if n := len(f.rec.list()); n != 3 {
					t.Fatalf("%d bubbles for the 3 demo pages", n)
				}
				got := bell.periods()
				if n := len(bell.rungKeys()); n != c.wantRinged {
					t.Fatalf("the alarm rang for %v, want %d pages", bell.rungKeys(), c.wantRinged)
				}
				for id, want := range map[string]time.Duration{demoHigh.String(): c.high, demoLow.String(): c.low} {
					d, ok := got[id]
					if want < 0 && ok || want >= 0 && (!ok || d != want) {
						t.Errorf("%s: ringing %v every %v, want %v", id, ok, d, want)
					}
				}
			})
		})
	}
}

// TestMyActionsSettleTheAlarm: my Ack and my "I'm looking" stop the
// page's alarm and close its bubble at once.
func TestMyActionsSettleTheAlarm(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		bell := newAlarmStub()
		f := openDemoWith(t, demoConfig+"[notify]\nsound = true\n", func(o *Options) { o.Alarm = bell })
		f.svc.SetOnCall(func(time.Time) quiet.OnCall { return quiet.OnCall{OnCall: true} })
		f.start(t)
		ctx := context.Background()
		if r := bell.Ringing(); !slices.Equal(r, []string{demoHigh.String(), demo2.String()}) {
			t.Fatalf("ringing %v at start, want the two high-urgency pages", r)
		}
		if err := f.svc.Ack(ctx, demoHigh); err != nil {
			t.Fatal(err)
		}
		if r := bell.Ringing(); !slices.Equal(r, []string{demo2.String()}) || !slices.Contains(f.rec.closed(), demoHigh.String()) {
			t.Fatalf("after my ack: ringing %v, closed %v", r, f.rec.closed())
		}
		if _, err := f.svc.Look(ctx, demo2, time.Now()); err != nil {
			t.Fatal(err)
		}
		if r := bell.Ringing(); len(r) != 0 || !slices.Contains(f.rec.closed(), demo2.String()) {
			t.Fatalf("after my claim: ringing %v, closed %v", r, f.rec.closed())
		}
	})
}

// TestSilenceAlarm: "Silence alarm" stops every ringing page; the
// snapshot tells the tray and the window.
func TestSilenceAlarm(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		bell := newAlarmStub()
		f := openDemoWith(t, demoConfig+"[notify]\nsound = true\n", func(o *Options) { o.Alarm = bell })
		f.svc.SetOnCall(func(time.Time) quiet.OnCall { return quiet.OnCall{OnCall: true} })
		f.start(t)
		ctx := context.Background()
		if !f.svc.AlarmRinging() || !f.svc.Snapshot(ctx, time.Now()).AlarmRinging {
			t.Fatal("AlarmRinging is false while pages ring")
		}
		f.svc.SilenceAlarm()
		if f.svc.AlarmRinging() || f.svc.Snapshot(ctx, time.Now()).AlarmRinging || len(bell.Ringing()) != 0 {
			t.Fatalf("ringing %v after SilenceAlarm", bell.Ringing())
		}
	})
}

// TestEscalatedPageRepeats: a high-urgency page that was held for an
// on-call teammate and escalated to me because nobody answered rings on
// repeat like an on-call page, even though I am not on call; it rings once
// when not escalated, and once with "ring once".
func TestEscalatedPageRepeats(t *testing.T) {
	cases := []struct {
		notify    string
		escalated bool
		want      alerting.Ring
	}{
		{"[notify]\nsound = true\n", true, alerting.RingRepeat},
		{"[notify]\nsound = true\n", false, alerting.RingOnce},
		{"[notify]\nsound = true\nring_once = true\n", true, alerting.RingOnce},
		{"[notify]\nsound = false\n", true, alerting.RingNone},
	}
	for _, c := range cases {
		keyring.MockInit()
		synctest.Test(t, func(t *testing.T) {
			f := openDemoWith(t, demoConfig+c.notify, func(o *Options) { o.Alarm = newAlarmStub() })
			f.svc.SetOnCall(func(time.Time) quiet.OnCall { return quiet.OnCall{} })
			p := page.Page{ID: demoHigh, Urgency: page.UrgencyHigh}
			if got := f.svc.ringFor(time.Now())(p, c.escalated); got != c.want {
				t.Errorf("%q escalated=%v: ring %v, want %v", c.notify, c.escalated, got, c.want)
			}
		})
	}
}

// A batch of loud pages asks whether I am on call (every synced calendar
// expanded) once, not once per page.
func TestRingForLooksUpOnCallOncePerBatch(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		f := openDemoWith(t, demoConfig+"[notify]\nsound = true\n", func(o *Options) { o.Alarm = newAlarmStub() })
		var lookups atomic.Int32
		f.svc.SetOnCall(func(time.Time) quiet.OnCall { lookups.Add(1); return quiet.OnCall{OnCall: true} })
		ringOf := f.svc.ringFor(time.Now())
		for range 50 {
			if got := ringOf(page.Page{ID: demoHigh, Urgency: page.UrgencyHigh}, false); got != alerting.RingRepeat {
				t.Fatalf("a high-urgency page while on call rings %v, want repeat", got)
			}
		}
		if n := lookups.Load(); n != 1 {
			t.Errorf("50 pages of one batch looked up on call %d times, want 1", n)
		}
	})
}

// failingSink is an audio output that went away.
type failingSink struct{ fail atomic.Bool }

func (s *failingSink) Play(context.Context, []byte) error {
	if s.fail.Load() {
		return fmt.Errorf("pulseaudio: connection refused: %w", alarm.ErrNoDevice)
	}
	return nil
}

// An alarm that could not be heard is an error banner while the Sound
// setting is on, and leaves once a sound plays again (real alarm.Player).
func TestAlarmNotHeardIsABanner(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		sink := &failingSink{}
		sink.fail.Store(true)
		player := alarm.New(sink, alarm.Options{Sound: make([]byte, 4)})
		defer player.Close()
		f := openDemoWith(t, demoConfig+"[notify]\nsound = true\n", func(o *Options) { o.Alarm = player })
		hasAlarmBanner := func() bool {
			return slices.ContainsFunc(f.svc.Snapshot(t.Context(), time.Now()).Banners, func(b Banner) bool {
				return b.Level == "error" && strings.HasPrefix(b.Text, "The alarm could not be heard (playing the alarm: pulseaudio: connection refused")
			})
		}
		if hasAlarmBanner() {
			t.Fatal("an alarm banner before the alarm was tried")
		}
		if err := player.Test(t.Context()); err == nil {
			t.Fatal("the failing sink played")
		}
		if !hasAlarmBanner() {
			t.Fatalf("no banner after the alarm failed: %v", f.svc.Snapshot(t.Context(), time.Now()).Banners)
		}
		sink.fail.Store(false)
		if err := player.Test(t.Context()); err != nil {
			t.Fatal(err)
		}
		if hasAlarmBanner() {
			t.Error("the banner stayed after the alarm played")
		}
	})
}

// A failed sound makes the views look again at once (the banner above);
// the same failure told again signals nothing (the alarm repeats every
// 30 s with no device), a new one does, and so does the same one once a
// snapshot saw no failure.
func TestAlarmFailedSignalsAChange(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		f := openDemoWith(t, demoConfig, nil)
		changes, stop := f.svc.Changes()
		defer stop()
		synctest.Wait()
		for len(changes) > 0 {
			<-changes
		}
		signalled := func() bool {
			select {
			case <-changes:
				return true
			default:
				return false
			}
		}
		noDevice := fmt.Errorf("no audio device: %w", alarm.ErrNoDevice)
		refused := fmt.Errorf("pulseaudio: connection refused: %w", alarm.ErrNoDevice)
		steps := []struct {
			what string
			do   func()
			want bool
		}{
			{"a first failure", func() { f.svc.AlarmFailed(noDevice) }, true},
			{"the same failure again", func() { f.svc.AlarmFailed(noDevice) }, false},
			{"another failure", func() { f.svc.AlarmFailed(refused) }, true},
			{"a snapshot with no failure", func() { f.svc.Snapshot(t.Context(), time.Now()) }, false},
			{"the last failure after that snapshot", func() { f.svc.AlarmFailed(refused) }, true},
		}
		for _, st := range steps {
			st.do()
			if got := signalled(); got != st.want {
				t.Errorf("%s: signalled %v, want %v", st.what, got, st.want)
			}
		}
	})
}
