// Command floor is the bare Fyne peer of bench/app: the least a Fyne tray
// app with Standby's shape costs. It opens one 900×620 window with five
// tabs (each a label) and a tray menu, prints "floor: ready" once the
// window is shown, and quits after --exit-after, exactly as standby does.
// Whatever standby uses above this floor is Standby's own cost.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/memdump"
)

func main() {
	exitAfter := flag.Duration("exit-after", 0, "quit after this long (0: run until closed)")
	heapDir := flag.String("heap", "", "on SIGUSR1, write a heap profile and the runtime's memory classes into this directory (bench/app -heap)")
	flag.Parse()
	if *heapDir != "" {
		dumpOnSignal(*heapDir)
	}

	a := app.NewWithID("dev.standby.BenchFloor")
	w := a.NewWindow("Floor")
	w.Resize(fyne.NewSize(900, 620))
	tab := func(name string) *container.TabItem {
		return container.NewTabItem(name, widget.NewLabel(name))
	}
	w.SetContent(container.NewAppTabs(tab("Pages"), tab("Schedule"), tab("Report"), tab("Quiet hours"), tab("Sources"), tab("Settings")))
	if d, ok := a.(desktop.App); ok {
		// As in Standby: the menu is set before the loop starts, or Fyne
		// never starts the systray.
		d.SetSystemTrayMenu(fyne.NewMenu("Floor",
			fyne.NewMenuItem("Open", func() { w.Show() }),
			fyne.NewMenuItem("Quiet for 1 hour", func() {}),
		))
	}
	a.Lifecycle().SetOnStarted(func() {
		// Runs on the UI goroutine once the driver is up; the queued
		// function runs after the window's creation, as Standby's
		// "ready" runs after its first view-model is applied.
		go fyne.Do(func() { fmt.Fprintln(os.Stdout, "floor: ready") })
	})
	if *exitAfter > 0 {
		time.AfterFunc(*exitAfter, func() { fyne.Do(a.Quit) })
	}
	w.ShowAndRun()
}

// dumpOnSignal writes the memory dump into dir on each SIGUSR1, as standby
// does on its instance socket's "heap DIR".
func dumpOnSignal(dir string) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	go func() {
		for range sig {
			if err := memdump.Write(dir); err != nil {
				fmt.Fprintln(os.Stderr, "floor:", err)
			}
		}
	}()
}
