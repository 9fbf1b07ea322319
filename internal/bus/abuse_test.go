package bus_test

// Regression tests for issue #11 items 1-3: one member must not be able to
// wipe, fill or lock the team's bus. The abusive member speaks raw NATS
// with its own credential, as an attacker would.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/page"
)

// violations records the permission violations the server reports.
type violations struct {
	mu   sync.Mutex
	subj []string
}

func (v *violations) seen(prefix string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, s := range v.subj {
		if strings.Contains(s, prefix) {
			return true
		}
	}
	return false
}

// rawMember connects with the seed inside a member token, the way a member
// who skips the Standby client would.
func rawMember(t *testing.T, h *hub.Hub, token string) (jetstream.JetStream, *violations) {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, "standby1:"))
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		M string `json:"m"`
		S string `json:"s"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatal(err)
	}
	kp, err := nkeys.FromSeed([]byte(w.S))
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := kp.PublicKey()
	v := &violations{}
	nc, err := nats.Connect(h.ClientURL(), nats.Nkey(pub, kp.Sign), nats.CustomInboxPrefix(bus.InboxPrefix(w.M)),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			v.mu.Lock()
			v.subj = append(v.subj, err.Error())
			v.mu.Unlock()
		}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js, v
}

func memHub(t *testing.T, cfg hub.Config) *hub.Hub {
	t.Helper()
	cfg.Listen, cfg.HTTPListen, cfg.InMemory = "127.0.0.1:0", "127.0.0.1:0", true
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	h, err := hub.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	return h
}

// claimsSeen starts a fresh watch and returns the live claims it delivers
// before ClaimsSynced.
func claimsSeen(t *testing.T, c *bus.Client) map[string]bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w, err := c.WatchClaims(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	waitClaim(t, w, 5*time.Second, func(ev bus.ClaimEvent) bool {
		if ev.Op == bus.ClaimSet {
			seen[ev.Claim.By+" "+ev.Claim.Page.String()] = true
		}
		return ev.Op == bus.ClaimsSynced
	})
	return seen
}

// TestMemberCannotWipeOthers is item 1: a publish to the member's own claim
// or presence key with rollup or purge headers used to wipe the bucket.
func TestMemberCannotWipeOthers(t *testing.T) {
	h := memHub(t, hub.Config{})
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	bob := connect(t, addMember(t, h, "bob"), bus.Config{})
	carolJS, refused := rawMember(t, h, addMember(t, h, "carol"))
	ctx := ctxT(t, 20*time.Second)
	for _, c := range []*bus.Client{alice, bob} {
		if _, err := c.Claim(ctx, pg, page.ClaimLooking, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	own := "$KV." + bus.ClaimsBucket + ".page." + bus.PageKey(pg) + ".carol"
	attacks := []struct {
		subject string
		hdr     map[string]string
	}{
		{own, map[string]string{"Nats-Rollup": "all"}},
		{own, map[string]string{"KV-Operation": "PURGE", "Nats-Rollup": "all"}},
		{own, map[string]string{"Nats-Rollup": "sub"}},
		{own, map[string]string{"Nats-TTL": "never", "Nats-Expected-Last-Subject-Sequence": "0"}},
		{"$KV." + bus.PresenceBucket + ".carol", map[string]string{"Nats-Rollup": "all"}},
		{"$KV." + bus.PresenceBucket + ".carol", map[string]string{"KV-Operation": "PURGE", "Nats-Rollup": "all"}},
	}
	for _, a := range attacks {
		msg := nats.NewMsg(a.subject)
		for k, v := range a.hdr {
			msg.Header.Set(k, v)
		}
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		_, err := carolJS.PublishMsg(pctx, msg)
		cancel()
		if err == nil {
			t.Errorf("the server stored %s with %v", a.subject, a.hdr)
		}
	}
	if !refused.seen(own) {
		t.Error("the server did not report carol's write to her claim key as a permission violation")
	}
	seen := claimsSeen(t, bob)
	for _, who := range []string{"alice", "bob"} {
		if !seen[who+" "+pg.String()] {
			t.Errorf("%s's claim is gone after carol's attempts: %v", who, seen)
		}
	}
	on, err := bob.Online(ctx)
	if err != nil || len(on) < 2 {
		t.Fatalf("presence after carol's attempts: %+v %v", on, err)
	}
}

// TestMemberCannotStarvePages is item 2: one member filling the claims
// bucket with 1000 KiB values made every webhook answer 503.
func TestMemberCannotStarvePages(t *testing.T) {
	h := memHub(t, hub.Config{})
	carolJS, _ := rawMember(t, h, addMember(t, h, "carol"))
	hook, err := h.Store().AddWebhook("am")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 1000<<10)
	var futs []jetstream.PubAckFuture
	for i := range 150 { // 150 MB: more than the whole in-memory account
		id := page.ID{Source: "x", Upstream: fmt.Sprint("p", i)}
		f, err := carolJS.PublishMsgAsync(&nats.Msg{
			Subject: "$KV." + bus.ClaimsBucket + ".page." + bus.PageKey(id) + ".carol", Data: big})
		if err != nil {
			break
		}
		futs = append(futs, f)
	}
	stored := 0
	deadline := time.After(5 * time.Second)
wait:
	for _, f := range futs {
		select {
		case <-f.Ok():
			stored++
		case <-f.Err():
		case <-deadline:
			break wait
		}
	}
	if stored > 0 {
		t.Errorf("the server stored %d values of 1000 KiB from a member", stored)
	}
	if code := postGeneric(t, h, hook, `{"id":"disk","title":"disk full"}`); code != http.StatusOK {
		t.Fatalf("webhook after the flood answered %d", code)
	}
}

// TestMemberCannotTakeTeammatesConsumers is item 3: a member creating
// consumers until the account limit locked teammates out, and their watch
// still said nothing.
func TestMemberCannotTakeTeammatesConsumers(t *testing.T) {
	h := memHub(t, hub.Config{MaxConsumers: 40})
	alice := connect(t, addMember(t, h, "alice"), bus.Config{})
	carolTok := addMember(t, h, "carol")
	carolJS, _ := rawMember(t, h, carolTok)
	ctx := ctxT(t, 60*time.Second)
	stream := "KV_" + bus.ClaimsBucket
	mk := func(name string) error {
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err := carolJS.CreateConsumer(cctx, stream, jetstream.ConsumerConfig{Name: name,
			FilterSubject: "$KV." + bus.ClaimsBucket + ".>", AckPolicy: jetstream.AckNonePolicy})
		return err
	}
	made, fails := 0, 0
	for i := 0; i < 60 && fails < 3; i++ { // free names: as many as the server allows
		if mk(fmt.Sprint("grab", i)) == nil {
			made, fails = made+1, 0
		} else {
			fails++
		}
	}
	for n := range 8 { // and every slot name she may have
		if mk(fmt.Sprintf("carol@%d", n)) == nil {
			made++
		}
	}
	t.Logf("carol holds %d consumers on %s", made, stream)
	if made > 8 {
		t.Errorf("carol made %d consumers; a member gets at most 8 per stream", made)
	}
	w, err := alice.WatchClaims(ctx)
	if err != nil {
		t.Fatalf("alice's watch: %v", err)
	}
	synced(t, w)
	// carol's own app finds no free slot: the watch says so.
	carol := connect(t, carolTok, bus.Config{})
	if _, err := carol.WatchClaims(ctx); err == nil || !strings.Contains(err.Error(), "slot") {
		t.Fatalf("carol's watch with every slot taken: %v, want an error about slots", err)
	}
}

func postGeneric(t *testing.T, h *hub.Hub, token, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.WebhookURL("generic"), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
