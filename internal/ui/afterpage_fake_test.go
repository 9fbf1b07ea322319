package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/handoff"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/report"
)

// afterPageFake is what fakeService answers for the after-the-page views;
// tests set it through fakeService.after (guarded by fakeService.mu).
type afterPageFake struct {
	handoff    handoff.Handoff
	handoffErr error
	team       []bus.Handoff
	load       report.TeamLoad
	loadErr    error
	teammates  []string
	ics        string
}

func (f *fakeService) afterPage() afterPageFake {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.after
}

func (f *fakeService) DeclareIncident(_ context.Context, id page.ID, doc string, _ time.Time) (app.Incident, error) {
	return app.Incident{Page: id, Doc: doc}, f.record("declare:"+doc, id)
}
func (f *fakeService) HandoverIncident(_ context.Context, id page.ID, to string, _ time.Time) (app.Incident, error) {
	return app.Incident{Page: id, Commander: to}, f.record("handover:"+to, id)
}
func (f *fakeService) JoinIncident(_ context.Context, id page.ID) (app.Incident, error) {
	return app.Incident{Page: id}, f.record("join", id)
}
func (f *fakeService) Teammates() []string { return f.afterPage().teammates }
func (f *fakeService) Handoff(context.Context, time.Time, bool) (handoff.Handoff, error) {
	a := f.afterPage()
	return a.handoff, a.handoffErr
}
func (f *fakeService) TeamHandoffs(context.Context) ([]bus.Handoff, error) {
	return f.afterPage().team, nil
}
func (f *fakeService) TeamLoad(context.Context, time.Time) (report.TeamLoad, error) {
	a := f.afterPage()
	return a.load, a.loadErr
}
func (f *fakeService) PublishMyLoad(context.Context, time.Time) error {
	return f.record("publish-load", page.ID{})
}
func (f *fakeService) WriteShiftsICS(w io.Writer, _, _, _ time.Time) error {
	ics := f.afterPage().ics
	if ics == "" {
		return errors.New("no calendar")
	}
	_, err := fmt.Fprint(w, ics)
	return err
}
