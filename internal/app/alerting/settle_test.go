package alerting

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/page"
)

// bell is a recording Alarm: what was rung, with which period, and what
// rings still (a ring-once key rings until stopped here: the fake has no
// sound to finish).
type bell struct {
	mu      sync.Mutex
	every   map[string]time.Duration
	stopped []string
	all     int
	tests   int
}

func newBell() *bell { return &bell{every: map[string]time.Duration{}} }

func (b *bell) Ring(ctx context.Context, key string, every time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.every[key] = every
}

func (b *bell) Stop(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.every[key]; ok {
		b.stopped = append(b.stopped, key)
	}
	delete(b.every, key)
}

func (b *bell) StopAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.all++
	clear(b.every)
}

func (b *bell) Ringing() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	keys := make([]string, 0, len(b.every))
	for k := range b.every {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (b *bell) Test(context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tests++
	return nil
}

func (b *bell) period(key string) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.every[key]
	return d, ok
}

// ringByNumber rings pg(0) repeating, pg(1) once and the others not.
func ringByNumber(time.Time) func(page.Page, bool) Ring { return ringOfNumber }

func ringOfNumber(p page.Page, _ bool) Ring {
	switch p.ID.Upstream {
	case "0":
		return RingRepeat
	case "1":
		return RingOnce
	}
	return RingNone
}

// loudBatch sends pages 0..n-1 as loud and waits for the batch.
func loudBatch(a *Alerting, n int) {
	for i := range n {
		a.Page(context.Background(), pg(i), loud)
	}
	time.Sleep(DefaultBatch)
	synctest.Wait()
}

func TestLoudBubbleIsCriticalWithPageActionsSummaryOpenOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out := &sink{}
		a := New(Params{Store: &fakeStore{}, Notifier: out})
		defer start(a)()
		loudBatch(a, 1)
		got := out.list()
		if len(got) != 1 || got[0].key != "am/0" || !got[0].loud || !slices.Equal(got[0].actions, []string{"ack", "look", "open"}) {
			t.Fatalf("one loud page gave %+v", got)
		}
		loudBatch(a, MaxSeparate+1)
		got = out.list()[1:]
		if len(got) != 1 || got[0].key != SummaryKey || !got[0].loud || !slices.Equal(got[0].actions, []string{"open"}) {
			t.Fatalf("a summary gave %+v", got)
		}
		if ids := a.Pages(SummaryKey); len(ids) != MaxSeparate+1 {
			t.Fatalf("the summary is about %v", ids)
		}
	})
}

func TestAlarmRingsAsParamsRingSays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBell()
		a := New(Params{Store: &fakeStore{}, Notifier: &sink{}, Alarm: b, Ring: ringByNumber})
		defer start(a)()
		loudBatch(a, 3)
		if d, ok := b.period("am/0"); !ok || d != DefaultRepeat {
			t.Errorf("high urgency on call: ringing %v (%v), want every %v", ok, d, DefaultRepeat)
		}
		if d, ok := b.period("am/1"); !ok || d != 0 {
			t.Errorf("another loud page: ringing %v (%v), want once", ok, d)
		}
		if _, ok := b.period("am/2"); ok {
			t.Error("the alarm rang for a page whose Ring is RingNone")
		}
		a.Page(context.Background(), pg(3), engine.Decision{Level: engine.Quiet})
		a.Digest(context.Background(), time.Now(), func(page.ID) (page.Page, bool) { return page.Page{}, false })
		time.Sleep(DefaultBatch)
		synctest.Wait()
		if r := b.Ringing(); !slices.Equal(r, []string{"am/0", "am/1"}) {
			t.Errorf("ringing %v after a quiet page", r)
		}
	})
}

func TestNoAlarmWithoutRingFunc(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newBell()
		a := New(Params{Store: &fakeStore{}, Notifier: &sink{}, Alarm: b})
		defer start(a)()
		loudBatch(a, 2)
		if r := b.Ringing(); len(r) != 0 {
			t.Fatalf("ringing %v with no Ring func", r)
		}
	})
}

// TestClaimAckResolveSettle: a claim by a teammate, an ack and a resolve
// each stop their page's alarm and close its bubble; a page missing from
// the state is left alone; a summary closes once all its pages settled.
func TestClaimAckResolveSettle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out, b := &sink{}, newBell()
		a := New(Params{Store: &fakeStore{}, Notifier: out, Alarm: b, Ring: func(time.Time) func(page.Page, bool) Ring { return func(page.Page, bool) Ring { return RingRepeat } }})
		defer start(a)()
		loudBatch(a, 3)
		now := time.Now()
		claimed, acked, open := pg(0), pg(1), pg(2)
		claimed.Claims = []page.Claim{{Page: claimed.ID, By: "bob", Kind: page.ClaimLooking, At: now, Expires: now.Add(time.Minute)}}
		acked.Status = page.StatusAcknowledged
		expired := open
		expired.Claims = []page.Claim{{Page: open.ID, By: "bob", Kind: page.ClaimLooking, At: now.Add(-time.Hour), Expires: now.Add(-time.Minute)}}
		a.Settled(engine.State{Pages: []engine.PageState{{Page: claimed}, {Page: acked}, {Page: expired}}}, now)
		if got := out.closed(); !slices.Equal(got, []string{"am/0", "am/1"}) {
			t.Fatalf("closed %v, want the claimed and the acked page's bubbles", got)
		}
		if r := b.Ringing(); !slices.Equal(r, []string{"am/2"}) {
			t.Fatalf("ringing %v, want only the page nobody took", r)
		}
		a.Settled(engine.State{}, now) // a new engine starts empty
		if r := b.Ringing(); len(r) != 1 {
			t.Fatalf("a state without the page stopped it: ringing %v", r)
		}
		a.Event(engine.Event{Kind: engine.EventResolved, Page: open})
		if r := b.Ringing(); len(r) != 0 || !slices.Contains(out.closed(), "am/2") {
			t.Fatalf("after resolve: ringing %v, closed %v", r, out.closed())
		}

		loudBatch(a, MaxSeparate+1)
		for i := range MaxSeparate {
			a.Settle(pg(i).ID)
		}
		if slices.Contains(out.closed(), SummaryKey) {
			t.Fatal("the summary closed while one of its pages is open")
		}
		a.Settle(pg(MaxSeparate).ID)
		if !slices.Contains(out.closed(), SummaryKey) {
			t.Fatal("the summary stayed after all its pages settled")
		}
	})
}

// TestSettleBeforeTheBatchEnds: a page claimed while its bubble waits for
// the batch never pops up or rings.
func TestSettleBeforeTheBatchEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out, b := &sink{}, newBell()
		a := New(Params{Store: &fakeStore{}, Notifier: out, Alarm: b, Ring: ringByNumber})
		defer start(a)()
		a.Page(context.Background(), pg(0), loud)
		a.Settle(pg(0).ID)
		time.Sleep(DefaultBatch)
		synctest.Wait()
		if len(out.list()) != 0 || len(b.Ringing()) != 0 {
			t.Fatalf("shown %v, ringing %v", out.list(), b.Ringing())
		}
	})
}

func TestUserClosingABubbleOrSilenceStopsTheAlarm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out, b := &sink{}, newBell()
		a := New(Params{Store: &fakeStore{}, Notifier: out, Alarm: b, Ring: func(time.Time) func(page.Page, bool) Ring { return func(page.Page, bool) Ring { return RingRepeat } }})
		defer start(a)()
		loudBatch(a, 2)
		a.Closed("am/0")
		if r := b.Ringing(); !slices.Equal(r, []string{"am/1"}) {
			t.Fatalf("ringing %v after the user closed am/0's bubble", r)
		}
		if len(out.closed()) != 0 {
			t.Fatalf("closed %v: the user already closed it", out.closed())
		}
		if !a.Ringing() {
			t.Fatal("Ringing is false while am/1 rings")
		}
		a.Silence()
		if a.Ringing() || b.all != 1 {
			t.Fatalf("after Silence: ringing %v, StopAll called %d times", b.Ringing(), b.all)
		}
		if err := a.TestAlarm(context.Background()); err != nil || b.tests != 1 {
			t.Fatalf("TestAlarm: %v, %d tests", err, b.tests)
		}
		if err := New(Params{Store: &fakeStore{}}).TestAlarm(context.Background()); err != ErrNoAlarm {
			t.Fatalf("TestAlarm without an alarm: %v", err)
		}
	})
}

// TestRunEndStopsAlarms: rings hang on Run's context, so nothing rings
// after the service stopped.
func TestRunEndStopsAlarms(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var ctxs []context.Context
		rec := &ctxAlarm{bell: newBell(), seen: &ctxs}
		a := New(Params{Store: &fakeStore{}, Alarm: rec, Ring: func(time.Time) func(page.Page, bool) Ring { return func(page.Page, bool) Ring { return RingRepeat } }})
		stop := start(a)
		loudBatch(a, 1)
		stop()
		if len(ctxs) != 1 || ctxs[0].Err() == nil {
			t.Fatalf("ring contexts %v: want one, ended with Run", ctxs)
		}
	})
}

type ctxAlarm struct {
	*bell
	seen *[]context.Context
}

func (c *ctxAlarm) Ring(ctx context.Context, key string, every time.Duration) {
	*c.seen = append(*c.seen, ctx)
	c.bell.Ring(ctx, key, every)
}

var _ Notifier = (*notify.Desktop)(nil)

// TestLowUrgencyIsANormalBubble: a low-urgency page the policy lets
// through is a normal bubble that may expire, still with the page actions;
// a summary of low-urgency pages only is normal too.
func TestLowUrgencyIsANormalBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out := &sink{}
		a := New(Params{Store: &fakeStore{}, Notifier: out})
		defer start(a)()
		low := pg(0)
		low.Urgency = page.UrgencyLow
		a.Page(context.Background(), low, loud)
		time.Sleep(DefaultBatch)
		synctest.Wait()
		got := out.list()
		if len(got) != 1 || got[0].loud || !slices.Equal(got[0].actions, []string{"ack", "look", "open"}) {
			t.Fatalf("a low-urgency page gave %+v", got)
		}
		for i := range MaxSeparate + 1 {
			p := pg(10 + i)
			p.Urgency = page.UrgencyLow
			a.Page(context.Background(), p, loud)
		}
		time.Sleep(DefaultBatch)
		synctest.Wait()
		if got := out.list()[1:]; len(got) != 1 || got[0].key != SummaryKey || got[0].loud {
			t.Fatalf("a summary of low-urgency pages gave %+v", got)
		}
	})
}
