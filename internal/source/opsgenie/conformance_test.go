package opsgenie_test

import (
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/opsgenie"
	"github.com/standby-oncall/standby/internal/source/opsgenie/ogfake"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

const (
	testKey   = "eb243592-faa2-4ba2-a551q-1afdf565c889"
	testEmail = "alice@example.com"
)

var alice = source.Actor{Name: "alice", Email: testEmail}

var priorities = map[page.Urgency]string{page.UrgencyHigh: "P1", page.UrgencyLow: "P4"}

// TestConformance runs the suite against both flavors; every change goes
// through the 202 + request-status confirmation.
func TestConformance(t *testing.T) {
	for _, flavor := range []opsgenie.Flavor{opsgenie.Opsgenie, opsgenie.JSMOps} {
		t.Run(string(flavor), func(t *testing.T) {
			sourcetest.Run(t, func(t *testing.T) sourcetest.Harness {
				src, og := newSource(t, opsgenie.Config{Flavor: flavor})
				og.MaxLimit = 1 // every List pages, so PartialFailure hits page two
				return sourcetest.Harness{
					Source:       src,
					Actor:        alice,
					AckedByKnown: true,
					Secret:       testKey,
					Fail:         og.Faults.Set,
					Fire: func(t *testing.T, a sourcetest.Alert) string {
						return og.Create(ogfake.Alert{Message: a.Title, Priority: priorities[a.Urgency]})
					},
					Close: func(t *testing.T, id string) { og.Close(id) },
					Notes: func(t *testing.T, id string) []string { return og.Notes(id) },
				}
			})
		})
	}
}

// newSource returns a source on a fresh listening fake of cfg.Flavor.
func newSource(t *testing.T, cfg opsgenie.Config) (*opsgenie.Source, *ogfake.Server) {
	t.Helper()
	og := ogfake.New(t, cfg.Flavor == opsgenie.JSMOps, testEmail, testKey)
	client := og.Client()
	client.Timeout = 500 * time.Millisecond
	cfg.URL, cfg.Key, cfg.Email = og.URL, testKey, testEmail
	if cfg.Name == "" {
		cfg.Name = "og"
	}
	if cfg.ConfirmPoll == 0 {
		cfg.ConfirmPoll = time.Millisecond
	}
	src, err := opsgenie.New(cfg, client)
	if err != nil {
		t.Fatal(err)
	}
	return src, og
}
