package hub_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
)

const alertmanagerBin = "/usr/bin/prometheus-alertmanager"

// TestRealAlertmanager points a real Alertmanager (Debian's package) at the
// hub's webhook, fires an alert through its API, and waits for the page on
// a member's bus client; then resolves it and waits for the page to close.
func TestRealAlertmanager(t *testing.T) {
	if testing.Short() {
		t.Skip("real Alertmanager: skipped in -short")
	}
	if _, err := os.Stat(alertmanagerBin); err != nil {
		t.Skipf("%s not installed (apt-get install prometheus-alertmanager); skipping the real Alertmanager test", alertmanagerBin)
	}
	f := newFixture(t)
	amURL := startAlertmanager(t, f.h.WebhookURL("alertmanager"), f.hook)

	start := time.Now()
	postAlert(t, amURL, "")
	p := waitPage(t, f.pages, 20*time.Second, func(p page.Page) bool {
		return p.Labels["alertname"] == "StandbyRealAM" && p.Open()
	})
	if p.ID.Source != "am-prod" || p.Urgency != page.UrgencyHigh || p.Title != "real Alertmanager says hi" {
		t.Fatalf("page %+v", p)
	}
	t.Logf("alert -> Alertmanager -> hub -> bus in %v", time.Since(start).Round(time.Millisecond))

	postAlert(t, amURL, time.Now().UTC().Format(time.RFC3339))
	waitPage(t, f.pages, 20*time.Second, func(q page.Page) bool { return q.ID == p.ID && !q.Open() })
}

func waitPage(t *testing.T, ch <-chan bus.PageEvent, d time.Duration, match func(page.Page) bool) page.Page {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case ev := <-ch:
			if !ev.Synced && match(ev.Page) {
				return ev.Page
			}
		case <-timer.C:
			t.Fatalf("no matching page within %v", d)
		}
	}
}

func startAlertmanager(t *testing.T, webhook, token string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf(`route:
  receiver: standby
  group_by: [alertname]
  group_wait: 100ms
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: standby
    webhook_configs:
      - url: %q
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: %q
`, webhook, token)
	if err := os.WriteFile(filepath.Join(dir, "am.yml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, alertmanagerBin,
		"--config.file="+filepath.Join(dir, "am.yml"), "--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--cluster.listen-address=")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("alertmanager log:\n%s", strings.ReplaceAll(logs.String(), token, "<token>"))
		}
	})
	url := "http://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(url + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("alertmanager not ready at %s", url)
		}
		time.Sleep(50 * time.Millisecond) // polling an external process, not a goroutine
	}
}

func postAlert(t *testing.T, amURL, endsAt string) {
	t.Helper()
	ends := ""
	if endsAt != "" {
		ends = fmt.Sprintf(`,"endsAt":%q`, endsAt)
	}
	body := fmt.Sprintf(`[{"labels":{"alertname":"StandbyRealAM","severity":"critical","job":"payments"},
 "annotations":{"summary":"real Alertmanager says hi"},"generatorURL":"http://prometheus.example/graph"%s}]`, ends)
	resp, err := http.Post(amURL+"/api/v2/alerts", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("alertmanager refused the alert: %s", resp.Status)
	}
}
