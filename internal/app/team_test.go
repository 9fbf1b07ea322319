package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/quiet"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source/pagerduty/pdfake"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
	"github.com/standby-oncall/standby/internal/store"
)

// startHub starts an in-process hub on random loopback ports; httpListen
// is "off" or an address for the webhooks.
func startHub(t *testing.T, ctx context.Context, httpListen string) *hub.Hub {
	t.Helper()
	h, err := hub.New(hub.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), HTTPListen: httpListen})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	return h
}

// teammate is one member's Standby on the demo source, joined to the hub.
func teammate(t *testing.T, ctx context.Context, h *hub.Hub, name string) *Service {
	t.Helper()
	dir := t.TempDir()
	svc, err := Open(ctx, Options{ConfigPath: filepath.Join(dir, "config.toml"), StatePath: filepath.Join(dir, "state.db"),
		Demo: true, Secrets: &secrets.Store{Service: "standby-test-" + name, Backend: secrets.Keyring{}, Timeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	tok, err := h.Store().AddMember(name, []string{h.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TeamJoin(ctx, tok.Encode(), nil); err != nil {
		t.Fatal(err)
	}
	if svc.Me() != name {
		t.Fatalf("user name after join = %q, want the token's member %q", svc.Me(), name)
	}
	stop := svc.StartEngine(ctx)
	t.Cleanup(stop)
	if err := svc.ConnectTeam(ctx); err != nil {
		t.Fatal(err)
	}
	svc.WaitPolled(ctx, 5*time.Second)
	return svc
}

// waitFor waits for a snapshot that satisfies ok, on the service's change
// signal (claims arrive over the real network, so there is a deadline).
func waitFor(t *testing.T, ctx context.Context, svc *Service, what string, ok func(Snapshot) bool) Snapshot {
	t.Helper()
	changes, cancel := svc.Changes()
	defer cancel()
	for {
		snap := svc.Snapshot(ctx, time.Now())
		if ok(snap) {
			return snap
		}
		select {
		case <-changes:
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s; last snapshot: %d pages: %+v", what, len(svc.Snapshot(context.Background(), time.Now()).Pages), titles(svc.Snapshot(context.Background(), time.Now())))
		}
	}
}

func pageView(s Snapshot, id page.ID) (PageView, bool) {
	for _, p := range s.Pages {
		if p.ID == id {
			return p, true
		}
	}
	return PageView{}, false
}

// TestLookingSilencesTeammates is the heart of the mission: Alice clicks
// "I'm looking" and Bob's Standby shows it and stays quiet for that page.
func TestLookingSilencesTeammates(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := startHub(t, ctx, "off")

	alice := teammate(t, ctx, h, "alice")
	bob := teammate(t, ctx, h, "bob")
	id := page.ID{Source: DemoSourceName, Upstream: "demo-0000"}
	before, ok := pageView(bob.Snapshot(ctx, time.Now()), id)
	if !ok {
		t.Fatalf("bob does not see %s", id)
	}
	if before.Now.Level == quiet.Quiet && strings.Contains(before.Now.Reason, "alice") {
		t.Fatalf("already quiet for alice before she looked: %s", before.Now.Reason)
	}

	start := time.Now()
	if _, err := alice.Look(ctx, id, time.Now()); err != nil {
		t.Fatal(err)
	}
	snap := waitFor(t, ctx, bob, "bob to see alice's claim", func(s Snapshot) bool {
		p, ok := pageView(s, id)
		return ok && p.Now.Level == quiet.Quiet && strings.Contains(p.Now.Reason, "alice is looking")
	})
	t.Logf("claim reached bob's decision in %v", time.Since(start))
	p, _ := pageView(snap, id)
	if c, ok := page.LiveClaimByOther(p.Page, "bob", time.Now()); !ok || c.By != "alice" || c.Origin != page.OriginBus {
		t.Fatalf("bob's page lacks alice's bus claim: %+v", p.Claims)
	}
	// Alice's own view counts the claim as hers, not someone else's.
	ap, _ := pageView(alice.Snapshot(ctx, time.Now()), id)
	if _, other := page.LiveClaimByOther(ap.Page, "alice", time.Now()); other {
		t.Fatalf("alice sees her own claim as someone else's: %+v", ap.Claims)
	}

	// Release: bob's decision no longer names alice.
	if err := alice.Release(ctx, id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, bob, "the claim to be released", func(s Snapshot) bool {
		p, ok := pageView(s, id)
		return ok && !strings.Contains(p.Now.Reason, "alice is looking")
	})

	st := bob.TeamStatus(ctx)
	if !st.Connected || st.Member != "bob" || len(st.Online) < 2 {
		t.Fatalf("team status = %+v", st)
	}
}

func TestWorkingAloneSaysHowToJoin(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	svc, err := Open(context.Background(), Options{ConfigPath: filepath.Join(dir, "c.toml"), StatePath: filepath.Join(dir, "s.db"), Demo: true, Secrets: secrets.New("x")})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	st := svc.TeamStatus(context.Background())
	if st.Configured || !strings.Contains(st.Hint, "standby team join") {
		t.Fatalf("got %+v", st)
	}
}

// TestWebhookPageReachesTheApp: a page POSTed to the hub's generic webhook
// shows up in a member's Standby with a policy decision, and closes when
// the webhook says it is resolved.
func TestWebhookPageReachesTheApp(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := startHub(t, ctx, "127.0.0.1:0")
	hookToken, err := h.Store().AddWebhook("ops")
	if err != nil {
		t.Fatal(err)
	}
	alice := teammate(t, ctx, h, "alice")

	post := func(status string) {
		t.Helper()
		body := `{"id":"disk-1","title":"Disk full on db-1","service":"postgres","severity":"critical","urgency":"high","status":"` + status + `"}`
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.WebhookURL("generic"), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+hookToken)
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
	start := time.Now()
	post("triggered")
	snap := waitFor(t, ctx, alice, "the pushed page", func(s Snapshot) bool {
		for _, p := range s.Pages {
			if p.Title == "Disk full on db-1" {
				return true
			}
		}
		return false
	})
	t.Logf("webhook → app snapshot in %v", time.Since(start))
	for _, p := range snap.Pages {
		if p.Title == "Disk full on db-1" && (!p.External || p.Now.Reason == "") {
			t.Fatalf("pushed page lacks External/decision: %+v", p)
		}
	}
	post("resolved")
	waitFor(t, ctx, alice, "the page to close", func(s Snapshot) bool {
		for _, p := range s.Pages {
			if p.Title == "Disk full on db-1" {
				return false
			}
		}
		return true
	})
}

// TestAckOfAHubPageIsToldToTheTeam: a page that only the hub knows can be
// acked; teammates see "acked by alice" and stay quiet.
func TestAckOfAHubPageIsToldToTheTeam(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := startHub(t, ctx, "127.0.0.1:0")
	hookToken, _ := h.Store().AddWebhook("ops")
	alice := teammate(t, ctx, h, "alice")
	bob := teammate(t, ctx, h, "bob")
	body := `{"id":"cpu-9","title":"CPU hot","urgency":"high"}`
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.WebhookURL("generic"), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+hookToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("webhook: %v %v", err, resp)
	}
	resp.Body.Close()
	var id page.ID
	waitFor(t, ctx, alice, "the hub page", func(s Snapshot) bool {
		for _, p := range s.Pages {
			if p.Title == "CPU hot" {
				id = p.ID
				return true
			}
		}
		return false
	})
	if err := alice.Ack(ctx, id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, bob, "bob to see alice's ack", func(s Snapshot) bool {
		p, ok := pageView(s, id)
		return ok && p.Now.Level == quiet.Quiet && strings.Contains(p.Now.Reason, "acked by alice")
	})
	// The ack is in alice's history, as an ack of a polled page is (the
	// report's response time, the handoff's "acked by").
	hist, err := alice.db.History(ctx, time.Time{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(hist, func(e store.HistoryEntry) bool { return e.ID == id })
	if i < 0 || hist[i].Acked.IsZero() {
		t.Fatalf("alice's history after acking the hub page %s: %+v", id, hist)
	}
}

func titles(s Snapshot) []string {
	var out []string
	for _, p := range s.Pages {
		out = append(out, p.ID.String()+" "+p.Title)
	}
	return out
}

// postPage posts a generic page to the hub's webhook.
func postPage(t *testing.T, ctx context.Context, h *hub.Hub, token, body string) {
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

// TestOneShotSeesHubPages (issue #11 item 9): a fresh process (the CLI)
// that connects sees the pages the hub holds as soon as ConnectTeam
// returns, and can act on them by id.
func TestOneShotSeesHubPages(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := startHub(t, ctx, "127.0.0.1:0")
	hookToken, err := h.Store().AddWebhook("am")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		postPage(t, ctx, h, hookToken, fmt.Sprintf(`{"id":"fp%02d","title":"Alert %d","urgency":"high"}`, i, i))
	}
	carol := teammate(t, ctx, h, "carol") // connects after the pages were stored
	snap := carol.Snapshot(ctx, time.Now())
	hub := 0
	for _, p := range snap.Pages {
		if p.ID.Source == "am" {
			hub++
		}
	}
	if hub != 20 {
		t.Fatalf("one-shot snapshot right after connecting has %d of the hub's 20 pages", hub)
	}
	if _, err := carol.Look(ctx, page.ID{Source: "am", Upstream: "fp07"}, time.Now()); err != nil {
		t.Fatalf("look am/fp07: %v", err)
	}
}

// TestRebuildKeepsTeamState (issue #11 item 16): adding a source rebuilds
// the engine; a teammate's claim and the hub's pages are there at once,
// not only after the next event.
func TestRebuildKeepsTeamState(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := startHub(t, ctx, "127.0.0.1:0")
	hookToken, _ := h.Store().AddWebhook("ops")
	alice := teammate(t, ctx, h, "alice")
	dir := t.TempDir()
	bob, err := Open(ctx, Options{ConfigPath: filepath.Join(dir, "config.toml"), StatePath: filepath.Join(dir, "state.db"),
		Demo: true, Secrets: &secrets.Store{Service: "standby-test-bob", Backend: secrets.Keyring{}, Timeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	tok, _ := h.Store().AddMember("bob", []string{h.ClientURL()})
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.TeamJoin(ctx, tok.Encode(), nil); err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- bob.Run(rctx) }()
	defer func() { stop(); <-done }()

	postPage(t, ctx, h, hookToken, `{"id":"disk-1","title":"Disk full","urgency":"high"}`)
	hubID := page.ID{Source: "ops", Upstream: "disk-1"}
	if _, err := alice.Look(ctx, demoHigh, time.Now()); err != nil {
		t.Fatal(err)
	}
	both := func(s Snapshot) bool {
		_, hubPage := pageView(s, hubID)
		p, ok := pageView(s, demoHigh)
		_, claimed := page.LiveClaimByOther(p.Page, "bob", time.Now())
		return hubPage && ok && claimed
	}
	waitFor(t, ctx, bob, "the hub page and alice's claim", both)

	old := bob.engine()
	if err := bob.AddSource(ctx, config.Source{Name: "am", Kind: "alertmanager", URL: "http://127.0.0.1:1"}, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, bob, "the rebuilt engine", func(Snapshot) bool { return bob.engine() != old })
	if _, ok := pageView(bob.Snapshot(ctx, time.Now()), hubID); !ok {
		t.Fatalf("the hub page is gone after the rebuild: %v", titles(bob.Snapshot(ctx, time.Now())))
	}
	// The demo source is polled again at once; its page keeps the claim
	// learnt before the rebuild (no new claim event comes).
	s := waitFor(t, ctx, bob, "the first poll of the rebuilt engine", func(s Snapshot) bool {
		_, ok := pageView(s, demoHigh)
		return ok
	})
	if !both(s) {
		t.Fatalf("alice's claim is gone after the rebuild: %+v", mustView(t, s, demoHigh).Claims)
	}
}

// TestQueuedAckIsToldToTheTeamOnceSent (issue #11 item 18): an ack queued
// while PagerDuty was unreachable reaches the team when it is finally
// sent, as an "acked" claim teammates see.
func TestQueuedAckIsToldToTheTeamOnceSent(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for PagerDuty's 15 s minimum poll")
	}
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h := startHub(t, ctx, "off")
	pd := pdfake.New(t, "pd-token", false)
	pd.AddUser("alice", "alice@example.com")
	incident := pd.Trigger(pdfake.Incident{Title: "Checkout down", Urgency: "high"})
	id := page.ID{Source: "pd", Upstream: incident}

	// carol watches the team's claims with a bare bus client.
	carolTok, _ := h.Store().AddMember("carol", []string{h.ClientURL()})
	aliceTok, _ := h.Store().AddMember("alice", []string{h.ClientURL()})
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	carol, err := bus.Connect(ctx, bus.Config{URLs: []string{h.ClientURL()}, Token: carolTok.Encode(), Name: "carol"})
	if err != nil {
		t.Fatal(err)
	}
	defer carol.Close()
	claims, err := carol.WatchClaims(ctx)
	if err != nil {
		t.Fatal(err)
	}

	sec := &secrets.Store{Service: "standby-test-pd", Backend: secrets.Keyring{}, Timeout: time.Second}
	if err := sec.Set(ctx, secrets.SourceKey("pd"), "pd-token"); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("[user]\nname = \"alice\"\nemail = \"alice@example.com\"\n[[sources]]\nname = \"pd\"\nkind = \"pagerduty\"\nurl = %q\npoll = \"15s\"\nhas_token = true\n", pd.URL)
	alice := openWith(t, cfg, Options{Secrets: sec})
	if _, err := alice.TeamJoin(ctx, aliceTok.Encode(), nil); err != nil {
		t.Fatal(err)
	}
	stop := alice.StartEngine(ctx)
	defer stop()
	if err := alice.ConnectTeam(ctx); err != nil {
		t.Fatal(err)
	}
	alice.WaitPolled(ctx, 10*time.Second)

	pd.Faults.Set(sourcetest.Fault{Failure: sourcetest.ServerError})
	if err := alice.Ack(ctx, id); !errors.Is(err, ErrQueued) {
		t.Fatalf("ack while PagerDuty fails: %v, want it queued", err)
	}
	pd.Faults.Set(sourcetest.Fault{})
	for {
		select {
		case ev := <-claims:
			if ev.Op == bus.ClaimSet && ev.Claim.Page == id && ev.Claim.By == "alice" && ev.Claim.Kind == page.ClaimAcked {
				if inc, _ := pd.Incident(incident); inc.Status != "acknowledged" {
					t.Fatalf("the team was told before PagerDuty took the ack (status %q)", inc.Status)
				}
				return
			}
		case <-ctx.Done():
			inc, _ := pd.Incident(incident)
			t.Fatalf("the team was never told about the queued ack (PagerDuty status %q)", inc.Status)
		}
	}
}
