package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/standby-oncall/standby/internal/instance"
)

// shotTabs are the window's tabs in order, for the file names.
var shotTabs = []string{"pages", "schedule", "report", "quiet", "sources", "settings"}

// shotSettle is how long a tab is given to draw before its screenshot:
// the app says nothing when a frame is on screen, so only waiting tells.
const shotSettle = 800 * time.Millisecond

// shots saves a screenshot of every tab with 0, 3 and 500 open pages,
// and with an Alertmanager whose alerts come in groups, in the light and
// the dark theme, as DIR/<theme>-<pages>-<n>-<tab>.png. Zero pages is a
// real (fake-served) Alertmanager with nothing firing; 3 and 500 are the
// demo source.
func shots(o options, tmp, bin, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("screenshot dir: %w", err)
	}
	empty, err := serveAlertmanager(nil)
	if err != nil {
		return err
	}
	defer empty.Close()
	grouped, err := serveAlertmanager(demoGroups(time.Now()))
	if err != nil {
		return err
	}
	defer grouped.Close()
	cases := []struct {
		name string
		am   net.Listener // nil: the demo
		args []string
	}{
		{"000", empty, nil},
		{"003", nil, []string{"--demo-pages", "3"}},
		{"500", nil, []string{"--demo-pages", "500"}},
		{"groups", grouped, nil},
	}
	for _, c := range cases {
		for _, variant := range []string{"light", "dark"} {
			if err := shootAll(o, tmp, bin, dir, variant, c.name, c.am, c.args); err != nil {
				return fmt.Errorf("%s %s: %w", c.name, variant, err)
			}
		}
	}
	return nil
}

func shootAll(o options, tmp, bin, dir, variant, name string, am net.Listener, args []string) error {
	sess, err := newSession(tmp, "")
	if err != nil {
		return err
	}
	defer sess.close()
	sess.env = append(sess.env, "FYNE_THEME="+variant)
	if am != nil {
		cfg := fmt.Sprintf("version = 1\n\n[[sources]]\nname = \"prod\"\nkind = \"alertmanager\"\nurl = \"http://%s\"\n", am.Addr())
		cdir := filepath.Join(sess.home, "cfg", "standby")
		if err := os.MkdirAll(cdir, 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(cdir, "config.toml"), []byte(cfg), 0o600); err != nil {
			return err
		}
	}
	p, err := start(sess, bin, append([]string{"--exit-after", "2m"}, args...), "standby: ready", o.timeout)
	if err != nil {
		return err
	}
	defer p.stop()
	sock := filepath.Join(sess.home, "run", "standby", "standby.sock")
	for i, tab := range shotTabs {
		if err := instance.Send(sock, "tab "+strconv.Itoa(i+1)); err != nil {
			return fmt.Errorf("switching to %s: %w", tab, err)
		}
		time.Sleep(shotSettle)
		path := filepath.Join(dir, fmt.Sprintf("%s-%s-%d-%s.png", variant, name, i+1, tab))
		if err := screenshot(sess, path); err != nil {
			return err
		}
	}
	if !p.alive() {
		return fmt.Errorf("standby exited; stderr:\n%s", p.stderr)
	}
	return nil
}

// serveAlertmanager answers GET /api/v2/alerts/groups (and silences)
// with groups on a loopback port until the listener is closed.
func serveAlertmanager(groups []amGroup) (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake Alertmanager: %w", err)
	}
	if groups == nil {
		groups = []amGroup{}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/alerts/groups", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(groups)
	})
	mux.HandleFunc("GET /api/v2/silences", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("[]"))
	})
	go func() { _ = http.Serve(ln, mux) }()
	return ln, nil
}

type amAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	EndsAt      time.Time         `json:"endsAt"`
	Fingerprint string            `json:"fingerprint"`
	Status      map[string]any    `json:"status"`
}

type amGroup struct {
	Labels   map[string]string `json:"labels"`
	Receiver map[string]string `json:"receiver"`
	Alerts   []amAlert         `json:"alerts"`
}

// demoGroups is a storm: 12 HighErrorRate alerts in one group, 4
// DiskFull in another, and one lone alert.
func demoGroups(now time.Time) []amGroup {
	mk := func(name, sev string, n int, label string) amGroup {
		g := amGroup{Labels: map[string]string{"alertname": name}, Receiver: map[string]string{"name": "oncall"}}
		for i := range n {
			g.Alerts = append(g.Alerts, amAlert{
				Labels:      map[string]string{"alertname": name, "severity": sev, "service": "payments-api", label: fmt.Sprintf("%s-%d", label, i)},
				Annotations: map[string]string{"summary": fmt.Sprintf("%s on %s-%d", name, label, i)},
				StartsAt:    now.Add(-time.Duration(3+i) * time.Minute), EndsAt: now.Add(time.Hour),
				Fingerprint: fmt.Sprintf("%s%04d", name[:4], i),
				Status:      map[string]any{"state": "active", "silencedBy": []string{}, "inhibitedBy": []string{}},
			})
		}
		return g
	}
	return []amGroup{mk("HighErrorRate", "critical", 12, "pod"), mk("DiskFull", "warning", 4, "node"), mk("CertExpiry", "warning", 1, "host")}
}
