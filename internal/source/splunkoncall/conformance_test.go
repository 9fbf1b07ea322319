package splunkoncall_test

import (
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
	"github.com/standby-oncall/standby/internal/source/splunkoncall"
	"github.com/standby-oncall/standby/internal/source/splunkoncall/vofake"
)

const (
	testID  = "a1b2c3d4"
	testKey = "vo-key-5f0e9d8c7b6a"
)

var alice = source.Actor{Name: "alice", Email: "alice@example.com"}

// states translate the suite's urgencies into entity states.
var states = map[page.Urgency]string{page.UrgencyHigh: "CRITICAL", page.UrgencyLow: "WARNING"}

// TestConformance runs the shared suite with the budget lifted (the suite
// polls List every 25 ms); the budget has its own tests in limit_test.go.
func TestConformance(t *testing.T) {
	sourcetest.Run(t, func(t *testing.T) sourcetest.Harness {
		vo := vofake.New(t, testID, testKey)
		vo.AddUser(alice.Name)
		client := vo.Client()
		client.Timeout = 500 * time.Millisecond
		src, err := splunkoncall.New(splunkoncall.Config{Name: "vo", URL: vo.URL, APIID: testID, APIKey: testKey,
			Limiter: rate.NewLimiter(rate.Inf, 0)}, client)
		if err != nil {
			t.Fatal(err)
		}
		return sourcetest.Harness{
			Source:       src,
			Actor:        alice,
			AckedByKnown: true,
			Secret:       testKey,
			Fail:         vo.Faults.Set,
			Fire: func(t *testing.T, a sourcetest.Alert) string {
				return vo.Trigger(vofake.Incident{Entity: a.Title, State: states[a.Urgency], Service: "checkout"})
			},
			Close: func(t *testing.T, id string) { vo.Recover(id) },
		}
	})
}
