package alertmanager_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/alertmanager"
	"github.com/standby-oncall/standby/internal/source/alertmanager/amtest"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

func TestDefaultUrgency(t *testing.T) {
	tests := []struct {
		severity string
		want     page.Urgency
	}{
		{"critical", page.UrgencyHigh},
		{"CRITICAL", page.UrgencyHigh},
		{"page", page.UrgencyHigh},
		{"error", page.UrgencyHigh},
		{" high ", page.UrgencyHigh},
		{"warning", page.UrgencyLow},
		{"info", page.UrgencyLow},
		{"none", page.UrgencyLow},
		{"", page.UrgencyHigh}, // unlabelled: never quietened by mistake (as by webhook)
	}
	for _, tt := range tests {
		if got := alertmanager.DefaultUrgency(tt.severity); got != tt.want {
			t.Errorf("DefaultUrgency(%q) = %v, want %v", tt.severity, got, tt.want)
		}
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  alertmanager.Config
		want string
	}{
		{"no name", alertmanager.Config{URL: "http://am:9093"}, "name"},
		{"no scheme", alertmanager.Config{Name: "am", URL: "am:9093"}, "want http"},
		{"credentials in URL", alertmanager.Config{Name: "am", URL: "http://bob:hunter2@am:9093"}, "keyring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := alertmanager.New(tt.cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, want error mentioning %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the password: %v", err)
			}
		})
	}
}

func TestConfigRedacted(t *testing.T) {
	cfg := alertmanager.Config{Name: "am", URL: "http://am:9093", Username: "bob", Token: "s3cr3t-basic"}
	sourcetest.CheckRedaction(t, cfg, "s3cr3t")
}

// clock is a settable Config.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// TestAckSilenceShapeAndRenewal checks the silence Ack writes and that List
// renews it near its end while the alert fires, and leaves it otherwise.
func TestAckSilenceShapeAndRenewal(t *testing.T) {
	am := amtest.Start(t, amtest.Options{})
	clk := &clock{now: time.Now()}
	src, err := alertmanager.New(alertmanager.Config{Name: "am", URL: am.URL, Now: clk.Now,
		Filter: []string{`standby_scope="renew"`}}, &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"alertname": "RenewMe", "standby_scope": "renew", "severity": "page"}
	am.Post(t, amtest.Alert{Labels: labels})
	fp := waitFingerprint(t, am, "RenewMe")
	t0 := clk.Now()
	if err := src.Ack(t.Context(), fp, source.Actor{Name: "bob"}); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	sil := onlySilence(t, am, "RenewMe")
	if sil.CreatedBy != "standby:bob" || sil.Comment != "Acked in Standby by bob" {
		t.Errorf("silence by %q %q, want standby:bob / Acked in Standby by bob", sil.CreatedBy, sil.Comment)
	}
	if len(sil.Matchers) != len(labels) {
		t.Errorf("matchers %+v, want one per label %v", sil.Matchers, labels)
	}
	for _, m := range sil.Matchers {
		if labels[m.Name] != m.Value || m.IsRegex || (m.IsEqual != nil && !*m.IsEqual) {
			t.Errorf("matcher %+v is not an exact match on the alert's labels", m)
		}
	}
	if d := sil.EndsAt.Sub(t0); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("silence lasts %v, want about 1h", d)
	}

	tests := []struct {
		at      time.Duration
		wantEnd time.Duration // from t0
	}{
		{30 * time.Minute, time.Hour},                    // plenty left: untouched
		{50 * time.Minute, 50*time.Minute + time.Hour},   // 10 min left < 15: renewed
		{100 * time.Minute, 100*time.Minute + time.Hour}, // renewed again
	}
	for _, tt := range tests {
		clk.Set(t0.Add(tt.at))
		waitAcked(t, src, fp)
		got := onlySilence(t, am, "RenewMe").EndsAt.Sub(t0)
		if got < tt.wantEnd-time.Second || got > tt.wantEnd+time.Second {
			t.Errorf("at t0+%v: silence ends t0+%v, want t0+%v", tt.at, got, tt.wantEnd)
		}
	}
}

func waitFingerprint(t *testing.T, am *amtest.Server, name string) string {
	t.Helper()
	var fp string
	sourcetest.Eventually(t, 10*time.Second, 20*time.Millisecond, func() bool {
		fp = am.Fingerprint(t, name)
		return fp != ""
	}, "alert "+name)
	return fp
}

func waitAcked(t *testing.T, src source.Source, fp string) page.Page {
	t.Helper()
	return waitStatus(t, src, fp, page.StatusAcknowledged)
}

func waitTriggered(t *testing.T, src source.Source, fp string) page.Page {
	t.Helper()
	return waitStatus(t, src, fp, page.StatusTriggered)
}

// waitStatus lists until the page fp has status want (deadline loop: the
// server applies silences and gossip on its own schedule).
func waitStatus(t *testing.T, src source.Source, fp string, want page.Status) page.Page {
	t.Helper()
	var p page.Page
	sourcetest.Eventually(t, 10*time.Second, 20*time.Millisecond, func() bool {
		ps, err := src.List(t.Context())
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		p = page.Page{}
		for _, q := range ps {
			if q.ID.Upstream == fp {
				p = q
			}
		}
		return !p.ID.IsZero() && p.Status == want
	}, "the page to be "+want.String())
	return p
}

// onlySilence returns the one active silence whose matchers name alertname.
func onlySilence(t *testing.T, am *amtest.Server, alertname string) amtest.Silence {
	t.Helper()
	var found []amtest.Silence
	for _, s := range am.Silences(t) {
		for _, m := range s.Matchers {
			if m.Name == "alertname" && m.Value == alertname && s.Status.State == "active" {
				found = append(found, s)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("active silences on %s: %+v, want exactly one", alertname, found)
	}
	return found[0]
}

// TestNothingFiring: an Alertmanager with nothing firing answers [], which
// is an empty list, not an error.
func TestNothingFiring(t *testing.T) {
	am := amtest.Start(t, amtest.Options{})
	src, err := alertmanager.New(alertmanager.Config{Name: "am", URL: am.URL}, &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := src.List(t.Context())
	if err != nil || ps == nil || len(ps) != 0 {
		t.Fatalf("List = %#v, %v; want an empty, non-nil list", ps, err)
	}
}
