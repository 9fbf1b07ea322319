package app

import (
	"io"
	"time"
)

// GUIOptions is what the desktop app needs to start: the service's options,
// an optional time limit and where to say "ready". The CLI fills it and the
// UI (injected by cmd/standby) reads it, so neither imports the other.
type GUIOptions struct {
	App       Options
	ExitAfter time.Duration
	// Background starts in the tray without showing the window, where a
	// tray host exists (standby --background, run at login).
	Background bool
	Ready      io.Writer
}
