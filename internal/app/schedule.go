package app

import (
	"context"
	"fmt"
	"time"

	"github.com/standby-oncall/standby/internal/app/settings"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/demo"
	"github.com/standby-oncall/standby/internal/feeds"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/schedule"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/store"
)

// DemoFeedName is the name of the sample calendar in demo mode.
const DemoFeedName = "demo-calendar"

// buildSchedule makes the feed state and syncer from the configuration; in
// demo mode without feeds it loads the sample calendar.
func (s *Service) buildSchedule(ctx context.Context, now time.Time) {
	cfg, loc := s.Config(), s.Location()
	s.feeds = feeds.NewFeeds(loc)
	specs, failed := s.feedSpecs(ctx, cfg)
	for _, f := range cfg.Feeds {
		if err := failed[f.Name]; err != nil {
			s.banners = append(s.banners, Banner{Level: "error", Text: fmt.Sprintf("Calendar %s is not synced: %v", f.Name, err)})
		}
	}
	var getter feeds.Getter = feeds.NewFetcher()
	if s.Demo() && len(specs) == 0 {
		getter = demoGetter{Getter: getter, body: demo.Calendar(now, loc, s.Me(), cfg.User.Email)}
		specs = append(specs, feeds.Spec{Name: DemoFeedName, URL: demoFeedURL})
	}
	s.syncer = feeds.NewSyncer(feeds.Params{Getter: getter, Cache: feedCache{s.db}, Feeds: s.feeds, Log: s.log}, specs)
}

// feedSpecs reads each configured feed's address (from the keyring where
// it is secret), with the feeds whose address could not be read.
func (s *Service) feedSpecs(ctx context.Context, cfg config.Config) ([]feeds.Spec, map[string]error) {
	specs := []feeds.Spec{}
	failed := map[string]error{}
	for _, f := range cfg.Feeds {
		u, err := s.feedURL(ctx, f)
		if err != nil {
			failed[f.Name] = err
			continue
		}
		specs = append(specs, feeds.Spec{Name: f.Name, URL: u, Every: f.Refresh.D})
	}
	return specs, failed
}

const demoFeedURL = "demo:calendar"

// demoGetter serves the sample calendar for the demo feed and passes every
// other request on, so the demo goes through the same sync path as a feed.
type demoGetter struct {
	feeds.Getter
	body []byte
}

// Fetch serves the demo calendar, and passes other requests on.
func (d demoGetter) Fetch(ctx context.Context, r feeds.Request) (feeds.Response, error) {
	if r.URL == demoFeedURL {
		return feeds.Response{Body: d.body}, nil
	}
	return d.Getter.Fetch(ctx, r)
}

func (s *Service) feedURL(ctx context.Context, f config.Feed) (string, error) {
	if !f.SecretURL {
		return f.URL, nil
	}
	if !s.settings.HasKeyring() {
		return "", fmt.Errorf("its URL is in the keyring, but no keyring is available")
	}
	return s.settings.Secret(ctx, secrets.FeedKey(f.Name))
}

// meOf returns the "which events are mine" rule of a feed.
func (s *Service) meOf(name string) schedule.Me {
	if name == DemoFeedName {
		return schedule.Me{Kind: schedule.MeName, Value: s.Me()}
	}
	f, ok := s.Config().FeedByName(name)
	if !ok {
		return schedule.Me{Kind: schedule.MeAll}
	}
	me, err := schedule.ParseMe(f.Me)
	if err != nil {
		return schedule.Me{Kind: schedule.MeAll}
	}
	return me
}

// shiftsOver returns my shifts overlapping [from, to), expanded from the
// feeds' last good copies (any range, not only the window kept around the
// wall clock).
func (s *Service) shiftsOver(from, to time.Time) []schedule.Shift {
	return schedule.AllMyShifts(s.feeds.SourcesOver(from, to, s.meOf))
}

// shiftsAround returns my shifts in the window the app keeps around now.
func (s *Service) shiftsAround(now time.Time) []schedule.Shift {
	return s.shiftsOver(now.Add(-feeds.WindowBack), now.Add(feeds.WindowAhead))
}

// onCallFromFeeds answers "am I on call" from the synced calendars.
func (s *Service) onCallFromFeeds(now time.Time) quiet.OnCall {
	return schedule.OnCallAt(s.shiftsAround(now), now)
}

// ScheduleView is what the Schedule tab and `standby shifts/oncall` show.
type ScheduleView struct {
	OnCall quiet.OnCall      `json:"on_call"`
	Next   *schedule.Span    `json:"next,omitempty"`
	Shifts []schedule.Span   `json:"shifts"`
	Who    []schedule.OnDuty `json:"who_is_on_call"`
	Feeds  []FeedStatus      `json:"feeds"`
}

// FeedStatus is one calendar's sync state.
type FeedStatus struct {
	Name        string    `json:"name"`
	URL         string    `json:"url"` // redacted
	Calendar    string    `json:"calendar,omitempty"`
	Stale       bool      `json:"stale"`
	Err         string    `json:"error,omitempty"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	Events      int       `json:"occurrences"`
}

// Schedule returns my shifts in [from, to) merged across feeds, the
// current and next shift, and who is on call now.
func (s *Service) Schedule(now, from, to time.Time) ScheduleView {
	shifts := s.shiftsAround(now)
	// A week before from, so that a span running into the range is merged
	// with the shifts it touches, as around now.
	inRange := s.shiftsOver(from.Add(-feeds.WindowBack), to)
	v := ScheduleView{OnCall: schedule.OnCallAt(shifts, now), Shifts: schedule.Between(inRange, from, to)}
	if v.Shifts == nil {
		v.Shifts = []schedule.Span{}
	}
	if next, ok := schedule.NextShift(shifts, now); ok {
		v.Next = &next
	}
	v.Who = schedule.WhoIsOnCall(s.feeds.SourcesOver(now.Add(-feeds.WindowBack), now.Add(feeds.WindowAhead), s.meOf), now)
	for _, st := range s.feeds.Snapshot() {
		v.Feeds = append(v.Feeds, FeedStatus{Name: st.Name, URL: st.URL, Calendar: st.CalendarName, Stale: st.Stale,
			Err: st.Err, LastSuccess: st.LastSuccess, Events: len(st.Occurrences)})
	}
	return v
}

// SyncFeeds loads cached calendars and fetches them (all, or only the
// named one) when refresh is set or nothing is cached. For one-shot
// commands; the app's Run keeps them fresh by itself.
func (s *Service) SyncFeeds(ctx context.Context, refresh bool, only string) error {
	if only != "" {
		if _, ok := s.Config().FeedByName(only); !ok {
			return fmt.Errorf("no feed named %q (see `standby feed list`)", only)
		}
	}
	s.syncer.Once(ctx, refresh, only)
	return nil
}

// RefreshFeeds asks the running syncer to fetch now ("" = all).
func (s *Service) RefreshFeeds(name string) { s.syncer.RefreshNow(name) }

// AddFeed adds or replaces a calendar feed through the one settings
// writer: the URL (which usually carries a token) is checked, then stored
// in the keyring, then the file is saved; a local file path stays in the
// file. The running syncer follows at once.
func (s *Service) AddFeed(ctx context.Context, name, rawURL, me string) error {
	if settings.SecretURL(rawURL) && !s.settings.HasKeyring() {
		return fmt.Errorf("no keyring available to store the feed URL")
	}
	if err := s.settings.AddFeed(ctx, name, rawURL, me); err != nil {
		return err
	}
	specs, _ := s.feedSpecs(ctx, s.Config())
	s.syncer.SetFeeds(specs)
	return nil
}

// reminders sends the shift reminders due in (last, now].
func (s *Service) reminders(last, now time.Time) {
	cfg := s.Config()
	set := schedule.ReminderSettings{EveningBefore: cfg.Notify.EveningBefore, HourBefore: cfg.Notify.HourBefore,
		AtStart: cfg.Notify.AtStart, AtEnd: cfg.Notify.AtEnd, Rules: s.rules(context.Background()), Location: s.Location()}
	for _, r := range schedule.Reminders(s.shiftsAround(now), set, last, now.Sub(last)) {
		_ = s.alert.Send(notify.Quiet(reminderKey, "Standby: "+r.Text, r.Span.ScheduleNames()))
	}
}

// feedCache adapts the state database to the feeds.Cache the syncer
// defines, so that package needs no storage of its own.
type feedCache struct{ db *store.DB }

// Feed returns the cached copy of a feed.
func (c feedCache) Feed(ctx context.Context, name string) (feeds.Cached, bool, error) {
	f, ok, err := c.db.Feed(ctx, name)
	return feeds.Cached(f), ok, err
}

// PutFeed stores a new good copy of a feed.
func (c feedCache) PutFeed(ctx context.Context, f feeds.Cached) error {
	return c.db.PutFeed(ctx, store.FeedCache(f))
}

// MarkFeedChecked records a refresh that kept the cached copy.
func (c feedCache) MarkFeedChecked(ctx context.Context, name string, at time.Time, errMsg string) error {
	return c.db.MarkFeedChecked(ctx, name, at, errMsg)
}
