package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/hub"
)

// alertmanagerBin is Debian's Alertmanager (package prometheus-alertmanager).
const alertmanagerBin = "/usr/bin/prometheus-alertmanager"

// world is one run's hub, Alertmanager and the webhook tap between them.
type world struct {
	dir   string
	hub   *hub.Hub
	hook  string // the hub's webhook token
	tap   *tap
	amURL string
	am    *exec.Cmd
	amLog bytes.Buffer
	stop  func()
}

// startWorld starts the hub (in process), the tap in front of its
// Alertmanager webhook and a real Alertmanager posting to the tap.
func startWorld(ctx context.Context, dir string) (*world, error) {
	w := &world{dir: dir}
	h, err := hub.New(hub.Config{Listen: "127.0.0.1:0", DataDir: filepath.Join(dir, "hub"), HTTPListen: "127.0.0.1:0"})
	if err != nil {
		return nil, fmt.Errorf("making the hub: %w", err)
	}
	if err := h.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the hub: %w", err)
	}
	w.hub = h
	if w.hook, err = h.Store().AddWebhook("am"); err != nil {
		return nil, err
	}
	if err := h.Reload(); err != nil {
		return nil, err
	}
	if w.tap, err = startTap(h.WebhookURL("alertmanager")); err != nil {
		return nil, err
	}
	if err := w.startAlertmanager(ctx); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *world) close() {
	if w.stop != nil {
		w.stop()
	}
	if w.tap != nil {
		w.tap.close()
	}
	if w.hub != nil {
		_ = w.hub.Shutdown(context.Background())
	}
}

func (w *world) startAlertmanager(ctx context.Context) error {
	cfg := fmt.Sprintf(`route:
  receiver: standby
  group_by: [alertname]
  group_wait: 0s
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
`, w.tap.url, w.hook)
	dir := filepath.Join(w.dir, "am")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "am.yml"), []byte(cfg), 0o600); err != nil {
		return err
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	actx, cancel := context.WithCancel(ctx)
	w.am = exec.CommandContext(actx, alertmanagerBin,
		"--config.file="+filepath.Join(dir, "am.yml"), "--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--cluster.listen-address=")
	w.am.Stdout, w.am.Stderr = &w.amLog, &w.amLog
	if err := w.am.Start(); err != nil {
		cancel()
		return fmt.Errorf("starting %s: %w", alertmanagerBin, err)
	}
	w.stop = func() { cancel(); _ = w.am.Wait() }
	w.amURL = "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(w.amURL + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("alertmanager not ready at %s:\n%s", w.amURL, strings.ReplaceAll(w.amLog.String(), w.hook, "<token>"))
		}
		time.Sleep(50 * time.Millisecond) // polling another process
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// fire posts one firing alert to Alertmanager: page i of the storm.
func (w *world) fire(i int) error {
	body := fmt.Sprintf(`[{"labels":{"alertname":%q,"severity":"critical","job":"payments"},
 "annotations":{"summary":%q}}]`, alertName(i), pageTitle(i))
	resp, err := http.Post(w.amURL+"/api/v2/alerts", "application/json", strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("posting alert %d: %w", i, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("alertmanager refused alert %d: %s", i, resp.Status)
	}
	return nil
}

func alertName(i int) string { return fmt.Sprintf("Storm%03d", i) }

// pageTitle is page i's title; bubbles carry it ("[critical] storm page 007").
func pageTitle(i int) string { return fmt.Sprintf("storm page %03d", i) }

// tap is a reverse proxy in front of the hub's Alertmanager webhook that
// notes when each alert's first firing notification arrived: the start of
// "webhook → first loud bubble".
type tap struct {
	url string
	srv *http.Server
	mu  sync.Mutex
	at  map[string]time.Time // alertname → first firing webhook
}

func startTap(target string) (*tap, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &tap{url: "http://" + l.Addr().String() + u.Path, at: map[string]time.Time{}}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(&url.URL{Scheme: u.Scheme, Host: u.Host}) }}
	t.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		t.note(body, now)
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = t.srv.Serve(l) }()
	return t, nil
}

func (t *tap) note(body []byte, now time.Time) {
	var msg struct {
		Alerts []struct {
			Status string            `json:"status"`
			Labels map[string]string `json:"labels"`
		} `json:"alerts"`
	}
	if json.Unmarshal(body, &msg) != nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, a := range msg.Alerts {
		name := a.Labels["alertname"]
		if _, seen := t.at[name]; !seen && a.Status == "firing" {
			t.at[name] = now
		}
	}
}

// arrived returns when alert i's webhook reached the hub (zero if never).
func (t *tap) arrived(i int) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.at[alertName(i)]
}

func (t *tap) close() { _ = t.srv.Close() }
