// Package alarm rings Standby's alarm sound for pages: a sound synthesised
// by the project, played on the system's default audio output through
// oto, or through a player program (paplay, pw-cat, aplay) once oto fails
// (it cannot reopen its device after the audio server restarts),
// repeating for a page until someone claims, acks or resolves it (the app
// calls Stop) or the user silences it. A Player owns one goroutine that
// does all the playing, so several ringing pages sound as one alarm. The
// package has no Fyne import.
package alarm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultRepeat is how often a ringing page sounds again.
const DefaultRepeat = 30 * time.Second

// ErrNoDevice wraps every failure to open or use the audio output.
var ErrNoDevice = errors.New("no audio device")

// Sink plays PCM in Sound's format (SampleRate, Channels, 16-bit LE) to
// the end, or until ctx ends (then it returns ctx.Err()).
type Sink interface {
	Play(ctx context.Context, pcm []byte) error
}

// Player rings the alarm. Its methods are safe for concurrent use and
// never block on audio, except Test and Close.
type Player struct {
	sink  Sink
	sound []byte
	onErr func(error)

	mu          sync.Mutex
	rings       map[string]*ring
	once        bool                // a single play is wanted
	cancelPlay  context.CancelFunc  // of the play under way; nil when none
	playingFor  map[string]struct{} // the keys the play under way is for
	playingOnce bool                // the play under way is (also) for Once
	lastErr     error
	closed      bool

	playMu sync.Mutex // the loop and Test never play at the same time
	base   context.Context
	stop   context.CancelFunc
	wake   chan struct{}
	done   chan struct{}
}

type ring struct {
	every time.Duration // 0: ring once
	due   time.Time     // zero: at once
	after func() bool   // unregisters the context.AfterFunc
}

// Options configure a Player; the zero value plays Sound through the sink.
type Options struct {
	// Sound replaces the alarm (tests); nil means Sound().
	Sound []byte
	// OnError is called, on the Player's goroutine, when a play fails (for
	// a banner such as "the alarm cannot be heard: no audio device").
	OnError func(error)
}

// New starts a Player that plays through sink. Call Close when done.
func New(sink Sink, opts Options) *Player {
	base, stop := context.WithCancel(context.Background())
	p := &Player{sink: sink, sound: opts.Sound, onErr: opts.OnError, rings: map[string]*ring{},
		base: base, stop: stop, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go p.run()
	return p
}

// pcm is the sound to play: Options.Sound, else Sound(), synthesised at
// the first play rather than at New (it is ~1 MiB that an app which never
// rings need not hold).
func (p *Player) pcm() []byte {
	if p.sound != nil {
		return p.sound
	}
	return Sound()
}

// Ring sounds the alarm for key now and then every `every` until Stop(key)
// or ctx ends; every <= 0 sounds it once. While several keys ring, one
// alarm sounds: each play counts for all of them. Ring for a key that is
// already ringing only changes its period.
func (p *Player) Ring(ctx context.Context, key string, every time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	if r, ok := p.rings[key]; ok {
		r.every = max(every, 0)
		return
	}
	r := &ring{every: max(every, 0)}
	r.after = context.AfterFunc(ctx, func() { p.stopRing(key, r) })
	p.rings[key] = r
	p.poke()
}

// Once sounds the alarm once, for a loud page that does not repeat.
func (p *Player) Once() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.once = true
		p.poke()
	}
}

// Stop ends the ringing for key. When nothing else rings, a sound under
// way stops at once.
func (p *Player) Stop(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.remove(key, p.rings[key])
}

// StopAll silences everything at once, a sound under way included (the
// user's "silence").
func (p *Player) StopAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for key, r := range p.rings {
		r.after()
		delete(p.rings, key)
	}
	clear(p.playingFor)
	p.once, p.playingOnce = false, false
	if p.cancelPlay != nil {
		p.cancelPlay()
	}
}

// stopRing is the context.AfterFunc of one Ring: it removes that ring, not
// a later Ring of the same key.
func (p *Player) stopRing(key string, r *ring) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rings[key] == r {
		p.remove(key, r)
	}
}

// remove ends key's ring r (nil when it is no longer registered, as a
// ring-once key is while its sound plays) and cuts the sound under way
// when nothing wants it any more. It needs p.mu.
func (p *Player) remove(key string, r *ring) {
	if r != nil {
		r.after()
		delete(p.rings, key)
	}
	delete(p.playingFor, key)
	if len(p.rings) == 0 && len(p.playingFor) == 0 && !p.playingOnce && p.cancelPlay != nil {
		p.cancelPlay()
	}
}

// Ringing returns the keys that ring, sorted.
func (p *Player) Ringing() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	keys := make([]string, 0, len(p.rings))
	for k := range p.rings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// LastError returns the error of the last play, nil after a success.
func (p *Player) LastError() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastErr
}

// Test plays the alarm once and waits for it: the Settings "Test alarm"
// button. Its error wraps ErrNoDevice when there is no audio output.
func (p *Player) Test(ctx context.Context) error {
	p.playMu.Lock()
	defer p.playMu.Unlock()
	err := p.sink.Play(ctx, p.pcm())
	if err != nil && ctx.Err() == nil {
		err = fmt.Errorf("playing the alarm: %w", err)
	}
	p.mu.Lock()
	p.lastErr = err
	p.mu.Unlock()
	return err
}

// Close stops every ring and any sound under way and waits for the
// Player's goroutine.
func (p *Player) Close() error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		for key, r := range p.rings {
			r.after()
			delete(p.rings, key)
		}
	}
	p.mu.Unlock()
	p.stop()
	<-p.done
	return nil
}

// poke wakes the loop; needs p.mu.
func (p *Player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// run is the Player's goroutine: it sleeps until a ring is due, plays,
// and reschedules every ring from the start of that play.
func (p *Player) run() {
	defer close(p.done)
	for {
		ctx, wait := p.next(time.Now())
		if ctx != nil {
			p.play(ctx)
			continue
		}
		if !p.sleep(wait) {
			return
		}
	}
}

// sleep waits for wait (forever when negative), a poke or Close; it
// returns false on Close.
func (p *Player) sleep(wait time.Duration) bool {
	var due <-chan time.Time
	if wait >= 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		due = t.C
	}
	select {
	case <-p.base.Done():
		return false
	case <-p.wake:
	case <-due:
	}
	return true
}

// next returns the context of a play to start now, or how long to wait
// for the next due ring (-1: none).
func (p *Player) next(now time.Time) (context.Context, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.base.Err() != nil {
		return nil, -1
	}
	wait := time.Duration(-1)
	play := p.once
	for _, r := range p.rings {
		if !r.due.After(now) {
			play = true
		} else if d := r.due.Sub(now); wait < 0 || d < wait {
			wait = d
		}
	}
	if !play {
		return nil, wait
	}
	p.playingFor = make(map[string]struct{}, len(p.rings))
	for key, r := range p.rings {
		p.playingFor[key] = struct{}{}
		if r.every == 0 {
			if !r.due.After(now) {
				r.after()
				delete(p.rings, key)
			}
			continue
		}
		r.due = now.Add(r.every)
	}
	ctx, cancel := context.WithCancel(p.base)
	p.cancelPlay, p.playingOnce, p.once = cancel, p.once, false
	return ctx, 0
}

func (p *Player) play(ctx context.Context) {
	p.playMu.Lock()
	err := p.sink.Play(ctx, p.pcm())
	p.playMu.Unlock()
	p.mu.Lock()
	if ctx.Err() != nil {
		err = nil // stopped on purpose
	}
	p.cancelPlay()
	p.cancelPlay, p.playingFor, p.playingOnce = nil, nil, false
	p.lastErr = err
	onErr := p.onErr
	p.mu.Unlock()
	if err != nil && onErr != nil {
		onErr(fmt.Errorf("playing the alarm: %w", err))
	}
}

// oneLine keeps the first line of an error's text.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
