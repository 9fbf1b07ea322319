// Package trayhost finds out, before any tray code runs, whether the
// desktop can show a tray icon at all.
//
// On Linux and the BSDs a tray icon is a StatusNotifierItem on the D-Bus
// session bus, shown only when a StatusNotifierWatcher (KDE, GNOME's
// AppIndicator extension, waybar…) owns its name. Measured with Fyne 2.7.1:
// with no session bus the systray code panics on quit (it closes a nil
// connection), and with no bus but dbus-launch present every start leaves a
// stray dbus-daemon behind. So Standby probes first, never autolaunches a
// bus, and does not start the tray when there is no bus.
package trayhost

// Result says whether a tray icon can be shown, and if not, why in words.
type Result struct {
	// Bus is true when a D-Bus session bus is reachable (always true on
	// macOS and Windows, which need none).
	Bus bool
	// Host is true when something will display the icon.
	Host bool
	// Reason explains a missing tray to the user; "" when Host is true.
	Reason string
}

// TrayUsable reports whether the tray should be started: it needs a bus;
// with a bus but no host yet, the icon appears when a host starts later.
func (r Result) TrayUsable() bool { return r.Bus }
