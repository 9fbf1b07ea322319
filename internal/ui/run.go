// Package ui is all of Standby's Fyne code: the tray, the window and its
// tabs. Views apply view-models computed in ui/viewmodel; every action goes
// through the application service (internal/app), the same code path as the
// CLI. Nothing here talks to the network, the keyring or the disk on the UI
// goroutine.
package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/standby-oncall/standby/assets"
	"github.com/standby-oncall/standby/internal/alarm"
	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/appid"
	"github.com/standby-oncall/standby/internal/instance"
	"github.com/standby-oncall/standby/internal/logging"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/trayhost"
)

// Run starts the desktop app and blocks until it quits.
func Run(opts app.GUIOptions) error {
	tray := trayhost.Probe() // before any D-Bus user: it also disables autolaunch
	sock, err := instance.DefaultPath()
	if err != nil {
		return err
	}
	ln, err := instance.Acquire(sock, "show")
	if errors.Is(err, instance.ErrRunning) {
		fmt.Fprintln(opts.Ready, "Standby is already running; its window was brought to the front.")
		return nil
	}
	if err != nil {
		return err
	}
	defer ln.Close()

	log, closeLog := openLog()
	defer closeLog()
	opts.App.Logger = log

	a := fyneapp.NewWithID(appid.ID)
	declareFyneDo(a)
	a.SetIcon(fyne.NewStaticResource("standby.png", assets.AppIconPNG))
	// Follows the system's light or dark setting (FYNE_THEME overrides).
	a.Settings().SetTheme(newTheme())
	fontsParsed := warmFonts()
	// Both are closed after the service (deferred first): nothing rings or
	// pops up once it stopped.
	desk := notify.NewDesktop(appid.Name, assets.AppIconPNG, fyneFallback(a))
	defer desk.Close()
	var opened atomic.Pointer[app.Service] // set once the service is open
	player := alarm.New(alarm.DefaultSink(), alarm.Options{OnError: func(err error) {
		log.Error("the alarm cannot be heard", "err", err)
		if svc := opened.Load(); svc != nil {
			svc.AlarmFailed(err)
		}
	}})
	defer player.Close()
	opts.App.Notifier, opts.App.Alarm = desk, player

	return runWindow(opts, a, tray, ln, desk, fontsParsed, &opened)
}

// runWindow opens and runs the service while the window and the tray are
// made, builds the views once the fonts are parsed, and runs the app until
// it quits.
func runWindow(opts app.GUIOptions, a fyne.App, tray trayhost.Result, ln *instance.Listener, desk *notify.Desktop, fontsParsed func(), openedSvc *atomic.Pointer[app.Service]) error {
	log := opts.App.Logger
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The service opens (store, config, keyring) and polls on the other
	// core while the main thread makes the window and the tray (their GL
	// contexts take ~0.25 s of it with a software renderer): with 500 demo
	// pages the first poll is then in before the views are built (~0.3 s
	// after start), where it came ~0.2 s later when it waited for them.
	var sh *shell // set before the app's loop runs; read on the UI goroutine only
	opened := make(chan openResult, 1)
	go func() {
		svc, err := app.Open(ctx, opts.App)
		if err != nil {
			opened <- openResult{err: err}
			return
		}
		openedSvc.Store(svc)
		svc.OnOpen(func(id page.ID) { fyne.Do(func() { sh.showPage(id) }) })
		desk.OnAction(svc.NotificationAction)
		opened <- openResult{svc: svc}
		// Ends with ctx or svc.Close, both deferred by runWindow.
		if err := svc.Run(ctx); err != nil {
			log.Error("service stopped", "err", err)
		}
	}()
	sh = openShell(a, tray, log)
	o := <-opened
	if o.err != nil {
		return o.err
	}
	svc := o.svc
	defer svc.Close()
	fontsParsed()
	sh.attach(svc)
	go func() {
		if err := ln.Serve(ctx, sh.command); err != nil {
			log.Error("instance socket stopped", "err", err)
		}
	}()
	go sh.follow(ctx, opts.Ready)
	if opts.ExitAfter > 0 {
		time.AfterFunc(opts.ExitAfter, func() {
			fyne.Do(sh.quit)
		})
	}
	if opts.Background && tray.Host {
		a.Run() // in the tray; the window opens from the tray or a second start
		return nil
	}
	sh.win.ShowAndRun()
	return nil
}

// openResult is app.Open's answer, from the goroutine that opens the
// service while the window is made.
type openResult struct {
	svc *app.Service
	err error
}

// fyneFallback returns Fyne's notification as a fallback where it is more
// than a second try of the same D-Bus call (macOS, Windows). On Linux both
// use the same bus, and Fyne only logs failures, so it would hide errors.
func fyneFallback(a fyne.App) func(title, body string) error {
	if runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd" || runtime.GOOS == "netbsd" {
		return nil
	}
	return func(title, body string) error {
		a.SendNotification(fyne.NewNotification(title, body))
		return nil
	}
}

func openLog() (*slog.Logger, func()) {
	dir, err := logging.Dir()
	if err == nil {
		log, c, err := logging.Open(dir, slog.LevelInfo)
		if err == nil {
			return log, func() { c.Close() }
		}
	}
	return logging.New(os.Stderr, slog.LevelWarn), func() {}
}

// showPage shows the window on the Pages tab with id selected (a bubble's
// Open); a zero id (the "N new pages" summary) shows the tab alone.
func (sh *shell) showPage(id page.ID) {
	sh.win.Show()
	sh.win.RequestFocus()
	sh.tabs.SelectIndex(0)
	if i, ok := sh.pages.index(id); ok {
		sh.pages.list.Select(i)
	}
}

// declareFyneDo tells Fyne that every UI call from another goroutine goes
// through fyne.Do (the "fyneDo" migration of Fyne 2.6), before anything is
// drawn. Without it Fyne checks the calling goroutine on every Refresh by
// formatting a stack trace (runtime.Stack): perf put it at about a tenth of
// the CPU an idle standby spends on a new page with 500 rows. A run with
// the checks on (traffic every 2 s, acks and claims from the CLI) logged no
// call from the wrong goroutine.
func declareFyneDo(a fyne.App) {
	m := a.Metadata()
	mig := make(map[string]bool, len(m.Migrations)+1)
	for k, v := range m.Migrations {
		mig[k] = v
	}
	mig["fyneDo"] = true
	m.Migrations = mig
	fyneapp.SetMetadata(m)
}
