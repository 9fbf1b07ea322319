package ui

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"fyne.io/fyne/v2/test"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/source/registry"
)

// addRecorder keeps the source the form hands to AddSource.
type addRecorder struct {
	mu    sync.Mutex
	got   config.Source
	token string
}

func (r *addRecorder) AddSource(_ context.Context, sc config.Source, token string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got, r.token = sc, token
	return nil
}

func (r *addRecorder) TestSource(context.Context, string) app.TestResult {
	return app.TestResult{Message: "ok"}
}

// TestSourcesFormFollowsTheRegistry: the add form shows, for the chosen
// kind, exactly the settings the registry lists (label and help), and
// hands what was typed to AddSource in the right fields.
func TestSourcesFormFollowsTheRegistry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		test.NewTempApp(t)
		rec := &addRecorder{}
		v := newSourcesView(rec)
		w := test.NewWindow(v.root)
		defer w.Close()
		for _, d := range registry.All() {
			v.kind.SetSelected(string(d.Kind))
			var labels []string
			for _, it := range v.form.Items[2:] {
				labels = append(labels, it.Text)
			}
			var want []string
			for _, s := range d.Settings {
				want = append(want, s.Label)
			}
			if !slices.Equal(labels, want) {
				t.Errorf("%s: form shows %v, the registry lists %v", d.Kind, labels, want)
			}
		}
		v.kind.SetSelected("pagerduty")
		test.Type(v.name, "pd")
		test.Type(v.token, "s3cret")
		test.Type(v.fields[registry.FieldUserIDs], "PABC, PDEF")
		v.form.OnSubmit()
		synctest.Wait()
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if rec.got.Kind != "pagerduty" || rec.got.Name != "pd" || !slices.Equal(rec.got.UserIDs, []string{"PABC", "PDEF"}) ||
			rec.got.URL != "" || rec.token != "s3cret" {
			t.Fatalf("AddSource got %+v (token %q)", rec.got, rec.token)
		}
	})
}
