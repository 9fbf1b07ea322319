package app

import (
	"context"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/report"
	"github.com/standby-oncall/standby/internal/store"
)

// notifyRecorded is the engine's Notify, for the notifications at the end
// of a hold (and when a first notification could not be recorded with its
// mark): it writes the decision to the page history (rang, deferred…, and
// whether quiet hours ran, as the policy saw them in its pass), for the
// interruption report, then hands the page to alerting.
func (s *Service) notifyRecorded(ctx context.Context, p page.Page, d engine.Decision) {
	s.recordEvent(ctx, store.PageEvent{Page: p.ID, At: time.Now(), Kind: decisionKind(d.Level), Quiet: d.QuietHours})
	s.alert.Page(ctx, p, d)
}

// decisionKind names a decision level as the history records it.
func decisionKind(l engine.Level) string {
	switch l {
	case engine.Loud:
		return store.EventLoud
	case engine.Quiet:
		return store.EventQuiet
	case engine.Deferred:
		return store.EventDeferred
	case engine.Held:
		return store.EventHeld
	}
	return store.EventSuppressed
}

// recordEvent appends to the page history; a failure is logged, never in
// the way of the page itself.
func (s *Service) recordEvent(ctx context.Context, e store.PageEvent) {
	if err := s.db.RecordEvent(context.WithoutCancel(ctx), e); err != nil {
		s.log.Warn("page event not recorded", "page", e.Page.String(), "kind", e.Kind, "err", err)
	}
}

// Report computes my interruption report over the last weeks (the current
// one included) at now, from what the store recorded, for `standby report`
// and the Report tab.
func (s *Service) Report(ctx context.Context, now time.Time, weeks int) (report.Report, error) {
	in, err := s.reportInput(ctx, now, weeks)
	if err != nil {
		return report.Report{}, err
	}
	return report.Compute(in), nil
}

func (s *Service) reportInput(ctx context.Context, now time.Time, weeks int) (report.Input, error) {
	if weeks <= 0 {
		weeks = 4
	}
	loc := s.Location()
	from := now.AddDate(0, 0, -7*(weeks+1)) // a week more: weeks start on Monday
	since, err := s.db.EventsSince(ctx)
	if err != nil {
		return report.Input{}, fmt.Errorf("reading the history start: %w", err)
	}
	hist, err := s.db.HistoryBetween(ctx, from, now.Add(time.Second))
	if err != nil {
		return report.Input{}, err
	}
	evs, err := s.db.PageEvents(ctx, from, now.Add(time.Second))
	if err != nil {
		return report.Input{}, err
	}
	in := report.Input{Now: now, Loc: loc, Weeks: weeks, Since: since}
	for _, h := range hist {
		in.Pages = append(in.Pages, report.Page{Key: h.ID.String(), Seen: h.Seen, Acked: h.Acked, Resolved: h.Resolved})
	}
	for _, e := range evs {
		in.Events = append(in.Events, report.Event{Key: e.Page.String(), At: e.At, Kind: e.Kind, Quiet: e.Quiet})
	}
	for _, sp := range s.Schedule(now, from, now).Shifts {
		in.Shifts = append(in.Shifts, report.Shift{Start: sp.Start, End: sp.End, Name: sp.ScheduleNames()})
	}
	return in, nil
}
