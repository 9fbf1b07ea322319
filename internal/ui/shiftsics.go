package ui

import (
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// shiftsICSService writes my merged shifts as one calendar.
type shiftsICSService interface {
	WriteShiftsICS(w io.Writer, now, from, to time.Time) error
}

// shiftsICSDays is how far ahead the written calendar goes, as `standby
// shifts --ics` by default.
const shiftsICSDays = 90

// saveShiftsICS asks where to write my shifts as .ics and writes them
// off the UI goroutine; it says how it went in a dialog.
func (sh *shell) saveShiftsICS() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, sh.win)
			return
		}
		if w == nil {
			return // cancelled
		}
		go func() {
			msg, err := writeShiftsICS(sh.svc, w, time.Now())
			fyne.Do(func() {
				if err != nil {
					dialog.ShowError(err, sh.win)
					return
				}
				dialog.ShowInformation("My shifts", msg, sh.win)
			})
		}()
	}, sh.win)
	d.SetFileName("my-oncall.ics")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".ics"}))
	d.Show()
}

// writeShiftsICS writes the next shiftsICSDays of my shifts to w and
// closes it.
func writeShiftsICS(svc shiftsICSService, w fyne.URIWriteCloser, now time.Time) (string, error) {
	err := svc.WriteShiftsICS(w, now, now, now.AddDate(0, 0, shiftsICSDays))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", w.URI().Name(), err)
	}
	return fmt.Sprintf("Wrote your shifts of the next %d days to %s. Import it into your calendar as \"my on-call\".", shiftsICSDays, w.URI().Path()), nil
}
