package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/memdump"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/trayhost"
	"github.com/standby-oncall/standby/internal/ui/viewmodel"
)

// shell owns the window, the tray and the tabs. It holds no I/O: it
// computes view-models off the UI goroutine and applies them with fyne.Do.
type shell struct {
	app  fyne.App
	win  fyne.Window
	svc  Service
	log  *slog.Logger
	tray trayhost.Result
	// waitHost returns nil once a tray host appears (trayhost.WaitHost;
	// nil: never waited for).
	waitHost func(context.Context) error
	desk     desktop.App       // nil when the tray is not used
	menu     *fyne.Menu        // the tray's menu, the same value from start to end
	trayVM   *viewmodel.TrayVM // what the tray shows now (nil: "Starting…")
	title    string            // the window's title as last set

	banners  *bannersView
	tabs     *container.AppTabs
	pages    *pagesView
	sources  *sourcesView
	quiet    *quietView
	settings *settingsView
	schedule *scheduleView
	report   *reportView

	// lazy are the tabs other than Pages, put in the window when first
	// shown.
	lazy lazyTabs

	// next is the newest view-model waiting for the UI goroutine.
	next latestVM

	readyOnce sync.Once
}

// lazyTabs are the window's tabs but Pages.
type lazyTabs struct {
	schedule, report, quiet, sources, settings *lazyTab
}

// tabShown puts a tab's view in the window the first time it is shown,
// and loads what is read only while a tab is shown: the report reads the
// history, and Settings the login entry, not every poll.
func (sh *shell) tabShown(it *container.TabItem) {
	for _, l := range []*lazyTab{sh.lazy.schedule, sh.lazy.report, sh.lazy.quiet, sh.lazy.sources, sh.lazy.settings} {
		if l.item == it && l.show() {
			sh.tabs.Refresh()
		}
	}
	switch it {
	case sh.lazy.report.item:
		sh.report.load(time.Now())
	case sh.lazy.settings.item:
		sh.settings.login.reload()
	}
}

// newShell builds the window and the tray on svc.
func newShell(a fyne.App, svc Service, tray trayhost.Result, log *slog.Logger) *shell {
	sh := openShell(a, tray, log)
	sh.attach(svc)
	return sh
}

// openShell makes the window and starts the tray before the service is
// open: the tray's start creates the first GL context (~0.2 s of the main
// thread with a software renderer), and the service opens meanwhile (Run).
// Nothing calls the service until attach, which comes before the app's
// loop runs.
func openShell(a fyne.App, tray trayhost.Result, log *slog.Logger) *shell {
	sh := &shell{app: a, log: log, tray: tray, waitHost: trayhost.WaitHost}
	sh.win = a.NewWindow("Standby")
	sh.win.Resize(fyne.NewSize(900, 620))
	sh.setupTray()
	return sh
}

// attach builds the views on svc and puts them in the window.
func (sh *shell) attach(svc Service) {
	sh.svc = svc
	sh.pages = newPagesView(sh.pageActions())
	sh.sources = newSourcesView(svc)
	sh.quiet = newQuietView(svc, sh.trayActions())
	sh.settings = newSettingsView(svc)
	sh.schedule = newScheduleView(svc)
	sh.report = newReportView(svc)
	sh.banners = newBannersView(sh.win)
	sh.lazy = lazyTabs{
		schedule: newLazyTab("Schedule", sh.schedule.root),
		report:   newLazyTab("Report", sh.report.root),
		quiet:    newLazyTab("Quiet hours", sh.quiet.root),
		sources:  newLazyTab("Sources", sh.sources.root),
		settings: newLazyTab("Settings", sh.settings.root),
	}
	sh.lazy.quiet.beforeShow(sh.quiet.prepare)
	sh.tabs = container.NewAppTabs(
		container.NewTabItem("Pages", sh.pages.root),
		sh.lazy.schedule.item, sh.lazy.report.item, sh.lazy.quiet.item, sh.lazy.sources.item, sh.lazy.settings.item,
	)
	sh.win.SetContent(container.NewBorder(sh.banners.root, nil, nil, nil, sh.tabs))
	sh.tabs.OnSelected = sh.tabShown
	sh.win.Canvas().SetOnTypedRune(func(r rune) {
		if sh.tabs.SelectedIndex() == 0 {
			sh.pages.key(r)
		}
	})
	sh.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if sh.tabs.SelectedIndex() != 0 {
			return
		}
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			sh.pages.key('\n')
		case fyne.KeyUp:
			sh.pages.move(-1)
		case fyne.KeyDown:
			sh.pages.move(1)
		}
	})
	sh.tabKeys()
	sh.addAfterPage()
}

// tabKeys makes Alt+1 … Alt+6 switch tabs, so every tab is reachable
// from the keyboard (Tab then moves through its controls).
func (sh *shell) tabKeys() {
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6}
	for i, k := range keys[:len(sh.tabs.Items)] {
		sh.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) {
			sh.tabs.SelectIndex(i)
		})
	}
}

// setupTray starts the tray only where a session bus exists (see
// trayhost); without a tray host, closing the window quits instead of
// hiding it, so the app never becomes unreachable.
func (sh *shell) setupTray() {
	if d, ok := sh.app.(desktop.App); ok && sh.tray.TrayUsable() {
		sh.desk = d
		// The menu must be set before the app's loop starts: Fyne starts
		// the systray only then, and a tray first set later is never
		// started and panics on quit (nil D-Bus connection).
		sh.menu = trayMenu(viewmodel.TrayVM{State: viewmodel.TrayIdle, Status: "Starting…"}, sh.trayActions())
		d.SetSystemTrayMenu(sh.menu)
		d.SetSystemTrayIcon(trayIcon(viewmodel.TrayIdle))
	}
	if sh.tray.Host {
		sh.win.SetCloseIntercept(sh.win.Hide)
	} else {
		sh.log.Warn("no tray", "reason", sh.tray.Reason)
	}
}

func (sh *shell) quit() { sh.app.Quit() }

// command handles a second start ("show") through the instance socket.
func (sh *shell) command(cmd string) error {
	switch cmd {
	case "show":
		fyne.Do(func() {
			sh.win.Show()
			sh.win.RequestFocus()
		})
		return nil
	default:
		if id, ok := app.ParseRingCommand(cmd); ok {
			// `standby ring ID`: "Ring me now" from the command line.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return sh.svc.RingNow(ctx, id)
		}
		if dir, ok := strings.CutPrefix(cmd, "heap "); ok {
			return memdump.Write(dir) // bench/app -heap
		}
		// "tab N" shows the window on its Nth tab (bench/app's screenshots).
		var n int
		if _, err := fmt.Sscanf(cmd, "tab %d", &n); err == nil && n >= 1 && n <= len(sh.tabs.Items) {
			fyne.Do(func() {
				sh.tabs.SelectIndex(n - 1)
				sh.win.Show()
			})
			return nil
		}
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// follow recomputes the view-models on every change and at every whole
// minute of the clock (relative times, quiet windows, lapsing claims),
// and applies them on the UI goroutine. It owns its copy of the tray
// probe's result and, while there is a bus but no host, the goroutine
// that waits for one.
func (sh *shell) follow(ctx context.Context, ready io.Writer) {
	changes, stop := sh.svc.Changes()
	defer stop()
	tick := time.NewTimer(untilNextMinute(time.Now()))
	defer tick.Stop()
	tray := sh.tray
	hostCame, stopWaiting := sh.waitForHost(ctx, tray)
	defer stopWaiting()
	// "ready" means the window shows real data: every source answered
	// once, or 3 s passed (a slow source then shows as connecting).
	readyBy := time.Now().Add(3 * time.Second)
	// Without this timer the 3 s bound held only if something else
	// changed: a first poll that takes long (a slow source, or 500 new
	// pages notified one by one before cbdcfd5) kept the window on its
	// first snapshot, and "ready" unsaid, until it ended (15 s seen).
	readyTimer := time.NewTimer(time.Until(readyBy))
	defer readyTimer.Stop()
	var last *allVM
	var trim trimmer
	said, collected := false, false
	for {
		now := time.Now()
		vm, snap := sh.compute(ctx, now, tray)
		isReady := polled(snap) || now.After(readyBy)
		// Most polls change nothing the user can see: then the window is
		// left alone (re-laying out every tab costs more than the poll).
		if last == nil || !reflect.DeepEqual(*last, vm) || (isReady && !said) {
			last, said = &vm, said || isReady
			if said {
				// Said: the 3 s bound has nothing left to do, and its
				// firing would recompute for nothing.
				readyTimer.Stop()
			}
			if sh.next.offer(vm, isReady) {
				fyne.Do(func() { sh.applyLatest(ready) })
			}
			if !collected {
				collected = true
				collectStartup()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-changes:
		case now := <-tick.C:
			trim.due(now)
			tick.Reset(untilNextMinute(time.Now()))
		case <-readyTimer.C:
		case err := <-hostCame:
			hostCame = nil
			if err != nil {
				sh.log.Info("no longer waiting for a tray host", "err", err)
				continue
			}
			tray = trayhost.Result{Bus: true, Host: true}
			fyne.Do(func() { sh.trayAppeared(tray) })
		}
	}
}

// untilNextMinute is the wait from now to the clock's next whole minute.
// The views say ages and times to the minute ("3 min ago", quiet until
// 07:00), so they are recomputed then, all at once: one redraw a minute
// at idle instead of one per 30 s (each redraw of the window is ~30 ms of
// CPU in software GL, measured with 500 pages). A label is at most a
// minute behind, as on a watch that shows minutes.
func untilNextMinute(now time.Time) time.Duration {
	return now.Truncate(time.Minute).Add(time.Minute).Sub(now)
}

// applyLatest applies the newest view-model the follow loop offered, and
// says "standby: ready" after the first that shows real data. It runs on
// the UI goroutine.
func (sh *shell) applyLatest(ready io.Writer) {
	vm, isReady, ok := sh.next.take()
	if !ok {
		return
	}
	sh.apply(vm)
	if isReady {
		sh.readyOnce.Do(func() {
			fmt.Fprintln(ready, "standby: ready")
			idle()
		})
	}
}

// waitForHost starts the goroutine that waits for a tray host when there
// is a bus without one; its answer comes on the channel (nil: no wait).
// stop ends the wait and returns once the goroutine has.
func (sh *shell) waitForHost(ctx context.Context, tray trayhost.Result) (came <-chan error, stop func()) {
	if tray.Host || !tray.Bus || sh.waitHost == nil {
		return nil, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ch <- sh.waitHost(ctx)
	}()
	return ch, func() { cancel(); <-done }
}

// trayAppeared switches to the tray: closing the window hides it again.
func (sh *shell) trayAppeared(r trayhost.Result) {
	sh.tray = r
	sh.win.SetCloseIntercept(sh.win.Hide)
}

// compute builds every view-model for one instant, and returns the
// snapshot it read; it runs off the UI goroutine.
func (sh *shell) compute(ctx context.Context, now time.Time, tray trayhost.Result) (allVM, app.Snapshot) {
	snap := sh.svc.Snapshot(ctx, now)
	loc := sh.svc.Location()
	vm := computeAll(snap, loc)
	vm.schedule = viewmodel.Schedule(sh.svc.Schedule(now, now, now.AddDate(0, 0, 90)), now, loc)
	if log, err := sh.svc.RecentDecisions(ctx, now.Add(-24*time.Hour), 50); err == nil {
		vm.quiet.Log = viewmodel.DecisionLog(log, loc)
	}
	if !tray.Host {
		vm.banners = append(slices.Clip(vm.banners), app.Banner{Level: "warning", Text: "No tray icon: " + tray.Reason + ". Closing this window quits Standby."})
	}
	return vm, snap
}

func polled(s app.Snapshot) bool {
	for _, src := range s.Sources {
		if src.LastAttempt.IsZero() {
			return false
		}
	}
	return true
}

// allVM is everything computed for one snapshot.
type allVM struct {
	pages    viewmodel.PagesVM
	tray     viewmodel.TrayVM
	sources  []viewmodel.SourceRow
	team     viewmodel.TeamVM
	quiet    viewmodel.QuietVM
	schedule viewmodel.ScheduleVM
	banners  []app.Banner
}

func computeAll(s app.Snapshot, loc *time.Location) allVM {
	return allVM{
		pages:   viewmodel.Pages(s),
		tray:    viewmodel.Tray(s, loc),
		sources: viewmodel.Sources(s),
		team:    viewmodel.Team(s),
		quiet:   viewmodel.Quiet(s),
		banners: s.Banners,
	}
}

func (sh *shell) apply(vm allVM) {
	sh.pages.apply(vm.pages)
	sh.lazy.sources.apply(func() {
		sh.sources.apply(vm.sources)
		sh.sources.applyTeam(vm.team)
	})
	sh.lazy.quiet.apply(func() { sh.quiet.apply(vm.quiet) })
	sh.lazy.schedule.apply(func() { sh.schedule.apply(vm.schedule) })
	sh.banners.apply(vm.banners)
	title := "Standby"
	if vm.pages.Waiting > 0 {
		title = fmt.Sprintf("Standby — %d waiting", vm.pages.Waiting)
	}
	if title != sh.title {
		sh.title = title
		sh.win.SetTitle(title)
	}
	// Refreshing the tabs re-themes every tab's content, down to the
	// Quiet hours tab's one-line-per-page label: ~7 % of a core at idle
	// with 500 pages when done on every poll. Only a new count needs it.
	if tab := fmt.Sprintf("Pages (%d)", len(vm.pages.Rows)); sh.tabs.Items[0].Text != tab {
		sh.tabs.Items[0].Text = tab
		sh.tabs.Refresh()
	}
	if sh.desk != nil && (sh.trayVM == nil || !reflect.DeepEqual(*sh.trayVM, vm.tray)) {
		// Only when the tray's own view-model changed: Fyne rebuilds the
		// menu item by item on the bus, so a panel reading it meanwhile
		// sees part of it.
		if sh.trayVM == nil || sh.trayVM.State != vm.tray.State {
			sh.desk.SetSystemTrayIcon(trayIcon(vm.tray.State)) // re-encoded and sent on the bus
		}
		sh.trayVM = &vm.tray
		// Always the first menu, with new items: once the tray is
		// registered on the bus, Fyne (2.7) shows the menu it was first
		// given again, and a newer menu set before that was lost (the
		// tray said "Starting…" until the next change).
		sh.menu.Items = trayMenu(vm.tray, sh.trayActions()).Items
		sh.desk.SetSystemTrayMenu(sh.menu)
	}
}

// background runs f off the UI goroutine and shows its error in a dialog.
func (sh *shell) background(what string, f func(ctx context.Context) error) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := f(ctx)
		if errors.Is(err, app.ErrQueued) {
			// Not a failure: the page shows the action as queued, as the
			// CLI says "queued".
			sh.log.Info(what+" queued", "err", err)
			return
		}
		if err != nil {
			sh.log.Warn(what+" failed", "err", err)
			fyne.Do(func() { dialog.ShowError(fmt.Errorf("%s: %w", what, err), sh.win) })
		}
	}()
}

func (sh *shell) pageActions() PageActions {
	return PageActions{
		Ack: func(id page.ID) { sh.background("Ack", func(ctx context.Context) error { return sh.svc.Ack(ctx, id) }) },
		Unack: func(id page.ID) {
			sh.background("Un-ack", func(ctx context.Context) error { return sh.svc.Unack(ctx, id) })
		},
		Resolve: func(id page.ID) {
			sh.background("Resolve", func(ctx context.Context) error { return sh.svc.Resolve(ctx, id) })
		},
		Look: func(id page.ID) {
			sh.background("I'm looking", func(ctx context.Context) error {
				_, err := sh.svc.Look(ctx, id, time.Now())
				return err
			})
		},
		Release: func(id page.ID) {
			sh.background("Stop looking", func(ctx context.Context) error { return sh.svc.Release(ctx, id) })
		},
		Open: func(u *url.URL) {
			if err := sh.app.OpenURL(u); err != nil {
				dialog.ShowError(err, sh.win)
			}
		},
		Silence:  func() { sh.svc.SilenceAlarm() },
		Incident: sh.incidentAction,
		RingNow: func(id page.ID) {
			sh.background("Ring me now", func(ctx context.Context) error { return sh.svc.RingNow(ctx, id) })
		},
	}
}

func (sh *shell) trayActions() TrayActions {
	pa := sh.pageActions()
	show := func() {
		sh.win.Show()
		sh.win.RequestFocus()
	}
	return TrayActions{
		Open:     show,
		OpenPage: func(page.ID) { show(); sh.tabs.SelectIndex(0) },
		Ack:      pa.Ack,
		Look:     pa.Look,
		QuietHour: func() {
			sh.background("Quiet", func(ctx context.Context) error { return sh.svc.QuietFor(ctx, time.Hour, time.Now()) })
		},
		QuietNight: func() {
			sh.background("Quiet", func(ctx context.Context) error {
				now := time.Now()
				return sh.svc.QuietUntil(ctx, app.NextMorning(now, sh.svc.Location()), now)
			})
		},
		Resume: func() {
			sh.background("Resume", func(ctx context.Context) error { return sh.svc.QuietOff(ctx, time.Now()) })
		},
		Silence:  func() { sh.svc.SilenceAlarm() },
		Incident: sh.incidentAction,
		Quit:     sh.quit,
	}
}
