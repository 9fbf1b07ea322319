package ui

import (
	"context"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/page"
)

// Service is the slice of the application service the window and the
// tray use; *app.Service satisfies it, and tests pass fakes. Each view
// declares the smaller slice it needs below.
type Service interface {
	stateService
	pageService
	quietService
	configService
	sourcesService
	scheduleService
	alarmService
	reportService
	afterPageService
	loginService
}

// stateService is what the shell reads to compute the view-models.
type stateService interface {
	Changes() (<-chan struct{}, func())
	Snapshot(ctx context.Context, now time.Time) app.Snapshot
	Location() *time.Location
	Schedule(now, from, to time.Time) app.ScheduleView
	RecentDecisions(ctx context.Context, since time.Time, limit int) ([]app.Decision, error)
}

// pageService is what the page rows and the tray's page items do.
type pageService interface {
	Ack(ctx context.Context, id page.ID) error
	Unack(ctx context.Context, id page.ID) error
	Resolve(ctx context.Context, id page.ID) error
	Look(ctx context.Context, id page.ID, now time.Time) (page.Claim, error)
	Release(ctx context.Context, id page.ID) error
	// RingNow ends a held page's hold and rings it now ("Ring me now").
	RingNow(ctx context.Context, id page.ID) error
}

// quietService is the ad-hoc quiet of the tray and the Quiet hours tab.
type quietService interface {
	QuietFor(ctx context.Context, d time.Duration, now time.Time) error
	QuietUntil(ctx context.Context, t, now time.Time) error
	QuietOff(ctx context.Context, now time.Time) error
	Location() *time.Location
}

// configService is what the Quiet hours grid and Settings edit.
type configService interface {
	Config() config.Config
	ConfigPath() string
	Location() *time.Location
	UpdateConfig(edit func(*config.Config) error, after ...func()) error
}

// sourcesService is what the Sources tab does.
type sourcesService interface {
	AddSource(ctx context.Context, sc config.Source, token string) error
	TestSource(ctx context.Context, name string) app.TestResult
}

// alarmService is the alarm's "Test alarm" (Settings) and "Silence alarm"
// (tray).
type alarmService interface {
	TestAlarm(ctx context.Context) error
	SilenceAlarm()
}

// scheduleService is what the Schedule tab does.
type scheduleService interface {
	RefreshFeeds(name string)
}

var _ Service = (*app.Service)(nil)
