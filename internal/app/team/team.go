// Package team is the app's side of the team bus: the connection, the
// claims of every teammate and my own, and the pages the hub pushes. It
// keeps them itself and hands them to the engine, so that an engine built
// anew (a source added or removed) gets every claim and hub page back at
// once instead of at the next event.
//
// Its goroutines (the claim and page followers) are started by Connect and
// owned by the Team: Close cancels them, waits for them and then closes the
// bus connection.
package team

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// Engine is what the team feeds: the engine's claims and pushed pages.
type Engine interface {
	SetClaims(id page.ID, claims []page.Claim)
	Upsert(ctx context.Context, p page.Page) error
	Close(id page.ID)
}

// Params are what New needs.
type Params struct {
	// URLs and Me read the team part of the live configuration.
	URLs func() []string
	Me   func() string
	// Token reads the member token from the keyring.
	Token func(ctx context.Context) (string, error)
	// Overrides returns the user's urgency overrides for a kind of
	// system; a hub page's urgency is mapped with them (source.Urgency),
	// as a polled page's is. Nil means none.
	Overrides func(source.Kind) map[string]string
	// Changed is told when what the team shows may have changed; may be nil.
	Changed func()
	// Presence computes my presence fields for routing (on call, ringable)
	// at now; nil publishes none.
	Presence func(now time.Time) bus.PresenceFields
	// Routing is told when what the routing policy sees of the team changed
	// (presence records, connection); may be nil.
	Routing func()
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Team is the team bus state. Its methods are safe for concurrent use.
type Team struct {
	p      Params
	log    *slog.Logger
	life   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the followers

	incidents incidentTable // the team's incidents; its own lock (incidents.go)
	handoffs  handoffTable  // each member's last handoff; its own lock (handoffs.go)

	mu      sync.Mutex // guards the fields below
	eng     Engine
	bus     *bus.Client
	busErr  error
	claims  map[page.ID]map[string]page.Claim // learnt from the bus
	local   map[page.ID]page.Claim            // mine
	pages   map[page.ID]page.Page             // open pages pushed by the hub
	view    view                              // the team's presence
	closing bool

	presenceKick chan struct{} // PresenceChanged
	viewChanged  chan struct{} // the presence view changed (WaitView)
}

// ErrClosed is returned by Connect after Close.
var ErrClosed = errors.New("team: closed")

// New makes the team state; nothing connects until Connect or Run.
func New(p Params) *Team {
	log := p.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if p.Overrides == nil {
		p.Overrides = func(source.Kind) map[string]string { return nil }
	}
	life, cancel := context.WithCancel(context.Background())
	return &Team{p: p, log: log, life: life, cancel: cancel,
		claims: map[page.ID]map[string]page.Claim{}, local: map[page.ID]page.Claim{}, pages: map[page.ID]page.Page{},
		presenceKick: make(chan struct{}, 1), viewChanged: make(chan struct{}, 1),
		handoffs: handoffTable{kick: make(chan struct{}, 1)}}
}

// Configured reports whether a team bus is set up.
func (t *Team) Configured() bool { return len(t.p.URLs()) > 0 }

// Attach makes eng the engine the team feeds and gives it every claim and
// open hub page known now.
func (t *Team) Attach(ctx context.Context, eng Engine) {
	t.mu.Lock()
	t.eng = eng
	ids := make(map[page.ID]bool, len(t.claims)+len(t.local))
	for id := range t.claims {
		ids[id] = true
	}
	for id := range t.local {
		ids[id] = true
	}
	pages := make([]page.Page, 0, len(t.pages))
	for _, p := range t.pages {
		pages = append(pages, p)
	}
	t.mu.Unlock()
	for _, p := range pages {
		if err := eng.Upsert(ctx, p); err != nil {
			t.log.Warn("hub page not handed to the engine", "page", p.ID.String(), "err", err)
		}
	}
	for id := range ids {
		t.push(id)
	}
}

// Close stops the followers, waits for them and closes the connection.
func (t *Team) Close() {
	t.mu.Lock()
	t.closing = true
	t.mu.Unlock()
	t.cancel()
	t.wg.Wait()
	t.mu.Lock()
	c := t.bus
	t.bus = nil
	t.mu.Unlock()
	if c != nil {
		_ = c.Close()
	}
}

// Run keeps trying to join the team bus until it succeeds or ctx ends,
// with a backoff from 1 s to 1 min.
func (t *Team) Run(ctx context.Context) {
	wait := time.Second
	for ctx.Err() == nil {
		err := t.Connect(ctx)
		if err == nil || errors.Is(err, ErrClosed) {
			return
		}
		t.log.Warn("team bus not reachable", "err", err)
		tm := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			tm.Stop()
			return
		case <-tm.C:
		}
		wait = min(2*wait, time.Minute)
	}
}

func (t *Team) changed() {
	if t.p.Changed != nil {
		t.p.Changed()
	}
}

func (t *Team) client() *bus.Client {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.bus
}
