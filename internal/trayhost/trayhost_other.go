//go:build !(linux || freebsd || netbsd || openbsd)

package trayhost

import "context"

// DisableAutolaunch does nothing where D-Bus is not used.
func DisableAutolaunch() bool { return false }

// Probe reports the tray as available: macOS and Windows always have one.
func Probe() Result { return Result{Bus: true, Host: true} }

// Notifications reports notifications as available: macOS and Windows
// always have a notification centre.
func Notifications() (bool, string) { return true, "" }

// WaitHost returns nil at once: macOS and Windows always have a tray.
func WaitHost(context.Context) error { return nil }
