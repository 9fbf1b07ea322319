// Command standby is the Standby desktop app and its command line: with no
// subcommand it starts the tray app; every tray action is also a
// subcommand (see `standby --help`).
package main

import (
	"os"
	_ "time/tzdata" // zone names work where the OS has no zone database (Windows)

	"github.com/standby-oncall/standby/internal/cli"
	_ "github.com/standby-oncall/standby/internal/clocale" // before Fyne's init reads the locale
	"github.com/standby-oncall/standby/internal/ui"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{RunGUI: ui.Run}))
}
