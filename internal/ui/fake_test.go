package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
)

// fakeService is an in-memory Service: it records every call, holds a
// config and answers Snapshot with snap. Safe for the views' goroutines.
type fakeService struct {
	mu       sync.Mutex
	snap     app.Snapshot
	sched    app.ScheduleView
	cfg      config.Config
	loc      *time.Location
	calls    []string
	ids      []page.ID
	saveErr  error
	changes  chan struct{}
	refreshd []string
	snapsAt  []time.Time   // the now of every Snapshot call
	alarmErr error         // what TestAlarm returns
	after    afterPageFake // what the after-the-page views read (afterpage_fake_test.go)
}

func newFake() *fakeService {
	return &fakeService{cfg: config.Default(), loc: time.UTC, changes: make(chan struct{}, 1)}
}

func (f *fakeService) record(call string, id page.ID) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	f.ids = append(f.ids, id)
	return nil
}

func (f *fakeService) recorded() ([]string, []page.ID) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...), append([]page.ID(nil), f.ids...)
}

func (f *fakeService) Changes() (<-chan struct{}, func()) { return f.changes, func() {} }

// publish makes snap the service's state and says it changed.
func (f *fakeService) publish(snap app.Snapshot) {
	f.mu.Lock()
	f.snap = snap
	f.mu.Unlock()
	f.changes <- struct{}{}
}
func (f *fakeService) Snapshot(_ context.Context, now time.Time) app.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snapsAt = append(f.snapsAt, now)
	return f.snap
}
func (f *fakeService) Location() *time.Location { return f.loc }
func (f *fakeService) Schedule(now, from, to time.Time) app.ScheduleView {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sched
}
func (f *fakeService) RecentDecisions(context.Context, time.Time, int) ([]app.Decision, error) {
	return nil, nil
}
func (f *fakeService) Ack(_ context.Context, id page.ID) error     { return f.record("ack", id) }
func (f *fakeService) Unack(_ context.Context, id page.ID) error   { return f.record("unack", id) }
func (f *fakeService) Resolve(_ context.Context, id page.ID) error { return f.record("resolve", id) }
func (f *fakeService) Look(_ context.Context, id page.ID, _ time.Time) (page.Claim, error) {
	return page.Claim{Page: id}, f.record("look", id)
}
func (f *fakeService) Release(_ context.Context, id page.ID) error { return f.record("release", id) }
func (f *fakeService) RingNow(_ context.Context, id page.ID) error { return f.record("ring-now", id) }
func (f *fakeService) QuietFor(context.Context, time.Duration, time.Time) error {
	return f.record("quiet-for", page.ID{})
}
func (f *fakeService) QuietUntil(context.Context, time.Time, time.Time) error {
	return f.record("quiet-until", page.ID{})
}
func (f *fakeService) QuietOff(context.Context, time.Time) error {
	return f.record("quiet-off", page.ID{})
}
func (f *fakeService) Config() config.Config {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg
}
func (f *fakeService) ConfigPath() string { return "/fake/config.toml" }
func (f *fakeService) UpdateConfig(edit func(*config.Config) error, after ...func()) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.saveErr != nil {
		return f.saveErr
	}
	c := f.cfg
	c.Quiet.Windows = append([]quiet.Window(nil), c.Quiet.Windows...)
	if err := edit(&c); err != nil {
		return err
	}
	f.cfg = c
	f.calls = append(f.calls, "update-config")
	return nil
}
func (f *fakeService) AddSource(_ context.Context, sc config.Source, token string) error {
	if sc.Name == "" {
		return errors.New("a source needs a name")
	}
	return f.record("add-source:"+sc.Kind+":"+sc.Name, page.ID{})
}
func (f *fakeService) TestSource(_ context.Context, name string) app.TestResult {
	_ = f.record("test-source:"+name, page.ID{})
	return app.TestResult{Name: name, OK: true, Message: "ok, 2 open pages"}
}
func (f *fakeService) RefreshFeeds(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshd = append(f.refreshd, name)
}

func (f *fakeService) TestAlarm(context.Context) error {
	_ = f.record("test-alarm", page.ID{})
	return f.alarmErr
}
func (f *fakeService) SilenceAlarm() { _ = f.record("silence-alarm", page.ID{}) }

// LoginStart is off and supported; loginFake (settings_login_test.go)
// has a login entry that changes.
func (f *fakeService) LoginStart() (app.LoginState, error) { return app.LoginState{}, nil }
func (f *fakeService) SetLoginStart(on bool) error {
	return f.record(map[bool]string{true: "login-on", false: "login-off"}[on], page.ID{})
}

var _ Service = (*fakeService)(nil)
