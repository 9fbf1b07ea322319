package grafanaoncall_test

import (
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/grafanaoncall"
	"github.com/standby-oncall/standby/internal/source/grafanaoncall/oncallfake"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

const testToken = "oncall-4d1c9e0b7a2f"

var (
	alice = source.Actor{Name: "alice", Email: "alice@example.com"}
	owner = oncallfake.User{ID: "U4DNY931HHJS5", Username: "alice", Email: "alice@example.com"}
)

var severities = map[page.Urgency]string{page.UrgencyHigh: "critical", page.UrgencyLow: "warning"}

func TestConformance(t *testing.T) {
	sourcetest.Run(t, func(t *testing.T) sourcetest.Harness {
		oc := oncallfake.New(t, testToken, owner)
		oc.PageSize = 1 // every List pages, so PartialFailure hits page two
		client := oc.Client()
		client.Timeout = 500 * time.Millisecond
		src, err := grafanaoncall.New(grafanaoncall.Config{Name: "oc", URL: oc.URL, Token: testToken}, client)
		if err != nil {
			t.Fatal(err)
		}
		return sourcetest.Harness{
			Source:       src,
			Actor:        alice,
			AckedByKnown: true,
			Secret:       testToken,
			Fail:         oc.Faults.Set,
			Fire: func(t *testing.T, a sourcetest.Alert) string {
				return oc.Fire(oncallfake.Group{Title: a.Title, Labels: map[string]string{"severity": severities[a.Urgency]}})
			},
			Close: func(t *testing.T, id string) { oc.Resolve(id) },
			Notes: func(t *testing.T, id string) []string { return oc.Notes(id) },
		}
	})
}
