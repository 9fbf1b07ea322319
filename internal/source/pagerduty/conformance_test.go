package pagerduty_test

import (
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/pagerduty"
	"github.com/standby-oncall/standby/internal/source/pagerduty/pdfake"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

const testToken = "y_NbAkKc66ryYTWUXYEu"

var alice = source.Actor{Name: "Alice Example", Email: "alice@example.com"}

func TestConformance(t *testing.T) {
	sourcetest.Run(t, func(t *testing.T) sourcetest.Harness {
		pd := pdfake.New(t, testToken, false)
		pd.AddUser(alice.Name, alice.Email)
		pd.MaxLimit = 1 // every List pages, so PartialFailure hits page two
		client := pd.Client()
		client.Timeout = 500 * time.Millisecond
		src, err := pagerduty.New(pagerduty.Config{Name: "pd", URL: pd.URL, Token: testToken}, client)
		if err != nil {
			t.Fatal(err)
		}
		return sourcetest.Harness{
			Source:       src,
			Actor:        alice,
			AckedByKnown: true,
			Secret:       testToken,
			Fail:         pd.Faults.Set,
			Fire: func(t *testing.T, a sourcetest.Alert) string {
				urgency := map[page.Urgency]string{page.UrgencyHigh: "high", page.UrgencyLow: "low"}[a.Urgency]
				return pd.Trigger(pdfake.Incident{Title: a.Title, Urgency: urgency, Service: "Payments API"})
			},
			Close: func(t *testing.T, id string) { pd.Resolve(id) },
			Notes: func(t *testing.T, id string) []string { return pd.Notes(id) },
		}
	})
}

// newSource returns a source on a fresh fake that knows alice.
func newSource(t *testing.T, cfg pagerduty.Config) (*pagerduty.Source, *pdfake.Server) {
	t.Helper()
	pd := pdfake.New(t, testToken, cfg.OAuth)
	pd.AddUser(alice.Name, alice.Email)
	cfg.URL, cfg.Token = pd.URL, testToken
	if cfg.Name == "" {
		cfg.Name = "pd"
	}
	src, err := pagerduty.New(cfg, pd.Client())
	if err != nil {
		t.Fatal(err)
	}
	return src, pd
}
