package ui

import (
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/standby-oncall/standby/internal/memtrim"
)

// idleGCPercent is the collector's GOGC for the window: Standby idles in
// the tray for days with a live heap of ~25 MiB (mostly Fyne's parsed
// fonts) and allocates a few MiB a minute recomputing its views, so the
// default 100 lets the heap grow to twice that before each cycle. 25
// keeps it within a quarter: measured over 2.5 minutes of idling with 500
// pages, anonymous RSS 78.1 MiB on average with 25 against 81.3 with 50
// (and ~6 MiB more with 100); a cycle is ~5 ms, one or two a minute.
const idleGCPercent = 25

// tuneGC sets idleGCPercent unless the user set GOGC. It is called at
// ready: the start-up (fonts parsed, the first poll, every tab laid out)
// runs with the default, a lower percent there costs start-up time in
// collections (measured +0.3 s to ready with 500 pages).
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(idleGCPercent)
	}
}

// collectStartup runs one collection once the first view-model is
// computed, on the follow loop's goroutine while the main thread still
// makes the window's first frame (~0.25 s of GL with a software
// renderer). Until then the heap has only grown (the store, the first
// poll, the fonts), so the first apply's allocations (each row's buttons
// read their icons through buffers) all landed on pages never touched,
// and a page fault costs tens of microseconds in a VM: 20 to 40 % of
// that apply on the critical path to "ready" (perf). After the
// collection they reuse the start-up's garbage. Measured over 8 starts
// each with 500 pages: the Pages list's first apply 16.8 → 5.1 ms, the
// whole apply 29.8 → 18.3 ms; the collection takes ~9 ms on the other
// core.
func collectStartup() { runtime.GC() }

// idle is called once the window is ready: from then on Standby mostly
// waits, so it keeps less memory. It releases nothing itself: a release
// 2 s after ready (a forced collection and ~30 MiB handed back, ~18 ms
// of CPU) saved ~7 MiB for a minute, by which time the heap had grown
// back into it (anonymous RSS 72 → 77 MiB against a flat 79–80 without,
// three starts each with 500 pages, after collectStartup); the trimmer
// releases what the idle minutes leave (trimEvery).
func idle() {
	tuneGC()
}

// releaseMemory hands free memory back to the system: the Go heap's free
// spans (after a collection; the scavenger alone keeps ~10 % over the
// heap goal resident) and the C heap's free pages. ~15 ms of CPU with 500
// pages (perf).
func releaseMemory() {
	debug.FreeOSMemory()
	memtrim.Trim()
}

// trimEvery is how often free memory is handed back while Standby idles:
// Mesa's glyph textures for text that changes every minute (ages, the
// schedule's now line) are made and freed all day, and glibc keeps the
// freed pages resident (measured +3.7 MiB/h over an hour with a flat Go
// heap); the Go heap's free spans between its goal and its peak stay too
// (an idle soak held 7.5 MiB of them). Both cost ~15 ms of CPU every
// 5 minutes, 0.005 points.
const trimEvery = 5 * time.Minute

// trimmer calls releaseMemory at most every trimEvery; its owner is the
// goroutine that calls due.
type trimmer struct{ last time.Time }

// due releases memory when trimEvery passed since the last time (the
// first call only starts the clock).
func (t *trimmer) due(now time.Time) {
	switch {
	case t.last.IsZero():
		t.last = now
	case now.Sub(t.last) >= trimEvery:
		t.last = now
		releaseMemory()
	}
}

// setText sets l's text only when it changes: a label's SetText lays its
// text out again even when it is the same, and the views are re-applied
// whenever anything on screen changes.
func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}
