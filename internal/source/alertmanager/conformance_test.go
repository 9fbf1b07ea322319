package alertmanager_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/alertmanager"
	"github.com/standby-oncall/standby/internal/source/alertmanager/amtest"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

// testToken is sent as a bearer token; Alertmanager ignores it, the suite
// checks it never shows in an error.
const testToken = "am-secret-3f9c2b7e"

var alertSeq atomic.Int64

// uniqueName returns a fresh alertname, so tests sharing a server do not
// see each other's alerts or silences.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, alertSeq.Add(1))
}

// severities translate the suite's urgencies into severity labels.
var severities = map[page.Urgency]string{page.UrgencyHigh: "critical", page.UrgencyLow: "warning"}

func TestConformance(t *testing.T) {
	am := amtest.Start(t, amtest.Options{})
	sourcetest.Run(t, func(t *testing.T) sourcetest.Harness {
		return newHarness(t, am)
	})
}

// newHarness puts a fault-injecting reverse proxy in front of the real
// Alertmanager and scopes the source to this subtest's alerts by a label.
func newHarness(t *testing.T, am *amtest.Server) sourcetest.Harness {
	target, err := url.Parse(am.URL)
	if err != nil {
		t.Fatal(err)
	}
	faults := &sourcetest.Faults{}
	proxy := httptest.NewServer(faults.Wrap(httputil.NewSingleHostReverseProxy(target)))
	t.Cleanup(proxy.Close)
	scope := uniqueName("scope")
	src, err := alertmanager.New(alertmanager.Config{
		Name:   "am-test",
		URL:    proxy.URL,
		Token:  testToken,
		Filter: []string{fmt.Sprintf("standby_scope=%q", scope)},
	}, &http.Client{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	fired := map[string]amtest.Alert{}
	return sourcetest.Harness{
		Source:       src,
		Actor:        source.Actor{Name: "alice", Email: "alice@example.com"},
		AckedByKnown: true,
		Secret:       testToken,
		Fail:         faults.Set,
		Fire: func(t *testing.T, a sourcetest.Alert) string {
			name := uniqueName("StandbyConformance")
			al := amtest.Alert{
				Labels: map[string]string{"alertname": name, "standby_scope": scope,
					"severity": severities[a.Urgency], "instance": "db-1:9100"},
				Annotations: map[string]string{"summary": a.Title},
			}
			am.Post(t, al)
			var fp string
			sourcetest.Eventually(t, 10*time.Second, 20*time.Millisecond, func() bool {
				fp = am.Fingerprint(t, name)
				return fp != ""
			}, "the posted alert")
			fired[fp] = al
			return fp
		},
		Close: func(t *testing.T, fp string) {
			al := fired[fp]
			al.EndsAt = time.Now().Add(-time.Second)
			am.Post(t, al)
		},
	}
}
