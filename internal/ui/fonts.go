package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// warmFonts parses the fonts the views measure their text with (the
// theme's regular and bold faces, the emoji font, the system fallback
// index) on another goroutine, while the main goroutine makes the window
// and the tray; the first text measured in the views did it on the main
// goroutine, ~40 ms on the way to "ready". Fyne's font caches are safe
// for concurrent use; a face is never shaped on two goroutines at once
// because the views are built only after wait returns.
func warmFonts() (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		size := theme.TextSize()
		for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
			fyne.MeasureText("Standby", size, style)
		}
	}()
	return func() { <-done }
}
