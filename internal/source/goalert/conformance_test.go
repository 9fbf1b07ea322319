package goalert_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/goalert"
	"github.com/standby-oncall/standby/internal/source/goalert/gafake"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

const (
	testUser     = "alice"
	testPassword = "correct-horse-battery-9f2e"
)

var alice = source.Actor{Name: "alice", Email: "alice@example.com"}

var severities = map[page.Urgency]string{page.UrgencyHigh: "critical", page.UrgencyLow: "warning"}

// TestConformance runs the suite against the fake (CI cannot build
// GoAlert); the fake pages every List one alert at a time.
func TestConformance(t *testing.T) {
	sourcetest.Run(t, func(t *testing.T) sourcetest.Harness {
		src, ga := newSource(t, goalert.Config{})
		return sourcetest.Harness{
			Source: src,
			Actor:  alice,
			Secret: testPassword,
			Fail:   ga.Faults.Set,
			Fire: func(t *testing.T, a sourcetest.Alert) string {
				return strconv.Itoa(ga.Fire(gafake.Alert{Summary: a.Title, Service: "svc-1",
					Meta: map[string]string{"severity": severities[a.Urgency]}}))
			},
			Close: func(t *testing.T, id string) {
				n, _ := strconv.Atoi(id)
				ga.Close(n)
			},
		}
	})
}

func newSource(t *testing.T, cfg goalert.Config) (*goalert.Source, *gafake.Server) {
	t.Helper()
	ga := gafake.New(t, testUser, testPassword)
	client := ga.Client()
	client.Timeout = 500 * time.Millisecond
	cfg.URL, cfg.Username, cfg.Password = ga.URL, testUser, testPassword
	if cfg.Name == "" {
		cfg.Name = "ga"
	}
	src, err := goalert.New(cfg, client)
	if err != nil {
		t.Fatal(err)
	}
	return src, ga
}
