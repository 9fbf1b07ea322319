package app

// Tests of the application service on the demo source: no network, so each
// runs inside a testing/synctest bubble where the engine's goroutines and
// timers run on the bubble's fake clock (it starts at 2000-01-01 00:00 UTC).

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
)

// demoConfig has no quiet windows, so only ad-hoc quiet is quiet.
const demoConfig = `[user]
name = "alice"
email = "alice@example.com"
zone = "UTC"

[quiet]
on_call_high_breaks_through = true
on_call_low_deferred = true
not_on_call_deferred = true
`

// notification is one bubble sent to Options.Notifier.
type notification struct {
	key, title, body string
	loud             bool // critical and sticky
}

// recorder is a Notifier that records bubbles and fails while err is set.
type recorder struct {
	mu        sync.Mutex
	calls     []notification
	dismissed []string
	err       error
}

func (r *recorder) Send(n notify.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, notification{n.Key, n.Title, n.Body, n.Urgency == notify.Critical && n.Sticky})
	return r.err
}

func (r *recorder) Dismiss(key string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dismissed = append(r.dismissed, key)
	return nil
}

func (r *recorder) closed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.dismissed...)
}

func (r *recorder) setErr(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
}

func (r *recorder) list() []notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notification(nil), r.calls...)
}

// fixture is a demo service on temp paths.
type fixture struct {
	svc         *Service
	rec         *recorder
	cfg, state  string
	stopEngine  func()
	openOptions Options
}

// openDemo opens a demo service; call it inside a synctest bubble.
func openDemo(t *testing.T, configText string) *fixture {
	t.Helper()
	return openDemoWith(t, configText, nil)
}

// openDemoWith is openDemo with the options adjusted by edit (may be nil).
func openDemoWith(t *testing.T, configText string, edit func(*Options)) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{rec: &recorder{}, cfg: filepath.Join(dir, "config.toml"), state: filepath.Join(dir, "state.db")}
	if configText != "" {
		if err := os.WriteFile(f.cfg, []byte(configText), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f.openOptions = Options{ConfigPath: f.cfg, StatePath: f.state, Demo: true, Secrets: secrets.New("test"), Notifier: f.rec}
	if edit != nil {
		edit(&f.openOptions)
	}
	svc, err := Open(context.Background(), f.openOptions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	f.svc = svc
	return f
}

// start runs the engine until the test ends and waits for the first poll
// and its notifications.
func (f *fixture) start(t *testing.T) {
	t.Helper()
	f.stopEngine = sync.OnceFunc(f.svc.StartEngine(context.Background()))
	t.Cleanup(f.stopEngine)
	f.svc.WaitPolled(context.Background(), time.Minute)
	synctest.Wait()
	time.Sleep(loudBatch) // loud notifications are shown in batches
	synctest.Wait()
}

func mustView(t *testing.T, s Snapshot, id page.ID) PageView {
	t.Helper()
	v, ok := pageView(s, id)
	if !ok {
		t.Fatalf("snapshot lacks %s; has %v", id, idsOf(s))
	}
	return v
}

func idsOf(s Snapshot) []string {
	var out []string
	for _, p := range s.Pages {
		out = append(out, p.ID.String())
	}
	return out
}

// demoNextSeen is when the next demo page (every 75 s) has been polled
// (every 30 s) and its notification batch shown.
const demoNextSeen = 90*time.Second + loudBatch

var (
	demoHigh = page.ID{Source: DemoSourceName, Upstream: "demo-0000"} // critical
	demoLow  = page.ID{Source: DemoSourceName, Upstream: "demo-0001"} // warning
	demo2    = page.ID{Source: DemoSourceName, Upstream: "demo-0002"}
)

func TestSnapshotShowsDemoPagesWithDecisions(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		f := openDemo(t, demoConfig)
		f.start(t)
		snap := f.svc.Snapshot(context.Background(), time.Now())
		if !snap.Demo || snap.Me != "alice" {
			t.Fatalf("Demo %v Me %q", snap.Demo, snap.Me)
		}
		if len(snap.Pages) != 3 {
			t.Fatalf("%d demo pages at start, want 3: %v", len(snap.Pages), idsOf(snap))
		}
		for _, id := range []page.ID{demoHigh, demoLow, demo2} {
			v := mustView(t, snap, id)
			if v.Kind != "demo" || v.Status != page.StatusTriggered || v.Now.Level != quiet.Loud || v.Now.Reason != "Loud: outside quiet hours" {
				t.Errorf("%s: kind %q status %v decision %v %q", id, v.Kind, v.Status, v.Now.Level, v.Now.Reason)
			}
		}
		if len(snap.Banners) == 0 || !strings.HasPrefix(snap.Banners[0].Text, "Demo data") {
			t.Errorf("banners = %+v, want the demo banner first", snap.Banners)
		}
		if snap.NotifyErr != "" {
			t.Errorf("NotifyErr = %q with a working notifier", snap.NotifyErr)
		}
		// Each page was announced once: critical for high urgency, a
		// normal bubble for the low-urgency one.
		calls := f.rec.list()
		if len(calls) != 3 {
			t.Fatalf("%d notifications for 3 new loud pages: %+v", len(calls), calls)
		}
		for _, c := range calls {
			if c.loud != (c.key != demoLow.String()) || !strings.Contains(c.body, "via demo") {
				t.Errorf("notification %+v", c)
			}
		}
		// The next demo page arrives 75 s later and is announced too; the
		// old ones are not announced again.
		time.Sleep(demoNextSeen)
		synctest.Wait()
		if n := len(f.rec.list()); n != 4 {
			t.Errorf("%d notifications after one more page, want 4", n)
		}
		if got := len(f.svc.Snapshot(context.Background(), time.Now()).Pages); got != 4 {
			t.Errorf("%d pages after the next poll, want 4", got)
		}
	})
}

func TestAckAndLook(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		f := openDemo(t, demoConfig)
		f.start(t)
		ctx := context.Background()

		if err := f.svc.Ack(ctx, demoHigh); err != nil {
			t.Fatal(err)
		}
		v := mustView(t, f.svc.Snapshot(ctx, time.Now()), demoHigh)
		if v.Status != page.StatusAcknowledged || v.AckedBy != "alice" || v.Now.Level != quiet.Quiet || v.Now.Reason != "Quiet: acked by you" {
			t.Errorf("after Ack: status %v by %q, decision %v %q", v.Status, v.AckedBy, v.Now.Level, v.Now.Reason)
		}
		// The next poll confirms it from the source.
		time.Sleep(31 * time.Second)
		synctest.Wait()
		if v := mustView(t, f.svc.Snapshot(ctx, time.Now()), demoHigh); v.Status != page.StatusAcknowledged {
			t.Errorf("after a re-poll the ack is gone: %v", v.Status)
		}
		if err := f.svc.Ack(ctx, page.ID{Source: "nosuch", Upstream: "1"}); !errors.Is(err, errUnknownSource) {
			t.Errorf("Ack on an unknown source: %v", err)
		}

		now := time.Now()
		c, err := f.svc.Look(ctx, demoLow, now)
		if err != nil {
			t.Fatal(err)
		}
		if c.By != "alice" || c.Kind != page.ClaimLooking || !c.Expires.Equal(now.Add(defaultClaimTTL)) || c.Origin != page.OriginLocal {
			t.Errorf("claim = %+v", c)
		}
		v = mustView(t, f.svc.Snapshot(ctx, now), demoLow)
		if v.MyClaim == nil || v.MyClaim.By != "alice" {
			t.Errorf("MyClaim = %+v", v.MyClaim)
		}
		if v.Now.Level != quiet.Quiet || v.Now.Rule != quiet.RuleClaimedByMe || v.Now.Reason != "Quiet: you are looking" {
			t.Errorf("decision after Look = %+v", v.Now)
		}
		// The claim lapses after its TTL and the page is loud again.
		later := now.Add(defaultClaimTTL + time.Minute)
		v = mustView(t, f.svc.Snapshot(ctx, later), demoLow)
		if v.MyClaim != nil || v.Now.Level != quiet.Loud {
			t.Errorf("after the claim TTL: MyClaim %+v decision %+v", v.MyClaim, v.Now)
		}
		// Acking ends my claim.
		if err := f.svc.Ack(ctx, demoLow); err != nil {
			t.Fatal(err)
		}
		if v := mustView(t, f.svc.Snapshot(ctx, now), demoLow); v.MyClaim != nil {
			t.Errorf("claim survives my ack: %+v", v.MyClaim)
		}
	})
}

func TestQuietForDecisions(t *testing.T) {
	keyring.MockInit()
	for _, tc := range []struct {
		name      string
		onCall    bool
		high, low quiet.Level
		highRule  string
		lowRule   string
	}{
		{"not on call: everything waits", false, quiet.Deferred, quiet.Deferred, quiet.RuleNotOnCallDeferred, quiet.RuleNotOnCallDeferred},
		{"on call: high rings, low waits", true, quiet.Loud, quiet.Deferred, quiet.RuleOnCallHighBreaks, quiet.RuleOnCallLowDeferred},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := openDemo(t, demoConfig)
				f.start(t)
				ctx := context.Background()
				now := time.Now()
				f.svc.SetOnCall(func(time.Time) quiet.OnCall {
					return quiet.OnCall{OnCall: tc.onCall, Schedule: "Payments", Until: now.Add(24 * time.Hour)}
				})
				if err := f.svc.QuietFor(ctx, 2*time.Hour, now); err != nil {
					t.Fatal(err)
				}
				st := f.svc.Quiet(ctx, now)
				if !st.Quiet || !st.Until.Equal(now.Add(2*time.Hour)) || st.OnCall.OnCall != tc.onCall {
					t.Fatalf("Quiet = %+v", st)
				}
				snap := f.svc.Snapshot(ctx, now)
				for _, c := range []struct {
					id    page.ID
					level quiet.Level
					rule  string
				}{{demoHigh, tc.high, tc.highRule}, {demoLow, tc.low, tc.lowRule}} {
					d := mustView(t, snap, c.id).Now
					if d.Level != c.level || d.Rule != c.rule {
						t.Errorf("%s: decision %v (%s: %q), want %v (%s)", c.id, d.Level, d.Rule, d.Reason, c.level, c.rule)
					}
					if d.Level == quiet.Deferred && !d.Until.Equal(now.Add(2*time.Hour)) {
						t.Errorf("%s: deferred until %v, want the end of quiet %v", c.id, d.Until, now.Add(2*time.Hour))
					}
				}
				if err := f.svc.QuietOff(ctx, now); err != nil {
					t.Fatal(err)
				}
				if d := mustView(t, f.svc.Snapshot(ctx, now), demoLow).Now; d.Level != quiet.Loud {
					t.Errorf("after QuietOff: %+v", d)
				}
				if err := f.svc.QuietFor(ctx, 0, now); err == nil {
					t.Error("QuietFor(0) accepted")
				}
			})
		})
	}
}

func TestNotificationFailureBanner(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		f := openDemo(t, demoConfig)
		f.rec.setErr(errors.New("org.freedesktop.Notifications was not provided"))
		f.start(t)
		snap := f.svc.Snapshot(context.Background(), time.Now())
		if !strings.Contains(snap.NotifyErr, "org.freedesktop.Notifications") {
			t.Fatalf("NotifyErr = %q", snap.NotifyErr)
		}
		if !hasBanner(snap, "error", "Desktop notifications are failing") {
			t.Fatalf("no error banner: %+v", snap.Banners)
		}
		// Delivery works again for the next page: the banner goes.
		f.rec.setErr(nil)
		time.Sleep(demoNextSeen)
		synctest.Wait()
		snap = f.svc.Snapshot(context.Background(), time.Now())
		if snap.NotifyErr != "" || hasBanner(snap, "error", "Desktop notifications") {
			t.Errorf("after a delivered notification: NotifyErr %q banners %+v", snap.NotifyErr, snap.Banners)
		}
	})
}

func hasBanner(s Snapshot, level, prefix string) bool {
	for _, b := range s.Banners {
		if b.Level == level && strings.HasPrefix(b.Text, prefix) {
			return true
		}
	}
	return false
}

func TestUpdateConfig(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		f := openDemo(t, demoConfig)
		dir := filepath.Dir(f.cfg)
		before, _ := os.ReadFile(f.cfg)

		// A failing edit and an invalid result change nothing.
		if err := f.svc.UpdateConfig(func(c *config.Config) error { c.User.Name = "x"; return errors.New("no") }); err == nil {
			t.Error("a failing edit was saved")
		}
		err := f.svc.UpdateConfig(func(c *config.Config) error { c.User.Zone = "Mars/Olympus"; return nil })
		if err == nil || !strings.Contains(err.Error(), "user.zone") {
			t.Errorf("an invalid zone: %v", err)
		}
		if after, _ := os.ReadFile(f.cfg); string(after) != string(before) || f.svc.Me() != "alice" || f.svc.Location().String() != "UTC" {
			t.Fatalf("a refused change reached the file or the live config")
		}

		called := false
		if err := f.svc.UpdateConfig(func(c *config.Config) error { c.User.Name = "bob"; return nil }, func() { called = true }); err != nil {
			t.Fatal(err)
		}
		if !called || f.svc.Me() != "bob" {
			t.Errorf("after a good change: after-func called %v, Me %q", called, f.svc.Me())
		}
		res, err := config.Load(f.cfg)
		if err != nil || res.Config.User.Name != "bob" || res.Config.User.Email != "alice@example.com" {
			t.Errorf("reloaded: %+v, %v", res.Config.User, err)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".config-") {
				t.Errorf("temporary file left behind: %s", e.Name())
			}
		}
	})
}

func TestUpdateConfigRefusesBrokenFile(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		const broken = "[user]\nname = \"alice\"\nnickname = \"al\"\n"
		f := openDemo(t, broken)
		if err := f.svc.ConfigErr(); err == nil || !strings.Contains(err.Error(), `line 3: unknown key "user.nickname"`) {
			t.Fatalf("ConfigErr = %v", err)
		}
		if f.svc.Me() != "you" {
			t.Errorf("Me on defaults = %q", f.svc.Me())
		}
		if !hasBanner(f.svc.Snapshot(context.Background(), time.Now()), "error", "Your configuration could not be read") {
			t.Error("no banner for the broken file")
		}
		err := f.svc.UpdateConfig(func(c *config.Config) error { c.User.Name = "alice"; return nil })
		if err == nil || !strings.Contains(err.Error(), "not saving") {
			t.Errorf("UpdateConfig on a broken file: %v", err)
		}
		err = f.svc.AddSource(context.Background(), config.Source{Name: "pd", Kind: "pagerduty", URL: "https://api.pagerduty.com"}, "tok-123")
		if err == nil {
			t.Error("AddSource on a broken file succeeded")
		}
		if _, kerr := keyring.Get("test", secrets.SourceKey("pd")); kerr == nil {
			t.Error("AddSource stored the token although it refused to save the source")
		}
		if err := f.svc.AddFeed(context.Background(), "cal", "https://example.com/private/tok/feed.ics", "all"); err == nil {
			t.Error("AddFeed on a broken file succeeded")
		}
		if _, kerr := keyring.Get("test", secrets.FeedKey("cal")); kerr == nil {
			t.Error("AddFeed stored the URL although it refused to save the feed")
		}
		if got, _ := os.ReadFile(f.cfg); string(got) != broken {
			t.Errorf("the broken file was changed:\n%s", got)
		}
	})
}

func TestDigestDeliveredOnce(t *testing.T) {
	keyring.MockInit()
	synctest.Test(t, func(t *testing.T) {
		f := openDemo(t, demoConfig)
		ctx := context.Background()
		start := time.Now()
		if err := f.svc.QuietFor(ctx, time.Hour, start); err != nil {
			t.Fatal(err)
		}
		f.start(t) // not on call, quiet: the 3 pages are deferred, not rung
		if calls := f.rec.list(); len(calls) != 0 {
			t.Fatalf("notifications in quiet hours while not on call: %+v", calls)
		}
		for _, p := range f.svc.Snapshot(ctx, start).Pages {
			if p.Now.Level != quiet.Deferred {
				t.Errorf("%s: %+v", p.ID, p.Now)
			}
		}

		f.svc.deliverDigest(ctx, start.Add(30*time.Minute)) // still quiet
		if calls := f.rec.list(); len(calls) != 0 {
			t.Fatalf("digest during quiet hours: %+v", calls)
		}

		end := start.Add(time.Hour + time.Minute)
		f.svc.deliverDigest(ctx, end)
		calls := f.rec.list()
		if len(calls) != 1 || calls[0].loud {
			t.Fatalf("after quiet: %d notifications, want one silent digest: %+v", len(calls), calls)
		}
		for _, title := range []string{"HighErrorRate", "DiskWillFillIn4Hours", "CheckoutLatencyP99"} {
			if !strings.Contains(calls[0].title+calls[0].body, title) {
				t.Errorf("digest lacks %q:\n%s\n%s", title, calls[0].title, calls[0].body)
			}
		}
		f.svc.deliverDigest(ctx, end)
		f.svc.deliverDigest(ctx, end.Add(time.Hour))
		if n := len(f.rec.list()); n != 1 {
			t.Fatalf("the digest was delivered %d times", n)
		}

		// Also not after a restart: delivery is recorded in the store.
		f.stopEngine()
		f.svc.Close()
		again, err := Open(ctx, f.openOptions)
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		again.deliverDigest(ctx, end.Add(2*time.Hour))
		if n := len(f.rec.list()); n != 1 {
			t.Fatalf("the digest was delivered again after a restart (%d)", n)
		}
	})
}
