package goalert_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/goalert"
	"github.com/standby-oncall/standby/internal/source/goalert/gafake"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

// TestSessionLifecycle: log in once, keep the token, hand it to
// OnSession, reuse a stored one, and log in again once when it is
// rejected.
func TestSessionLifecycle(t *testing.T) {
	var mu sync.Mutex
	var stored []source.Secret
	src, ga := newSource(t, goalert.Config{OnSession: func(tok source.Secret) {
		mu.Lock()
		defer mu.Unlock()
		stored = append(stored, tok)
	}})
	ga.Fire(gafake.Alert{Summary: "x", Service: "svc-1"})
	for range 3 {
		if _, err := src.List(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if ga.Logins() != 1 || len(stored) != 1 {
		t.Fatalf("after 3 Lists: %d logins, %d stored tokens; want 1 and 1", ga.Logins(), len(stored))
	}
	ga.ExpireSessions()
	if _, err := src.List(t.Context()); err != nil {
		t.Fatalf("List after the session expired: %v", err)
	}
	if ga.Logins() != 2 || len(stored) != 2 || stored[0] == stored[1] {
		t.Errorf("after expiry: %d logins, tokens %d; want a second login and a new token", ga.Logins(), len(stored))
	}
	for _, r := range ga.Requests() {
		if r.Path == "/api/graphql" && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			t.Errorf("graphql request without Bearer session: %q", r.Header.Get("Authorization"))
		}
	}
	// A second source starts from the stored token and does not log in.
	again, err := goalert.New(goalert.Config{Name: "ga", URL: ga.URL, Username: testUser, Password: testPassword,
		Session: stored[1]}, ga.Client())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.List(t.Context()); err != nil || ga.Logins() != 2 {
		t.Errorf("List with a stored session: %v, %d logins; want no new login", err, ga.Logins())
	}
}

// TestSessionSignedWithDroppedKey: GoAlert rotates its session signing
// key daily and keeps 30 old ones, so a token stored longer (or one from
// before a database restore) gets 400 "invalid signature", not 401. Seen
// against a real GoAlert (v0.34.1-46-g2458b9d74): the source must log in
// again rather than fail until the user re-adds it.
func TestSessionSignedWithDroppedKey(t *testing.T) {
	var mu sync.Mutex
	var stored []source.Secret
	src, ga := newSource(t, goalert.Config{OnSession: func(tok source.Secret) {
		mu.Lock()
		defer mu.Unlock()
		stored = append(stored, tok)
	}})
	id := ga.Fire(gafake.Alert{Summary: "x", Service: "svc-1"})
	if _, err := src.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	ga.DropSigningKeys()
	if ps, err := src.List(t.Context()); err != nil || len(ps) != 1 {
		t.Fatalf("List after the signing key went: %v, %d pages; want a new login and 1 page", err, len(ps))
	}
	ga.DropSigningKeys()
	if err := src.Ack(t.Context(), fmt.Sprint(id), alice); err != nil {
		t.Fatalf("Ack after the signing key went: %v", err)
	}
	if ga.Logins() != 3 || len(stored) != 3 {
		t.Errorf("%d logins, %d stored tokens; want 3 and 3", ga.Logins(), len(stored))
	}
}

// TestAckResolveAlreadyDone: GoAlert's updateAlerts answers only the
// alerts it changed (null for an alert already acknowledged or closed,
// seen against a real GoAlert), so an alert a teammate or its integration
// already handled is done, not "no such alert".
func TestAckResolveAlreadyDone(t *testing.T) {
	src, ga := newSource(t, goalert.Config{})
	a := fmt.Sprint(ga.Fire(gafake.Alert{Summary: "a", Service: "svc-1"}))
	bID := ga.Fire(gafake.Alert{Summary: "b", Service: "svc-1"})
	b := fmt.Sprint(bID)
	ctx := t.Context()
	for _, step := range []struct {
		what string
		err  error
	}{
		{"Ack", src.Ack(ctx, a, alice)},
		{"Ack again", src.Ack(ctx, a, alice)},
		{"Resolve", src.Resolve(ctx, a, alice)},
		{"Resolve again", src.Resolve(ctx, a, alice)},
		{"Ack closed", src.Ack(ctx, a, alice)},
		{"Resolve unacked", src.Resolve(ctx, b, alice)},
	} {
		if step.err != nil {
			t.Errorf("%s: %v", step.what, step.err)
		}
	}
	for _, id := range []string{"999", "0", "x"} {
		if err := src.Ack(ctx, id, alice); source.KindOf(err) != source.KindNotFound {
			t.Errorf("Ack(%q) = %v, want not found", id, err)
		}
		if err := src.Resolve(ctx, id, alice); source.KindOf(err) != source.KindNotFound {
			t.Errorf("Resolve(%q) = %v, want not found", id, err)
		}
	}
	if got, _ := ga.Alert(bID); got.Status != "StatusClosed" {
		t.Errorf("alert b status %q, want StatusClosed", got.Status)
	}
}

func TestLoginFailures(t *testing.T) {
	tests := []struct {
		name     string
		password source.Secret
		referer  bool // break the URL so the Referer does not match
		kind     source.ErrorKind
		msg      string
	}{
		{"wrong password", "nope-nope", false, source.KindUnauthorized, "rejected the username or password (400)"},
		{"invalid referer", testPassword, true, source.KindInvalid, "invalid referer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ga := gafake.New(t, testUser, testPassword)
			u := ga.URL
			if tt.referer {
				u = strings.Replace(u, "127.0.0.1", "localhost", 1)
			}
			src, err := goalert.New(goalert.Config{Name: "ga", URL: u, Username: testUser, Password: tt.password}, ga.Client())
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.List(t.Context())
			if source.KindOf(err) != tt.kind || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("List = %v, want kind %v mentioning %q", err, tt.kind, tt.msg)
			}
			if strings.Contains(fmt.Sprintf("%v %+v", err, err), string(tt.password)) {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestPageMappingAndFilters(t *testing.T) {
	src, ga := newSource(t, goalert.Config{Name: "acme-ga", ServiceIDs: []string{"svc-db"}})
	opened := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	id := ga.Fire(gafake.Alert{Summary: "Replica lag", Service: "svc-db", Meta: map[string]string{"severity": "warning"}, CreatedAt: opened})
	ga.Fire(gafake.Alert{Summary: "Other service", Service: "svc-web"})
	if err := src.Ack(t.Context(), fmt.Sprint(id), alice); err != nil {
		t.Fatal(err)
	}
	ps, err := src.List(t.Context())
	if err != nil || len(ps) != 1 {
		t.Fatalf("List = %+v, %v; want the svc-db alert", ps, err)
	}
	want := page.Page{ID: page.ID{Source: "acme-ga", Upstream: fmt.Sprint(id)}, Title: "Replica lag", Service: "Service svc-db",
		Severity: "warning", Urgency: page.UrgencyLow, Status: page.StatusAcknowledged,
		URL: ga.URL + "/alerts/" + fmt.Sprint(id), OpenedAt: opened}
	if got := ps[0]; fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("page =\n %+v\nwant\n %+v", got, want)
	}
	var body struct {
		Variables struct {
			Input map[string]any `json:"input"`
		} `json:"variables"`
	}
	for _, r := range ga.Requests() {
		if r.Path == "/api/graphql" && strings.Contains(r.Body, "StandbyAlerts") {
			_ = json.Unmarshal([]byte(r.Body), &body)
		}
	}
	in := body.Variables.Input
	if fmt.Sprint(in["filterByStatus"]) != "[StatusUnacknowledged StatusAcknowledged]" || fmt.Sprint(in["filterByServiceID"]) != "[svc-db]" {
		t.Errorf("alerts input = %v", in)
	}
}

func TestFavoritesOnly(t *testing.T) {
	src, ga := newSource(t, goalert.Config{FavoritesOnly: true})
	ga.Favorite("svc-mine")
	ga.Fire(gafake.Alert{Summary: "mine", Service: "svc-mine"})
	ga.Fire(gafake.Alert{Summary: "theirs", Service: "svc-theirs"})
	ps, err := src.List(t.Context())
	if err != nil || len(ps) != 1 || ps[0].Title != "mine" {
		t.Errorf("List = %+v, %v; want only the favourite service's alert", ps, err)
	}
}

// testSession is a session token the echoing servers hand out.
const testSession = "U2Vzc2lvbi0xLnNpZ25hdHVyZQ"

// TestConfigNeverShowsSecrets: fmt in every form, slog and JSON.
func TestConfigNeverShowsSecrets(t *testing.T) {
	cfg := goalert.Config{Name: "ga", URL: "https://goalert.example.com", Username: testUser, Password: testPassword, Session: testSession}
	sourcetest.CheckRedaction(t, cfg, testPassword, testSession)
}

// TestErrorsNeverShowSecrets: a server echoing the form or the session.
func TestErrorsNeverShowSecrets(t *testing.T) {
	against := func(url string, c *http.Client) (source.Source, error) {
		return goalert.New(goalert.Config{Name: "ga", URL: url, Username: testUser, Password: testPassword}, c)
	}
	sourcetest.CheckEchoes(t, against, []sourcetest.Echo{
		{Name: "login echoes form", Handler: func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad login "+r.FormValue("password"), http.StatusBadRequest)
		}},
		{Name: "graphql echoes session", Handler: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/graphql" {
				_, _ = w.Write([]byte(testSession))
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"message": "bad token " + r.Header.Get("Authorization")}}})
		}},
		{Name: "graphql 500 echoes session", Handler: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/graphql" {
				_, _ = w.Write([]byte(testSession))
				return
			}
			http.Error(w, "boom "+r.Header.Get("Authorization"), http.StatusInternalServerError)
		}},
	}, testPassword, testSession)
}

func TestUnsupported(t *testing.T) {
	src, _ := newSource(t, goalert.Config{})
	for name, err := range map[string]error{
		"Unack": src.Unack(t.Context(), "1", alice),
		"Note":  src.Note(t.Context(), "1", alice, source.ClaimNoteText("alice")),
	} {
		if source.KindOf(err) != source.KindUnsupported {
			t.Errorf("%s = %v, want unsupported", name, err)
		}
	}
}
