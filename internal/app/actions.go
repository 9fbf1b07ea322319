package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/store"
)

// ErrQueued is returned (wrapped) by an action whose source could not be
// reached: it is queued and will be sent once the source is back. It is
// not a failure to show as an error.
var ErrQueued = engine.ErrQueued

// Ack acknowledges the page upstream (through the engine, which queues it
// when the source is unreachable; then the error wraps ErrQueued and the
// team is told once it is sent). It ends my own "I'm looking" claim.
func (s *Service) Ack(ctx context.Context, id page.ID) error {
	if err := s.known(id); err != nil {
		return err
	}
	if s.hubOnly(id) {
		// A page pushed by the hub with no configured source behind it: the
		// ack can only be told to the team.
		if err := s.team.Acked(ctx, id); err != nil {
			return fmt.Errorf("ack %s: this page came from the team hub: %w", id, err)
		}
		// Recorded as any ack, for the report's response time and the handoff.
		if err := s.db.RecordAcked(ctx, id, time.Now()); err != nil {
			s.log.Warn("ack not recorded in the history", "page", id.String(), "err", err)
		}
		s.alert.Settle(id)
		s.broadcast()
		return nil
	}
	err := s.act(ctx, engine.ActAck, id, s.engine().Ack)
	if errors.Is(err, ErrQueued) {
		s.acks.add(id)
		s.alert.Settle(id) // the user acted: the alarm stops while the ack waits
	}
	if err != nil {
		return err // the engine's error names the action and the page
	}
	s.acked(ctx, id)
	return nil
}

// acked records a sent ack and tells the team, on the hub's copy too.
func (s *Service) acked(ctx context.Context, id page.ID) {
	s.alert.Settle(id)
	_ = s.db.RecordAcked(ctx, id, time.Now())
	s.team.Drop(id) // an ack ends my claim
	if err := s.tellAcked(ctx, id); err != nil {
		s.log.Warn("ack not published to the team", "page", id.String(), "err", err)
	}
	s.broadcast()
}

// act writes the intent down, sends the action through the engine, and
// then strikes the intent out: a crash in between leaves it queued, and
// the next start sends it.
func (s *Service) act(ctx context.Context, kind engine.ActionKind, id page.ID, send func(context.Context, page.ID, source.Actor) error) error {
	by := s.actor()
	seq, err := s.db.EnqueueAction(ctx, store.Action{Page: id, Verb: string(kind), Actor: by.Name, Email: by.Email, Created: time.Now()})
	if err != nil {
		return fmt.Errorf("%s %s: writing it down first: %w", kind, id, err)
	}
	err = send(ctx, id, by)
	if derr := s.db.DoneAction(context.WithoutCancel(ctx), seq, time.Now()); derr != nil {
		s.log.Error("action intent not cleared", "page", id.String(), "err", derr)
	}
	return err
}

// Unack reverses an ack where the source allows it.
func (s *Service) Unack(ctx context.Context, id page.ID) error {
	if err := s.known(id); err != nil {
		return err
	}
	if err := s.act(ctx, engine.ActUnack, id, s.engine().Unack); err != nil {
		return err
	}
	s.broadcast()
	return nil
}

// Resolve closes the page upstream.
func (s *Service) Resolve(ctx context.Context, id page.ID) error {
	if err := s.known(id); err != nil {
		return err
	}
	if err := s.act(ctx, engine.ActResolve, id, s.engine().Resolve); err != nil {
		return err
	}
	s.team.Drop(id)
	s.alert.Settle(id)
	_ = s.db.RecordResolved(ctx, id, time.Now())
	s.broadcast()
	return nil
}

// Look claims the page ("I'm looking") for the claim TTL. Without a team
// bus the claim is local; it is mirrored upstream as a note where the
// source has notes, so teammates without Standby see it too.
func (s *Service) Look(ctx context.Context, id page.ID, now time.Time) (page.Claim, error) {
	if err := s.known(id); err != nil {
		return page.Claim{}, err
	}
	ttl := s.Config().Team.ClaimTTL.D
	if ttl <= 0 {
		ttl = defaultClaimTTL
	}
	me := s.Me()
	c, err := s.team.Look(ctx, id, me, ttl, now)
	if err != nil {
		return page.Claim{}, err
	}
	s.alert.Settle(id)
	s.recordEvent(ctx, store.PageEvent{Page: id, At: now, Kind: store.EventClaimed})
	s.tellLinked(ctx, id, func(ctx context.Context, l page.ID) error {
		_, err := s.team.Look(ctx, l, me, ttl, now)
		return err
	})
	if s.caps(id).Note {
		if err := s.engine().Note(ctx, id, s.actor(), source.ClaimNoteText(me)); err != nil {
			s.log.Warn("claim mirror not written", "page", id.String(), "err", err)
		}
	}
	s.broadcast()
	return c, nil
}

// Release ends my claim on the page.
func (s *Service) Release(ctx context.Context, id page.ID) error {
	err := s.team.Release(ctx, id)
	s.broadcast()
	return err
}

const defaultClaimTTL = 30 * time.Minute

func (s *Service) known(id page.ID) error {
	if _, ok := s.kindOf(id.Source); ok || s.hubOnly(id) {
		return nil
	}
	return fmt.Errorf("%s: %w %q (see `standby source list`)", id, errUnknownSource, id.Source)
}

// hubOnly reports whether id is a page pushed by the team hub whose source
// is not configured here.
func (s *Service) hubOnly(id page.ID) bool {
	if _, configured := s.kindOf(id.Source); configured {
		return false
	}
	return s.team.HubPage(id)
}

func (s *Service) caps(id page.ID) source.Caps {
	for _, src := range s.sources() {
		if src.Name() == id.Source {
			return src.Caps()
		}
	}
	return source.Caps{}
}

// pendingAcks are acks queued while their source was unreachable; the team
// is told about each once the engine shows the page acknowledged.
type pendingAcks struct {
	mu  sync.Mutex
	ids map[page.ID]bool
}

// load picks up the acks an earlier run queued.
func (p *pendingAcks) load(ctx context.Context, db *store.DB) {
	rows, err := db.PendingActions(ctx)
	if err != nil {
		return
	}
	for _, r := range rows {
		if r.Verb == string(engine.ActAck) {
			p.add(r.Page)
		}
	}
}

func (p *pendingAcks) add(id page.ID) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ids == nil {
		p.ids = map[page.ID]bool{}
	}
	p.ids[id] = true
}

// sent calls tell for every waiting ack that st shows done; one tell
// could not deliver is tried again with the next state.
func (p *pendingAcks) sent(ctx context.Context, st engine.State, tell func(context.Context, page.ID) error) {
	p.mu.Lock()
	if len(p.ids) == 0 {
		p.mu.Unlock()
		return
	}
	var done []page.ID
	for _, ps := range st.Pages {
		if p.ids[ps.ID] && ps.Status == page.StatusAcknowledged && len(ps.Queued) == 0 {
			done = append(done, ps.ID)
			delete(p.ids, ps.ID)
		}
	}
	p.mu.Unlock()
	for _, id := range done {
		if err := tell(ctx, id); err != nil {
			p.add(id)
		}
	}
}

// tellAcked tells the team (when there is one) that the ack of id went
// through, on the hub's copy of the incident too.
func (s *Service) tellAcked(ctx context.Context, id page.ID) error {
	if !s.team.Configured() {
		return nil
	}
	if err := s.team.Acked(ctx, id); err != nil {
		return err
	}
	s.tellLinked(ctx, id, s.team.Acked)
	return nil
}
