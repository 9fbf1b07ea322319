package feeds

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/schedule/ical"
)

// The expansion window around now: a week back, 90 days ahead. The window
// kept is a day wider on each side (Slack), since it moves on only once a
// day: asking for the window around any now of that day needs no new
// expansion.
const (
	WindowBack  = 7 * 24 * time.Hour
	WindowAhead = 90 * 24 * time.Hour
	Slack       = 24 * time.Hour
)

// State is what is known about one feed.
type State struct {
	// Name is the feed's configured name.
	Name string
	// URL is the feed URL, redacted (RedactURL).
	URL string
	// Calendar is the last good parsed copy; nil until one is known.
	Calendar *ical.Calendar
	// CalendarName is the calendar's X-WR-CALNAME ("" when absent).
	CalendarName string
	// Organizers maps event UIDs to ORGANIZER e-mails.
	Organizers map[string]string
	// Warnings are the parser's and expander's warnings, in words.
	Warnings []string
	// Occurrences are the expansion over [From, To).
	Occurrences []ical.Occurrence
	From, To    time.Time
	// Stale is true when the last refresh failed, none succeeded yet, or
	// the last good copy was not confirmed for two refresh intervals; Err
	// then says why in words (it is never empty for a stale feed).
	Stale bool
	Err   string
	// LastSuccess is when the feed was last fetched or confirmed unchanged.
	LastSuccess time.Time
	// Checked is when the feed was last asked.
	Checked time.Time
}

// Source is the feed as a schedule.Source with the given Me rule.
func (s State) Source(me schedule.Me) schedule.Source {
	return schedule.Source{Feed: s.Name, Schedule: s.CalendarName, Me: me, Occurrences: s.Occurrences, Organizers: s.Organizers}
}

// Feeds is the shared state of all feeds, safe for concurrent use. The
// Syncer writes it; the app reads Snapshot after a Changed signal.
type Feeds struct {
	loc     *time.Location
	changed chan struct{}

	// xmu serialises expansions of the kept calendars: a Calendar is
	// not safe for concurrent expansion. Never take mu while holding it.
	xmu sync.Mutex

	mu    sync.Mutex
	feeds map[string]*State
}

// NewFeeds returns an empty state that expands calendars for a user in loc
// (nil: time.Local).
func NewFeeds(loc *time.Location) *Feeds {
	if loc == nil {
		loc = time.Local
	}
	return &Feeds{loc: loc, changed: make(chan struct{}, 1), feeds: map[string]*State{}}
}

// Changed receives a value after the state changed; changes made while
// nobody was reading are coalesced into one.
func (f *Feeds) Changed() <-chan struct{} { return f.changed }

func (f *Feeds) notify() {
	select {
	case f.changed <- struct{}{}:
	default:
	}
}

// Snapshot returns a copy of every feed's state, sorted by name. The
// occurrence slices are shared and must not be modified.
func (f *Feeds) Snapshot() []State {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]State, 0, len(f.feeds))
	for _, s := range f.feeds {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b State) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Get returns one feed's state.
func (f *Feeds) Get(name string) (State, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.feeds[name]
	if !ok {
		return State{}, false
	}
	return *s, true
}

// state returns the entry for name, creating a stale one.
func (f *Feeds) state(name, rawURL string) *State {
	s := f.feeds[name]
	if s == nil {
		s = &State{Name: name, Stale: true, Err: "not synced yet"}
		f.feeds[name] = s
	}
	if rawURL != "" {
		s.URL = RedactURL(rawURL)
	}
	return s
}

// Keep makes sure the state has exactly the named feeds, dropping others.
func (f *Feeds) Keep(names []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	changed := false
	for n := range f.feeds {
		if !slices.Contains(names, n) {
			delete(f.feeds, n)
			changed = true
		}
	}
	if changed {
		f.notify()
	}
}

// Set parses body as the feed's new good copy and expands it around now.
// fresh says the body was just fetched (false: loaded from the cache at
// start-up, which leaves the feed stale until a refresh succeeds). A body
// that does not parse changes nothing and returns the error.
func (f *Feeds) Set(name, rawURL string, body []byte, fresh bool, now time.Time) error {
	cal, warns, err := ical.Parse(body)
	if err != nil {
		return err
	}
	calName, orgs := scanExtras(body)
	occs, xwarns, err := expandAround(cal, now, f.loc)
	if err != nil {
		return fmt.Errorf("expanding calendar: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state(name, rawURL)
	s.Calendar, s.CalendarName, s.Organizers = cal, calName, orgs
	s.Warnings = warningTexts(append(warns, xwarns...))
	s.Occurrences, s.From, s.To = occs, now.Add(-WindowBack-Slack), now.Add(WindowAhead+Slack)
	if fresh {
		s.Stale, s.Err, s.LastSuccess, s.Checked = false, "", now, now
	}
	f.notify()
	return nil
}

// Unchanged records a refresh that confirmed the cached copy (304).
func (f *Feeds) Unchanged(name, rawURL string, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state(name, rawURL)
	s.Checked, s.LastSuccess = now, now
	s.Stale, s.Err = false, ""
	if s.Calendar == nil {
		s.Stale, s.Err = true, "unchanged since the last fetch, but no copy of it is kept"
	}
	f.notify()
}

// Fail records a failed refresh: the last good copy stays, the feed is
// stale and msg says why.
func (f *Feeds) Fail(name, rawURL, msg string, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state(name, rawURL)
	s.Checked, s.Stale, s.Err = now, true, msg
	f.notify()
}

// Advance re-expands every calendar whose window has moved on by a day or
// more at now. It reports whether anything changed.
func (f *Feeds) Advance(now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	changed := false
	for _, s := range f.feeds {
		if s.Calendar == nil || now.Sub(s.From.Add(WindowBack+Slack)).Abs() < Slack {
			continue
		}
		f.xmu.Lock()
		occs, warns, err := expandAround(s.Calendar, now, f.loc)
		f.xmu.Unlock()
		if err != nil {
			continue // Expand only fails on an internal error; keep the old window
		}
		s.Occurrences, s.From, s.To = occs, now.Add(-WindowBack-Slack), now.Add(WindowAhead+Slack)
		s.Warnings = warningTexts(warns)
		changed = true
	}
	if changed {
		f.notify()
	}
	return changed
}

// Sources returns every feed with a calendar as schedule.Sources over the
// kept window; meOf gives each feed's Me rule.
func (f *Feeds) Sources(meOf func(name string) schedule.Me) []schedule.Source {
	var out []schedule.Source
	for _, s := range f.Snapshot() {
		if s.Calendar != nil {
			out = append(out, s.Source(meOf(s.Name)))
		}
	}
	return out
}

// SourcesOver is Sources with occurrences that cover [from, to): a feed
// whose kept window does not cover the range is expanded again from its
// last good copy, so any range can be asked, not only the days around now.
func (f *Feeds) SourcesOver(from, to time.Time, meOf func(name string) schedule.Me) []schedule.Source {
	var out []schedule.Source
	for _, s := range f.Snapshot() {
		if s.Calendar == nil {
			continue
		}
		if from.Before(s.From) || to.After(s.To) {
			f.xmu.Lock() // a Calendar expands one range at a time
			occs, _, err := expand(s.Calendar, from, to, f.loc)
			f.xmu.Unlock()
			if err != nil {
				continue // only an internal error; the feed's warnings say the rest
			}
			s.Occurrences = occs
		}
		out = append(out, s.Source(meOf(s.Name)))
	}
	return out
}

// expandAround expands cal over the window around now. ExpandWarnings,
// unlike Expand, has no panic guard of its own, so one is added here.
func expandAround(cal *ical.Calendar, now time.Time, loc *time.Location) (occs []ical.Occurrence, warns []ical.Warning, err error) {
	return expand(cal, now.Add(-WindowBack-Slack), now.Add(WindowAhead+Slack), loc)
}

// maxOccurrences bounds one expansion of an asked range.
const maxOccurrences = 100_000

// expand expands cal over [from, to) for a user in loc, at most
// maxOccurrences.
func expand(cal *ical.Calendar, from, to time.Time, loc *time.Location) (occs []ical.Occurrence, warns []ical.Warning, err error) {
	defer func() {
		if r := recover(); r != nil {
			occs, warns, err = nil, nil, fmt.Errorf("internal error: %v", r)
		}
	}()
	opts := schedule.ExpandOptions(loc)
	opts.Max = maxOccurrences
	return cal.ExpandWarnings(from, to, opts)
}

// maxWarnings caps the warnings kept per feed.
const maxWarnings = 50

func warningTexts(ws []ical.Warning) []string {
	var out []string
	for i, w := range ws {
		if i == maxWarnings {
			out = append(out, fmt.Sprintf("… and %d more", len(ws)-i))
			break
		}
		out = append(out, w.String())
	}
	return out
}

// when formats t for a message, in the user's zone.
func (f *Feeds) when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.In(f.loc).Format("2006-01-02 15:04 MST")
}
