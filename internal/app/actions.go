package app

import (
	"context"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// Ack acknowledges the page upstream (through the engine, which queues it
// when the source is unreachable). It ends my own "I'm looking" claim.
func (s *Service) Ack(ctx context.Context, id page.ID) error {
	if err := s.known(id); err != nil {
		return err
	}
	if s.hubOnly(id) {
		// A page pushed by the hub with no configured source behind it: the
		// ack can only be told to the team.
		c := s.busClient()
		if c == nil {
			return fmt.Errorf("ack %s: this page came from the team hub, which is not connected", id)
		}
		if _, err := c.Claim(ctx, id, page.ClaimAcked, 0); err != nil {
			return fmt.Errorf("ack %s: %w", id, err)
		}
		s.dropLocalClaim(id)
		s.broadcast()
		return nil
	}
	if err := s.engine().Ack(ctx, id, s.actor()); err != nil {
		return err // the engine's error names the action and the page
	}
	s.dropLocalClaim(id)
	_ = s.db.RecordAcked(ctx, id, time.Now())
	if c := s.busClient(); c != nil {
		if _, err := c.Claim(ctx, id, page.ClaimAcked, 0); err != nil {
			s.log.Warn("ack not published to the team", "page", id.String(), "err", err)
		}
	}
	s.broadcast()
	return nil
}

// Unack reverses an ack where the source allows it.
func (s *Service) Unack(ctx context.Context, id page.ID) error {
	if err := s.known(id); err != nil {
		return err
	}
	if err := s.engine().Unack(ctx, id, s.actor()); err != nil {
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
	if err := s.engine().Resolve(ctx, id, s.actor()); err != nil {
		return err
	}
	s.dropLocalClaim(id)
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
	cfg := s.Config()
	ttl := cfg.Team.ClaimTTL.D
	if ttl <= 0 {
		ttl = defaultClaimTTL
	}
	me := s.Me()
	c := page.Claim{Page: id, By: me, Kind: page.ClaimLooking, At: now, Expires: now.Add(ttl), Origin: page.OriginLocal}
	if bc := s.busClient(); bc != nil {
		published, err := bc.Claim(ctx, id, page.ClaimLooking, ttl)
		if err != nil {
			return page.Claim{}, fmt.Errorf("telling the team: %w", err)
		}
		c = published
	}
	s.mu.Lock()
	s.local[id] = c
	s.mu.Unlock()
	s.pushClaims(id)
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
	s.dropLocalClaim(id)
	if c := s.busClient(); c != nil {
		if err := c.Release(ctx, id); err != nil {
			return fmt.Errorf("releasing the claim: %w", err)
		}
	}
	s.broadcast()
	return nil
}

const defaultClaimTTL = 30 * time.Minute

func (s *Service) dropLocalClaim(id page.ID) {
	s.mu.Lock()
	_, had := s.local[id]
	delete(s.local, id)
	s.mu.Unlock()
	if had {
		s.pushClaims(id)
	}
}

func (s *Service) known(id page.ID) error {
	s.mu.Lock()
	_, ok := s.kinds[id.Source]
	s.mu.Unlock()
	if ok || s.hubOnly(id) {
		return nil
	}
	return fmt.Errorf("%s: %w %q (see `standby source list`)", id, errUnknownSource, id.Source)
}

// hubOnly reports whether id is a page pushed by the team hub whose source
// is not configured here.
func (s *Service) hubOnly(id page.ID) bool {
	s.mu.Lock()
	_, configured := s.kinds[id.Source]
	s.mu.Unlock()
	if configured {
		return false
	}
	for _, p := range s.engine().Snapshot().Pages {
		if p.ID == id {
			return p.External
		}
	}
	return false
}

func (s *Service) caps(id page.ID) source.Caps {
	for _, src := range s.sources() {
		if src.Name() == id.Source {
			return src.Caps()
		}
	}
	return source.Caps{}
}
