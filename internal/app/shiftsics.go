package app

import (
	"io"
	"time"

	"github.com/standby-oncall/standby/internal/schedule/export"
)

// WriteShiftsICS writes my shifts in [from, to), merged across all feeds,
// as one iCalendar file in my zone ("my on-call"), for `standby shifts
// --ics` and the Schedule tab's export button. now stamps the events.
// A stale feed still contributes its last good copy.
func (s *Service) WriteShiftsICS(w io.Writer, now, from, to time.Time) error {
	v := s.Schedule(now, from, to)
	return export.ICS(w, v.Shifts, s.Location(), now)
}
