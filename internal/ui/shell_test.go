package ui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/trayhost"
)

var noHost = trayhost.Result{Bus: true, Reason: "this desktop shows no tray icons"}

// startShell builds the shell on svc in a test app, runs its follow loop
// until the test ends, and waits for the first view-models.
func startShell(t *testing.T, svc *fakeService, tray trayhost.Result, waitHost func(context.Context) error) *shell {
	t.Helper()
	return startShellOn(t, test.NewTempApp(t), svc, tray, waitHost)
}

// startShellOn is startShell in the app a (a test app, or one wrapping it).
func startShellOn(t *testing.T, a fyne.App, svc *fakeService, tray trayhost.Result, waitHost func(context.Context) error) *shell {
	t.Helper()
	sh := newShell(a, svc, tray, slog.New(slog.DiscardHandler))
	sh.waitHost = waitHost
	t.Cleanup(sh.win.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		sh.follow(ctx, io.Discard)
	}()
	t.Cleanup(func() { cancel(); <-done })
	synctest.Wait()
	return sh
}

// bannerTexts returns the banner lines and the "N more" link's text.
func bannerTexts(sh *shell) (lines []string, more string) {
	for _, o := range sh.banners.root.Objects {
		for _, c := range test.LaidOutObjects(o) {
			switch w := c.(type) {
			case *lineText:
				lines = append(lines, w.Text)
			case *widget.Button:
				if w.Text != "" {
					more = w.Text
				}
			}
		}
	}
	return lines, more
}

func buttonWithText(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(root) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func TestShellBanners(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		demo := app.Banner{Level: "info", Text: "Demo data: made up."}
		notif := app.Banner{Level: "error", Text: "Desktop notifications are failing."}
		og := app.Banner{Level: "warning", Text: "Opsgenie moves to JSM."}
		svc := newFake()
		svc.snap = app.Snapshot{Banners: []app.Banner{demo, notif, og, notif}}
		hostStarts := make(chan struct{})
		sh := startShell(t, svc, noHost, func(ctx context.Context) error {
			select {
			case <-hostStarts:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})

		lines, more := bannerTexts(sh)
		if len(lines) != 2 || lines[0] != notif.Text || lines[1] != og.Text || more != "2 more" {
			t.Fatalf("banners %q, link %q; want the error, then a warning, then \"2 more\" (duplicate dropped)", lines, more)
		}
		test.Tap(buttonWithText(t, sh.banners.root, "2 more"))
		lines, more = bannerTexts(sh)
		if len(lines) != 4 || more != "Show fewer" || !strings.HasPrefix(lines[2], "No tray icon: ") || lines[3] != demo.Text {
			t.Fatalf("all banners %q, link %q", lines, more)
		}

		// The demo banner is dismissed; the error banner cannot be.
		rows := sh.banners.root.Objects
		closers := 0
		for _, o := range test.LaidOutObjects(rows[0]) {
			if b, ok := o.(*widget.Button); ok && b.Icon != nil && strings.Contains(b.Icon.Name(), "cancel") {
				closers++
			}
		}
		if closers != 0 {
			t.Fatal("the notification-failure banner can be dismissed")
		}
		var demoClose *widget.Button
		for _, o := range test.LaidOutObjects(rows[3]) {
			if b, ok := o.(*widget.Button); ok && b.Icon != nil && strings.Contains(b.Icon.Name(), "cancel") {
				demoClose = b
			}
		}
		if demoClose == nil {
			t.Fatal("the demo banner has no close button")
		}
		test.Tap(demoClose)
		lines, _ = bannerTexts(sh)
		if len(lines) != 3 || strings.Contains(strings.Join(lines, "|"), demo.Text) {
			t.Fatalf("after dismissing the demo banner: %q", lines)
		}

		// A tray host starts and the notification service comes back:
		// both banners leave without a restart.
		close(hostStarts)
		synctest.Wait()
		svc.mu.Lock()
		svc.snap.Banners = []app.Banner{demo, og}
		svc.mu.Unlock()
		svc.changes <- struct{}{}
		synctest.Wait()
		lines, more = bannerTexts(sh)
		if len(lines) != 1 || lines[0] != og.Text || more != "" {
			t.Fatalf("after the tray appeared and notifications came back: %q, link %q", lines, more)
		}
	})
}

// demoSnapshot returns n open pages like the demo's.
func demoSnapshot(n int, at time.Time) app.Snapshot {
	s := app.Snapshot{At: at, Me: "alice"}
	for i := range n {
		s.Pages = append(s.Pages, app.PageView{
			PageState: engine.PageState{Page: page.Page{
				ID:    page.ID{Source: "demo", Upstream: fmt.Sprintf("demo-%04d", i)},
				Title: fmt.Sprintf("HighErrorRate: 5xx above 5%% for 10m (%d)", i), Service: "payments-api",
				Severity: "critical", Urgency: page.UrgencyHigh, URL: "https://demo.standby.invalid/p",
				OpenedAt: at.Add(-time.Duration(i) * time.Minute),
			}},
			Now: quiet.Decision{Level: quiet.Loud, Reason: "Loud: outside quiet hours"},
		})
	}
	return s
}

// visibleRows counts the page rows wholly inside the list's viewport,
// walking the list's render tree with each object's offset.
func visibleRows(sh *shell) int {
	height := sh.pages.list.Size().Height
	n := 0
	var walk func(o fyne.CanvasObject, y float32)
	walk = func(o fyne.CanvasObject, y float32) {
		if !o.Visible() {
			return
		}
		y += o.Position().Y
		switch w := o.(type) {
		case *pageRowWidget:
			if y >= 0 && y+w.Size().Height <= height+0.5 {
				n++
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c, y)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c, y)
			}
		}
	}
	for _, c := range test.WidgetRenderer(sh.pages.list).Objects() {
		walk(c, 0)
	}
	return n
}

// Issue #16: at 1280×800 with 500 pages (and the demo and no-tray
// banners) at least 12 pages are visible at once.
func TestShellShowsTwelvePagesAt1280x800(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		svc.snap = demoSnapshot(500, time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC))
		svc.snap.Banners = []app.Banner{{Level: "info", Text: "Demo data: these pages and this calendar are made up."}}
		sh := startShell(t, svc, noHost, nil)
		fyne.CurrentApp().Settings().SetTheme(newTheme()) // the app's sizes, not the test theme's
		sh.win.Resize(fyne.NewSize(1280, 800))
		synctest.Wait()
		if got := sh.tabs.Items[0].Text; got != "Pages (500)" {
			t.Fatalf("tab %q", got)
		}
		n := visibleRows(sh)
		t.Logf("%d page rows visible at 1280×800", n)
		if n < 12 {
			t.Fatalf("%d page rows visible at 1280×800, want ≥ 12", n)
		}
	})
}

// Every tab is reachable from the keyboard, and the Pages keys work both
// with nothing focused (the window's handlers) and with the list focused.
func TestShellKeyboard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		svc.snap = demoSnapshot(3, time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC))
		sh := startShell(t, svc, trayhost.Result{Bus: true, Host: true}, nil)
		c := sh.win.Canvas()
		sc, ok := c.(interface{ TypedShortcut(fyne.Shortcut) })
		if !ok {
			t.Fatal("test canvas takes no shortcuts")
		}
		for i := range sh.tabs.Items {
			sc.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyName(fmt.Sprint(i + 1)), Modifier: fyne.KeyModifierAlt})
			synctest.Wait() // a tab shown loads in the background (Report, Team load); the test driver applies it there
			if sh.tabs.SelectedIndex() != i {
				t.Fatalf("Alt+%d selected tab %d", i+1, sh.tabs.SelectedIndex())
			}
		}
		sh.tabs.SelectIndex(0)

		// Nothing focused: the window's handlers.
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDown})
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDown})
		c.OnTypedRune()('a')
		synctest.Wait()
		calls, ids := svc.recorded()
		if len(calls) != 1 || calls[0] != "ack" || ids[0] != svc.snap.Pages[1].ID {
			t.Fatalf("Down Down a: %v %v, want ack of the second page", calls, ids)
		}

		// The list focused (Tab): the same keys.
		c.Focus(sh.pages.list)
		test.Type(sh.pages.list, "l")
		synctest.Wait() // each action runs in its own goroutine: let the look land before the ack
		sh.pages.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
		test.Type(sh.pages.list, "a")
		synctest.Wait()
		calls, ids = svc.recorded()
		if len(calls) != 3 || calls[1] != "look" || ids[1] != svc.snap.Pages[1].ID || calls[2] != "ack" || ids[2] != svc.snap.Pages[0].ID {
			t.Fatalf("focused list l, Up, a: %v %v", calls, ids)
		}
		test.Type(sh.pages.list, "/")
		if c.Focused() != sh.pages.search {
			t.Fatal("/ in the list does not move to the search box")
		}
	})
}

// A tab other than Pages is put in the window, and gets its view-model,
// only when first shown; from then on it follows every apply.
func TestTabsBeyondPagesWaitUntilShown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		svc := newFake()
		svc.snap = demoSnapshot(3, time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC))
		sh := startShell(t, svc, trayhost.Result{Bus: true, Host: true}, nil)
		quietTab := sh.tabs.Items[3]
		if quietTab.Text != "Quiet hours" || quietTab.Content == sh.quiet.root {
			t.Fatalf("tab %q holds its view before it was shown", quietTab.Text)
		}
		if sh.quiet.decisions.Text != "" {
			t.Errorf("the hidden Quiet tab was applied: %q", sh.quiet.decisions.Text)
		}
		sh.tabs.SelectIndex(3)
		if quietTab.Content != sh.quiet.root {
			t.Fatal("the Quiet tab shows no view once selected")
		}
		if !strings.HasPrefix(sh.quiet.zone.Text, "Times are in ") || !sh.quiet.save.Disabled() {
			t.Errorf("the Quiet tab's editor was not prepared: zone %q, Save disabled %v", sh.quiet.zone.Text, sh.quiet.save.Disabled())
		}
		if n := strings.Count(sh.quiet.decisions.Text, "\n") + 1; sh.quiet.decisions.Text == "" || n != 3 {
			t.Errorf("the Quiet tab shows %d decisions, want the 3 pages': %q", n, sh.quiet.decisions.Text)
		}
		// Shown once, it follows every change, also while another tab is up.
		sh.tabs.SelectIndex(0)
		svc.publish(demoSnapshot(5, svc.snap.At))
		synctest.Wait()
		if n := strings.Count(sh.quiet.decisions.Text, "\n") + 1; n != 5 {
			t.Errorf("after a change the Quiet tab shows %d decisions, want 5", n)
		}
	})
}

// The views are recomputed at every whole minute of the clock, all at
// once, and not in between without a change.
func TestShellRecomputesAtWholeMinutes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(20 * time.Second) // start off the minute: hh:mm:20
		start := time.Now()
		svc := newFake()
		svc.snap = demoSnapshot(3, start)
		startShell(t, svc, trayhost.Result{Bus: true, Host: true}, nil)
		computes := func() []time.Time {
			svc.mu.Lock()
			defer svc.mu.Unlock()
			return append([]time.Time(nil), svc.snapsAt...)
		}
		time.Sleep(5 * time.Second) // past the 3 s "ready" bound
		synctest.Wait()
		before := len(computes())
		if before != 1 {
			// Ready at the first (no source to wait for): the 3 s bound
			// must not recompute.
			t.Errorf("computed %d times in the first 5 s without a change, want once: %v", before, computes())
		}
		minute := start.Truncate(time.Minute).Add(time.Minute)
		time.Sleep(time.Until(minute) - time.Millisecond)
		synctest.Wait()
		if got := computes(); len(got) != before {
			t.Fatalf("recomputed at %v without a change, before the whole minute", got[before:])
		}
		for i := range 2 {
			time.Sleep(time.Until(minute.Add(time.Duration(i) * time.Minute)))
			synctest.Wait()
			got := computes()
			if len(got) != before+i+1 || !got[len(got)-1].Equal(minute.Add(time.Duration(i)*time.Minute)) {
				t.Fatalf("at %v: computes at %v, want one more at that minute", time.Now(), got[before:])
			}
		}
	})
}

// The follow loop runs one collection, after its first view-model, and
// none after later ones or at the whole minutes before the trimmer's
// first release (collectStartup, trimEvery).
func TestShellCollectsOnceAtStart(t *testing.T) {
	forced := func() uint32 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.NumForcedGC
	}
	synctest.Test(t, func(t *testing.T) {
		before := forced()
		svc := newFake()
		svc.snap = demoSnapshot(3, time.Now())
		startShell(t, svc, trayhost.Result{Bus: true, Host: true}, nil)
		if got := forced() - before; got != 1 {
			t.Fatalf("%d collections forced at start, want 1", got)
		}
		svc.publish(demoSnapshot(4, time.Now()))
		time.Sleep(time.Second)
		synctest.Wait()
		if got := forced() - before; got != 1 {
			t.Errorf("%d collections forced after a change, want still 1", got)
		}
		time.Sleep(2 * time.Minute) // two whole minutes
		synctest.Wait()
		if got := forced() - before; got != 1 {
			t.Errorf("%d collections forced after two minutes, want still 1", got)
		}
	})
}

func TestUntilNextMinute(t *testing.T) {
	at := time.Date(2026, 12, 4, 3, 7, 0, 0, time.FixedZone("UTC+5:30", 19800))
	for _, c := range []struct {
		now  time.Time
		want time.Duration
	}{
		{at, time.Minute},
		{at.Add(20 * time.Second), 40 * time.Second},
		{at.Add(59*time.Second + 999*time.Millisecond), time.Millisecond},
	} {
		if got := untilNextMinute(c.now); got != c.want {
			t.Errorf("untilNextMinute(%v) = %v, want %v", c.now, got, c.want)
		}
	}
}
