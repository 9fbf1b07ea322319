package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/handoff"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/store"
)

// handoffLookback is how far back the last shift is looked for.
const handoffLookback = 30 * 24 * time.Hour

// ErrNoShift says there is no shift to hand off.
var ErrNoShift = errors.New("no shift to hand off")

// Handoff prepares the handoff of my current shift (current) or of the
// last one that ended (otherwise), by the synced schedule.
func (s *Service) Handoff(ctx context.Context, now time.Time, current bool) (handoff.Handoff, error) {
	spans := schedule.Between(s.shiftsOver(now.Add(-handoffLookback), now.Add(time.Minute)), now.Add(-handoffLookback), now.Add(time.Minute))
	var span *schedule.Span
	for i := range spans {
		sp := &spans[i]
		switch {
		case current && !now.Before(sp.Start) && now.Before(sp.End):
			span = sp
		case !current && !sp.End.After(now):
			span = sp // the last one wins
		}
	}
	if span == nil {
		if current {
			return handoff.Handoff{}, fmt.Errorf("%w: not on call now by the synced calendars", ErrNoShift)
		}
		return handoff.Handoff{}, fmt.Errorf("%w: no shift of mine ended in the last %d days", ErrNoShift, int(handoffLookback.Hours()/24))
	}
	return s.handoffOf(ctx, handoff.Shift{Name: span.ScheduleNames(), Start: span.Start, End: span.End}, now)
}

// handoffOf builds the handoff of shift from the history and the pages
// open now.
func (s *Service) handoffOf(ctx context.Context, shift handoff.Shift, now time.Time) (handoff.Handoff, error) {
	hist, err := s.db.HistoryBetween(ctx, shift.Start, shift.End)
	if err != nil {
		return handoff.Handoff{}, err
	}
	evs, err := s.db.PageEvents(ctx, shift.Start, now.Add(time.Second))
	if err != nil {
		return handoff.Handoff{}, err
	}
	open := map[page.ID]page.Page{}
	for _, ps := range s.engine().Snapshot().Pages {
		open[ps.Page.ID] = ps.Page
	}
	me := s.Me()
	var pages []handoff.Page
	for _, h := range hist {
		p := handoff.Page{ID: h.ID.String(), Title: h.Title, Seen: h.Seen, ResolvedByMe: !h.Resolved.IsZero()}
		if !h.Acked.IsZero() {
			p.AckedBy, p.AckedAt = me, h.Acked
		}
		if cur, ok := open[h.ID]; ok {
			p.Open = true
			if p.AckedBy == "" {
				p.AckedBy = cur.AckedBy
			}
			for _, c := range cur.Claims {
				if c.Kind == page.ClaimLooking && !slices.Contains(p.ClaimedBy, c.By) {
					p.ClaimedBy = append(p.ClaimedBy, c.By)
				}
			}
		}
		if inc, ok := s.IncidentOn(h.ID); ok {
			p.Incident = inc.Line
		}
		for _, e := range evs {
			if e.Page != h.ID {
				continue
			}
			switch e.Kind {
			case store.EventClaimed:
				if !slices.Contains(p.ClaimedBy, me) {
					p.ClaimedBy = append(p.ClaimedBy, me)
				}
			case store.EventNote:
				p.Notes = append(p.Notes, e.Text)
			}
		}
		pages = append(pages, p)
	}
	return handoff.Build(me, shift, pages, now), nil
}

// PublishHandoff gives h to the team hub, so the next on-call person gets
// its headline; the Markdown is cut to what the hub keeps.
func (s *Service) PublishHandoff(ctx context.Context, h handoff.Handoff) error {
	text := h.Markdown(s.Location())
	if len(text) > bus.MaxHandoffText {
		text = strings.ToValidUTF8(text[:bus.MaxHandoffText-len(cutNote)], "") + cutNote
	}
	return s.team.PublishHandoff(ctx, bus.Handoff{ShiftStart: h.Shift.Start, ShiftEnd: h.Shift.End,
		Pages: len(h.Pages), Open: h.Open, Text: text})
}

const cutNote = "\n… (cut; the full handoff is on the sender's computer)\n"

// TeamHandoffs returns my teammates' last handoffs from the hub, newest
// first, for "Handoff from alice: 7 pages, 1 still open".
func (s *Service) TeamHandoffs(ctx context.Context) ([]bus.Handoff, error) {
	hs, err := s.team.Handoffs(ctx)
	if err != nil {
		return nil, err
	}
	me := s.Me()
	hs = slices.DeleteFunc(hs, func(h bus.Handoff) bool { return h.From == me })
	slices.SortFunc(hs, func(a, b bus.Handoff) int { return b.At.Compare(a.At) })
	return hs, nil
}

// ShiftEndedHandoff is for the app's minute tick: when one of my shifts
// ended in (last, now], it prepares that shift's handoff, publishes it to
// the team (when connected) and returns it for a bubble and the window.
func (s *Service) ShiftEndedHandoff(ctx context.Context, last, now time.Time) (handoff.Handoff, bool) {
	for _, sp := range schedule.Between(s.shiftsOver(last.Add(-handoffLookback), now), last, now.Add(time.Minute)) {
		if !sp.End.After(last) || sp.End.After(now) {
			continue
		}
		h, err := s.handoffOf(ctx, handoff.Shift{Name: sp.ScheduleNames(), Start: sp.Start, End: sp.End}, now)
		if err != nil {
			s.log.Warn("handoff not prepared", "err", err)
			return handoff.Handoff{}, false
		}
		if err := s.PublishHandoff(ctx, h); err != nil && s.team.Configured() {
			s.log.Warn("handoff not published to the team", "err", err)
		}
		return h, true
	}
	return handoff.Handoff{}, false
}
