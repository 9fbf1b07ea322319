package app

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

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/secrets"
)

const alertmanagerBin = "/usr/bin/prometheus-alertmanager"

// TestSameAlertFromHubAndPollIsOnePage (issue #11 items 14 and 15): a real
// Alertmanager sends its alert to the hub's webhook and is polled by a
// source of its own; the member sees one page, rung once, with the urgency
// of the one mapping (the user's override) on both copies.
func TestSameAlertFromHubAndPollIsOnePage(t *testing.T) {
	if testing.Short() {
		t.Skip("real Alertmanager: skipped in -short")
	}
	if _, err := os.Stat(alertmanagerBin); err != nil {
		t.Skipf("%s not installed (apt-get install prometheus-alertmanager); skipping", alertmanagerBin)
	}
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h := startHub(t, ctx, "127.0.0.1:0")
	hook, err := h.Store().AddWebhook("am")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := h.Store().AddMember("alice", []string{h.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	amURL := startAlertmanager(t, h.WebhookURL("alertmanager"), hook)

	rec := &recorder{}
	cfg := fmt.Sprintf(`[user]
name = "alice"
[[sources]]
name = "prom"
kind = "alertmanager"
url = %q
poll = "1s"
[quiet]
[quiet.urgency.alertmanager]
warning = "high"
`, amURL+"/")
	svc := openWith(t, cfg, Options{Notifier: rec, Secrets: &secrets.Store{Service: "standby-test-am", Backend: secrets.Keyring{}, Timeout: time.Second}})
	if _, err := svc.TeamJoin(ctx, tok.Encode(), nil); err != nil {
		t.Fatal(err)
	}
	stop := svc.StartEngine(ctx)
	defer stop()
	if err := svc.ConnectTeam(ctx); err != nil {
		t.Fatal(err)
	}

	postAlert(t, amURL, "warning")
	isAlert := func(p PageView) bool { return p.Labels["alertname"] == "StandbyRealAM" }
	snap := waitFor(t, ctx, svc, "the alert from the hub and from the poll", func(s Snapshot) bool {
		for _, p := range s.Pages {
			if isAlert(p) && len(p.Linked) == 1 {
				return true
			}
		}
		return false
	})
	var shown []PageView
	for _, p := range snap.Pages {
		if isAlert(p) {
			shown = append(shown, p)
		}
	}
	if len(shown) != 1 || shown[0].ID.Source != "prom" || shown[0].Linked[0].Source != "am" {
		t.Fatalf("the alert is shown as %d pages: %v", len(shown), titles(snap))
	}
	for _, p := range svc.engine().Snapshot().Pages {
		if p.Labels["alertname"] == "StandbyRealAM" && p.Urgency != page.UrgencyHigh {
			t.Errorf("%s: urgency %v, want high (warning = \"high\" in the config)", p.ID, p.Urgency)
		}
	}
	stop() // shows what the batch still holds
	rung := 0
	for _, n := range rec.list() {
		if strings.Contains(n.title, "real Alertmanager says hi") {
			rung++
		}
	}
	if rung != 1 {
		t.Fatalf("the alert rang %d times, want once: %+v", rung, rec.list())
	}
}

// startAlertmanager runs Debian's Alertmanager on a free loopback port,
// its external URL that address, sending to webhook with token.
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
	url := "http://" + addr
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, alertmanagerBin, "--config.file="+filepath.Join(dir, "am.yml"),
		"--storage.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr, "--web.external-url="+url,
		"--cluster.listen-address=")
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

func postAlert(t *testing.T, amURL, severity string) {
	t.Helper()
	body := fmt.Sprintf(`[{"labels":{"alertname":"StandbyRealAM","severity":%q,"job":"payments"},
 "annotations":{"summary":"real Alertmanager says hi"},"generatorURL":"http://prometheus.example/graph"}]`, severity)
	resp, err := http.Post(amURL+"/api/v2/alerts", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("alertmanager refused the alert: %s", resp.Status)
	}
}
