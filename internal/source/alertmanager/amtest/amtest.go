// Package amtest runs a real Prometheus Alertmanager process for tests, on
// 127.0.0.1 with free ports, a temporary storage path and a minimal config
// (everything routes to a receiver that notifies nobody, group_wait 0s).
// Tests skip with a clear message when the binary is absent.
package amtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// EnvBinary names the variable that overrides the binary's path.
const EnvBinary = "STANDBY_ALERTMANAGER"

// binaries are looked up in order: Debian's name, then upstream's.
var binaries = []string{"prometheus-alertmanager", "alertmanager"}

// config routes every alert to "null", which has no notifier.
const config = `route:
  receiver: "null"
  group_by: ["alertname"]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: "null"
`

// startTimeout bounds the wait for /-/ready.
const startTimeout = 30 * time.Second

// Server is one running Alertmanager.
type Server struct {
	// URL is the web root, e.g. http://127.0.0.1:40123.
	URL string
	// ClusterAddr is the gossip address ("" when clustering is off).
	ClusterAddr string
	client      *http.Client
}

// Options shape the process.
type Options struct {
	// Cluster turns on gossip on a free 127.0.0.1 port.
	Cluster bool
	// Peers are ClusterAddr values of servers to join (implies Cluster).
	Peers []string
}

// Binary returns the Alertmanager binary's path, or "" when absent.
func Binary() string {
	if p := os.Getenv(EnvBinary); p != "" {
		return p
	}
	for _, name := range binaries {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start runs an Alertmanager until the test ends; it skips the test when
// no binary is installed.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skipf("Alertmanager not installed (apt-get install prometheus-alertmanager, or set %s)", EnvBinary)
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		t.Fatalf("writing config: %v", err)
	}
	s := &Server{URL: "http://" + freeAddr(t), client: &http.Client{Timeout: 5 * time.Second}}
	args := []string{
		"--config.file=" + cfgPath,
		"--storage.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + s.URL[len("http://"):],
		"--log.level=warn",
	}
	args = append(args, clusterArgs(t, s, opts)...)
	logPath := filepath.Join(dir, "alertmanager.log")
	done := run(t, bin, args, logPath)
	s.waitReady(t, done, logPath)
	return s
}

func clusterArgs(t testing.TB, s *Server, opts Options) []string {
	if !opts.Cluster && len(opts.Peers) == 0 {
		return []string{"--cluster.listen-address="}
	}
	s.ClusterAddr = freeAddr(t)
	args := []string{
		"--cluster.listen-address=" + s.ClusterAddr,
		"--cluster.advertise-address=" + s.ClusterAddr,
		"--cluster.gossip-interval=50ms",
		"--cluster.pushpull-interval=1s",
	}
	for _, p := range opts.Peers {
		args = append(args, "--cluster.peer="+p)
	}
	return args
}

// run starts the process, stops it at cleanup, and returns a channel closed
// when it exits.
func run(t testing.TB, bin string, args []string, logPath string) <-chan struct{} {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("creating log: %v", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("starting %s: %v", bin, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	return done
}

// waitReady polls /-/ready with a deadline; an early exit fails at once.
func (s *Server) waitReady(t testing.TB, exited <-chan struct{}, logPath string) {
	t.Helper()
	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := s.client.Get(s.URL + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("Alertmanager exited during start-up:\n%s", log)
		case <-deadline.C:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("Alertmanager not ready after %v:\n%s", startTimeout, log)
		case <-tick.C:
		}
	}
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment
// ago (the usual small race with other processes is accepted in tests).
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// Alert is an alert as posted to /api/v2/alerts.
type Alert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations,omitempty"`
	StartsAt    time.Time         `json:"startsAt,omitzero"`
	EndsAt      time.Time         `json:"endsAt,omitzero"`
}

// Post sends alerts as Prometheus would.
func (s *Server) Post(t testing.TB, alerts ...Alert) {
	t.Helper()
	body, err := json.Marshal(alerts)
	if err != nil {
		t.Fatalf("encoding alerts: %v", err)
	}
	resp, err := s.client.Post(s.URL+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("posting alerts: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("posting alerts: %s", resp.Status)
	}
}

// Get decodes a GET of path (e.g. "/api/v2/silences") into out.
func (s *Server) Get(t testing.TB, path string, out any) {
	t.Helper()
	resp, err := s.client.Get(s.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// Fingerprint returns the fingerprint of the active alert whose alertname
// is name, or "" when there is none.
func (s *Server) Fingerprint(t testing.TB, name string) string {
	t.Helper()
	var alerts []struct {
		Fingerprint string            `json:"fingerprint"`
		Labels      map[string]string `json:"labels"`
	}
	q := url.Values{"filter": {fmt.Sprintf("alertname=%q", name)}}
	s.Get(t, "/api/v2/alerts?"+q.Encode(), &alerts)
	for _, a := range alerts {
		if a.Labels["alertname"] == name {
			return a.Fingerprint
		}
	}
	return ""
}

// Silence is a silence as GET /api/v2/silences returns it.
type Silence struct {
	ID        string    `json:"id"`
	CreatedBy string    `json:"createdBy"`
	Comment   string    `json:"comment"`
	StartsAt  time.Time `json:"startsAt"`
	EndsAt    time.Time `json:"endsAt"`
	Matchers  []struct {
		Name    string `json:"name"`
		Value   string `json:"value"`
		IsRegex bool   `json:"isRegex"`
		IsEqual *bool  `json:"isEqual"`
	} `json:"matchers"`
	Status struct {
		State string `json:"state"`
	} `json:"status"`
}

// Silences lists every silence the server holds.
func (s *Server) Silences(t testing.TB) []Silence {
	t.Helper()
	var out []Silence
	s.Get(t, "/api/v2/silences", &out)
	return out
}
