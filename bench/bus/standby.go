package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/page"
)

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }

// recorder collects arrival times per item from many watchers.
type recorder struct {
	mu      sync.Mutex
	sent    map[string]time.Time
	lat     []time.Duration
	arrived map[string]int
	cond    *sync.Cond
}

func newRecorder() *recorder {
	r := &recorder{sent: map[string]time.Time{}, arrived: map[string]int{}}
	r.cond = sync.NewCond(&r.mu)
	return r
}

func (r *recorder) markSent(key string, at time.Time) {
	r.mu.Lock()
	r.sent[key] = at
	r.mu.Unlock()
}

func (r *recorder) got(key string, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t0, ok := r.sent[key]; ok {
		r.lat = append(r.lat, at.Sub(t0))
	}
	r.arrived[key]++
	r.cond.Broadcast()
}

// wait blocks until n watchers got key or the deadline passes.
func (r *recorder) wait(key string, n int, d time.Duration) error {
	deadline := time.Now().Add(d)
	stop := time.AfterFunc(d, func() { r.mu.Lock(); r.cond.Broadcast(); r.mu.Unlock() })
	defer stop.Stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.arrived[key] < n {
		if time.Now().After(deadline) {
			return fmt.Errorf("%s reached %d of %d watchers", key, r.arrived[key], n)
		}
		r.cond.Wait()
	}
	return nil
}

func runStandby(ctx context.Context, n, claims, pages int) (claimLat, pageLat []time.Duration, err error) {
	dir, err := os.MkdirTemp("", "standby-bench-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	h, err := hub.New(hub.Config{Listen: "127.0.0.1:0", DataDir: dir, HTTPListen: "127.0.0.1:0",
		InMemory: true})
	if err != nil {
		return nil, nil, err
	}
	if err := h.Start(ctx); err != nil {
		return nil, nil, err
	}
	defer h.Shutdown(context.Background())
	st := h.Store()
	wtok, _ := st.AddMember("writer", []string{h.ClientURL()})
	// One member per app: each member has bus.WatchSlots consumers per stream.
	atoks := make([]string, n)
	for i := range n {
		tok, err := st.AddMember(fmt.Sprint("app", i), []string{h.ClientURL()})
		if err != nil {
			return nil, nil, err
		}
		atoks[i] = tok.Encode()
	}
	hook, _ := st.AddWebhook("bench")
	if err := h.Reload(); err != nil {
		return nil, nil, err
	}
	cr, pr := newRecorder(), newRecorder()
	for i := range n {
		c, err := bus.Connect(ctx, bus.Config{Token: atoks[i], Name: fmt.Sprint("app ", i)})
		if err != nil {
			return nil, nil, err
		}
		defer c.Close()
		if err := follow(ctx, c, cr, pr); err != nil {
			return nil, nil, err
		}
	}
	if err := cr.wait("synced", n, time.Minute); err != nil {
		return nil, nil, err
	}
	writer, err := bus.Connect(ctx, bus.Config{Token: wtok.Encode()})
	if err != nil {
		return nil, nil, err
	}
	defer writer.Close()
	for i := range claims {
		id := page.ID{Source: "bench", Upstream: fmt.Sprint("p", i)}
		cr.markSent(id.String(), time.Now())
		if _, err := writer.Claim(ctx, id, page.ClaimLooking, 0); err != nil {
			return nil, nil, err
		}
		if err := cr.wait(id.String(), n, 30*time.Second); err != nil {
			return nil, nil, err
		}
	}
	for i := range pages {
		id := fmt.Sprint("alert", i)
		pr.markSent("bench/"+id, time.Now())
		body := fmt.Sprintf(`{"id":%q,"title":"bench page %d"}`, id, i)
		if err := postHook(ctx, h.WebhookURL("generic"), hook, body); err != nil {
			return nil, nil, err
		}
		if err := pr.wait("bench/"+id, n, 30*time.Second); err != nil {
			return nil, nil, err
		}
	}
	return cr.lat, pr.lat, nil
}

func follow(ctx context.Context, c *bus.Client, cr, pr *recorder) error {
	cw, err := c.WatchClaims(ctx)
	if err != nil {
		return err
	}
	pw, err := c.WatchPages(ctx, 0)
	if err != nil {
		return err
	}
	go func() {
		for ev := range cw {
			if ev.Op == bus.ClaimsSynced {
				cr.got("synced", time.Now())
			} else if ev.Op == bus.ClaimSet {
				cr.got(ev.Claim.Page.String(), time.Now())
			}
		}
	}()
	go func() {
		for ev := range pw {
			if !ev.Synced {
				pr.got(ev.Page.ID.String(), time.Now())
			}
		}
	}()
	return nil
}

func postHook(ctx context.Context, url, token, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}
