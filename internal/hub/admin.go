package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
)

// adminSocket is the hub's admin endpoint in the data dir: a Unix socket
// (mode 0600 in a 0700 dir), so whoever may edit the team file may inspect
// and purge, and nobody else; no secret is involved.
const adminSocket = "admin.sock"

// Usage reads the streams' fill and what each member holds.
func (h *Hub) Usage(ctx context.Context) (bus.Usage, error) {
	_, js := h.conn()
	u, err := bus.ReadUsage(ctx, js)
	u.ClaimQuota = cmp.Or(h.cfg.ClaimQuota, bus.DefaultClaimQuota)
	return u, err
}

// PurgeMember removes what member holds on the bus (claims, presence,
// loads and handoff, the incidents they command, consumers); see
// bus.PurgeMember.
func (h *Hub) PurgeMember(ctx context.Context, member string) (bus.PurgeResult, error) {
	_, js := h.conn()
	res, err := bus.PurgeMember(ctx, js, member)
	if err == nil {
		h.logger().Info("purged member data", "member", member, "claims", res.Claims,
			"presence", res.Presence, "consumers", res.Consumers, "team_records", res.TeamRecords,
			"incidents_ended", res.IncidentsEnded, "incidents_left", res.IncidentsLeft)
	}
	return res, err
}

// purgeRemoved purges the data of members no longer in the team (removed
// while the hub ran or was down), so their claims stop silencing anyone.
func (h *Hub) purgeRemoved(ctx context.Context, t team) {
	u, err := h.Usage(ctx)
	if err != nil {
		h.logger().Warn("checking for removed members' data", "err", err)
		return
	}
	for _, m := range u.Members {
		known := slices.ContainsFunc(t.Members, func(x Member) bool { return x.Name == m.Member })
		if known || m.ClaimKeys == 0 && !m.Presence && m.Consumers == 0 {
			continue
		}
		if _, err := h.PurgeMember(ctx, m.Member); err != nil {
			h.logger().Warn("purging a removed member's data", "member", m.Member, "err", err)
		}
	}
}

func (h *Hub) startAdmin() error {
	path := filepath.Join(h.cfg.DataDir, adminSocket)
	_ = os.Remove(path) // a stale socket from a killed hub
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("admin socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("admin socket: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /usage", func(w http.ResponseWriter, r *http.Request) {
		u, err := h.Usage(r.Context())
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, u)
	})
	mux.HandleFunc("POST /purge-member", func(w http.ResponseWriter, r *http.Request) {
		res, err := h.PurgeMember(r.Context(), r.URL.Query().Get("name"))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
	h.admin = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = h.admin.Serve(ln) }()
	return nil
}

// adminCall asks the running hub in dataDir; out receives the JSON answer.
func adminCall(ctx context.Context, dataDir, method, path string, out any) error {
	sock := filepath.Join(dataDir, adminSocket)
	c := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}}
	req, err := http.NewRequestWithContext(ctx, method, "http://hub"+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("no running hub answers on %s (start `standby-hub serve` with this --data): %w", sock, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("reading the hub's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		_ = json.Unmarshal(raw, &e)
		return errors.New(e.Error)
	}
	return json.Unmarshal(raw, out)
}

// purgePath is the admin path purging name.
func purgePath(name string) string { return "/purge-member?name=" + url.QueryEscape(name) }
