package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
)

// TestTeamRoutingFromTheCommandLine: with alice's Standby running and on
// call, bob's `standby team status` lists each member with on call and
// ringable, and `standby pages --json` shows a webhook page held for
// alice, with until and responders; with the hub gone, team status fails.
func TestTeamRoutingFromTheCommandLine(t *testing.T) {
	w := newWorld(t, "")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h, err := hub.New(hub.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), HTTPListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer h.Shutdown(context.Background())
	hook, err := h.Store().AddWebhook("ops")
	if err != nil {
		t.Fatal(err)
	}
	alice := runningMember(t, ctx, h, "alice")
	defer alice.Close()

	cfg := fmt.Sprintf("version = 1\n[user]\nzone = \"UTC\"\n[quiet]\n[team]\nurls = [%q]\nhold_high = \"10m\"\n", h.ClientURL())
	if err := os.WriteFile(w.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	tok := memberToken(t, h, "bob")
	w.ok(tok+"\n", "team", "join", "--token-stdin")

	var st app.TeamStatus
	r := w.ok("", "team", "status", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("team status --json: %v\n%s", err, r)
	}
	i := slices.IndexFunc(st.Members, func(m app.TeamMember) bool { return m.Name == "alice" })
	if i < 0 || !st.Members[i].OnCall || !st.Members[i].Ringable || st.Members[i].Schedule != "Payments Primary" {
		t.Fatalf("team status members = %+v, want alice online, on call for Payments Primary, ringable", st.Members)
	}
	if text := w.ok("", "team", "status").stdout; !strings.Contains(text, "MEMBER") || !strings.Contains(text, "alice") ||
		!strings.Contains(text, "yes (Payments Primary)") {
		t.Errorf("team status lists no member table:\n%s", text)
	}

	postHook(t, ctx, h, hook, `{"id":"disk-1","title":"Disk full","urgency":"high"}`)
	var held routedOut
	for held.ID == "" {
		var out struct {
			Pages []routedOut `json:"pages"`
		}
		r := w.ok("", "pages", "--json")
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("pages --json: %v\n%s", err, r)
		}
		for _, p := range out.Pages {
			if p.ID == "ops/disk-1" {
				held = p
			}
		}
		if ctx.Err() != nil {
			t.Fatal("bob never listed the webhook page")
		}
	}
	if held.Decision != "held" || !slices.Equal(held.Responders, []string{"alice"}) || held.Until.IsZero() ||
		held.Until.Before(time.Now().Add(9*time.Minute)) || held.Escalated {
		t.Fatalf("bob's page = %+v, want held for alice about 10 min", held)
	}

	if err := h.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if r := w.run("", "team", "status"); r.code == 0 {
		t.Fatalf("team status with the hub gone must fail:\n%s", r)
	}
}

// routedOut is the routing part of a page in `standby pages --json`.
type routedOut struct {
	ID         string    `json:"id"`
	Decision   string    `json:"decision"`
	Reason     string    `json:"reason"`
	Until      time.Time `json:"until"`
	Responders []string  `json:"responders"`
	Escalated  bool      `json:"escalated"`
}

// runningMember is a teammate's Standby, joined and on call, as the tray
// runs it.
func runningMember(t *testing.T, ctx context.Context, h *hub.Hub, name string) *app.Service {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf("version = 1\n[user]\nzone = \"UTC\"\n[quiet]\n[team]\nurls = [%q]\n", h.ClientURL())
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	svc, err := app.Open(ctx, app.Options{ConfigPath: filepath.Join(dir, "config.toml"), StatePath: filepath.Join(dir, "state.db"),
		Secrets: &secrets.Store{Service: "standby-test-" + name, Backend: secrets.Keyring{}, Timeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	svc.SetOnCall(func(now time.Time) quiet.OnCall {
		return quiet.OnCall{OnCall: true, Schedule: "Payments Primary", Until: now.Add(time.Hour)}
	})
	if _, err := svc.TeamJoin(ctx, memberToken(t, h, name), nil); err != nil {
		t.Fatal(err)
	}
	stop := svc.StartEngine(ctx)
	t.Cleanup(stop)
	if err := svc.ConnectTeam(ctx); err != nil {
		t.Fatal(err)
	}
	return svc
}

func memberToken(t *testing.T, h *hub.Hub, name string) string {
	t.Helper()
	tok, err := h.Store().AddMember(name, []string{h.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	return tok.Encode()
}

func postHook(t *testing.T, ctx context.Context, h *hub.Hub, token, body string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.WebhookURL("generic"), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("webhook answered %s", resp.Status)
	}
}
