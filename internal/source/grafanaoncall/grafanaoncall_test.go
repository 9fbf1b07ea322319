package grafanaoncall_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/grafanaoncall"
	"github.com/standby-oncall/standby/internal/source/grafanaoncall/oncallfake"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

func newSource(t *testing.T, cfg grafanaoncall.Config, token string) (*grafanaoncall.Source, *oncallfake.Server) {
	t.Helper()
	oc := oncallfake.New(t, token, owner)
	cfg.URL, cfg.Token = oc.URL, source.Secret(token)
	if cfg.Name == "" {
		cfg.Name = "oc"
	}
	src, err := grafanaoncall.New(cfg, oc.Client())
	if err != nil {
		t.Fatal(err)
	}
	return src, oc
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  grafanaoncall.Config
		want string
	}{
		{"no name", grafanaoncall.Config{URL: "https://x", Token: "t"}, "name is empty"},
		{"no url", grafanaoncall.Config{Name: "oc", Token: "t"}, "want https://host"},
		{"user info", grafanaoncall.Config{Name: "oc", URL: "https://u:p@x", Token: "t"}, "credentials"},
		{"no token", grafanaoncall.Config{Name: "oc", URL: "https://x"}, "no API token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := grafanaoncall.New(tt.cfg, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestHeadersAndFilters: the token as the docs send it, Bearer for
// service-account tokens, X-Grafana-URL for Cloud IRM, and the filters.
func TestHeadersAndFilters(t *testing.T) {
	tests := []struct {
		name, token, wantAuth string
	}{
		{"oncall token", testToken, testToken},
		{"service account", "glsa_abcdef0123456789", "Bearer glsa_abcdef0123456789"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := grafanaoncall.Config{GrafanaURL: "https://acme.grafana.net", TeamID: "TI73TDU19W48J"}
			src, oc := newSource(t, cfg, tt.token)
			oc.RequireGrafanaURL = "https://acme.grafana.net"
			oc.Fire(oncallfake.Group{Title: "mine", TeamID: "TI73TDU19W48J"})
			oc.Fire(oncallfake.Group{Title: "other team", TeamID: "TOTHER"})
			ps, err := src.List(t.Context())
			if err != nil || len(ps) != 1 || ps[0].Title != "mine" {
				t.Fatalf("List = %+v, %v; want the team's group", ps, err)
			}
			for _, r := range oc.Requests() {
				if r.Header.Get("Authorization") != tt.wantAuth {
					t.Errorf("%s %s: Authorization = %q", r.Method, r.Path, r.Header.Get("Authorization"))
				}
				if r.Path == "/api/v1/alert_groups/" && !strings.Contains(r.Query, "team_id=TI73TDU19W48J") {
					t.Errorf("list query %q lacks team_id", r.Query)
				}
			}
		})
	}
}

// TestServiceAccountCannotAct: OnCall's 403 reaches the Sources tab.
func TestServiceAccountCannotAct(t *testing.T) {
	src, oc := newSource(t, grafanaoncall.Config{}, "glsa_abcdef0123456789")
	id := oc.Fire(oncallfake.Group{Title: "x"})
	err := src.Ack(t.Context(), id, alice)
	var e *source.Error
	if !errors.As(err, &e) || e.Kind != source.KindUnauthorized || !strings.Contains(err.Error(), "Service accounts") {
		t.Errorf("Ack = %v, want 403 with OnCall's reason", err)
	}
}

func TestPageMappingAndStates(t *testing.T) {
	src, oc := newSource(t, grafanaoncall.Config{Name: "acme-oc"}, testToken)
	opened := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	acked := oc.Fire(oncallfake.Group{Title: "DB replica lag", Labels: map[string]string{"severity": "warning", "team": "db"}, CreatedAt: opened})
	silenced := oc.Fire(oncallfake.Group{Title: "Noisy"})
	unlabelled := oc.Fire(oncallfake.Group{})
	gone := oc.Fire(oncallfake.Group{Title: "Gone"})
	oc.Resolve(gone)
	if err := src.Ack(t.Context(), acked, alice); err != nil {
		t.Fatal(err)
	}
	if err := src.Silence(t.Context(), silenced, time.Hour); err != nil {
		t.Fatal(err)
	}
	if g, _ := oc.Group(silenced); g.SilenceDelay != 3600 {
		t.Errorf("silence delay = %d, want 3600", g.SilenceDelay)
	}
	ps, err := src.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]page.Page{}
	for _, p := range ps {
		byID[p.ID.Upstream] = p
	}
	want := page.Page{ID: page.ID{Source: "acme-oc", Upstream: acked}, Title: "DB replica lag", Severity: "warning",
		Urgency: page.UrgencyLow, Status: page.StatusAcknowledged, URL: "https://oncall.example.com/alert-groups/" + acked,
		Labels: map[string]string{"severity": "warning", "team": "db"}, OpenedAt: opened, AckedBy: "alice"}
	if got := byID[acked]; fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("page =\n %+v\nwant\n %+v", got, want)
	}
	if p := byID[silenced]; p.Status != page.StatusAcknowledged {
		t.Errorf("silenced group status = %v, want acknowledged", p.Status)
	}
	if p := byID[unlabelled]; p.Urgency != page.UrgencyHigh || p.Title != "Alert group #3" {
		t.Errorf("unlabelled group = %+v, want high urgency and a numbered title", p)
	}
	if _, ok := byID[gone]; ok || len(ps) != 3 {
		t.Errorf("listed %d groups (resolved one: %v), want the 3 open", len(ps), ok)
	}
}

// TestActionsIdempotent: OnCall's 400 for "already in that state" is
// success; a real refusal (ack of a resolved group) is not.
func TestActionsIdempotent(t *testing.T) {
	src, oc := newSource(t, grafanaoncall.Config{}, testToken)
	id := oc.Fire(oncallfake.Group{Title: "x"})
	steps := []struct {
		name    string
		do      func() error
		wantErr bool
	}{
		{"ack", func() error { return src.Ack(t.Context(), id, alice) }, false},
		{"ack again", func() error { return src.Ack(t.Context(), id, alice) }, false},
		{"unack", func() error { return src.Unack(t.Context(), id, alice) }, false},
		{"unack again", func() error { return src.Unack(t.Context(), id, alice) }, false},
		{"resolve", func() error { return src.Resolve(t.Context(), id, alice) }, false},
		{"resolve again", func() error { return src.Resolve(t.Context(), id, alice) }, false},
		{"ack resolved", func() error { return src.Ack(t.Context(), id, alice) }, true},
	}
	for _, st := range steps {
		err := st.do()
		if (err != nil) != st.wantErr {
			t.Errorf("%s: %v, want error %v", st.name, err, st.wantErr)
		}
		if st.wantErr && (source.KindOf(err) != source.KindInvalid || !strings.Contains(err.Error(), "resolved alert group")) {
			t.Errorf("%s: %v, want OnCall's refusal", st.name, err)
		}
	}
}

func TestClaimsFromResolutionNotes(t *testing.T) {
	src, oc := newSource(t, grafanaoncall.Config{ClaimTTL: 20 * time.Minute}, testToken)
	id := oc.Fire(oncallfake.Group{Title: "Login errors"})
	bob := oncallfake.User{ID: "UBOB", Username: "bob"}
	t0 := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	oc.AddNote(id, bob, source.ClaimNoteText("bob"), t0)
	oc.AddNote(id, bob, "restarted pods", t0.Add(time.Minute))
	oc.AddNote(id, bob, source.ClaimNoteText("bob"), t0.Add(10*time.Minute))
	ps, err := src.List(t.Context())
	if err != nil || len(ps) != 1 {
		t.Fatalf("List = %v, %v", ps, err)
	}
	want := []page.Claim{{Page: ps[0].ID, By: "bob", Kind: page.ClaimLooking, At: t0.Add(10 * time.Minute),
		Expires: t0.Add(30 * time.Minute), Origin: page.OriginUpstream}}
	if !slices.Equal(ps[0].Claims, want) {
		t.Errorf("claims = %+v, want %+v", ps[0].Claims, want)
	}
}

func TestErrorMapping(t *testing.T) {
	sourcetest.CheckListErrors(t, against, []sourcetest.ListError{
		{Name: "403", Handler: fakehttp.RawJSON(http.StatusForbidden, `{"detail":"You do not have permission to perform this action."}`), Kind: source.KindUnauthorized, Msg: "403"},
		{Name: "404 html", Handler: fakehttp.HTML(http.StatusNotFound, loginPage), Kind: source.KindNotFound, Msg: "not a Grafana OnCall at this URL"},
		{Name: "429", Handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "30")
			fakehttp.RawJSON(http.StatusTooManyRequests, `{"detail":"Request was throttled."}`)(w, r)
		}, Kind: source.KindRateLimited, Msg: "429", RetryAfter: 30 * time.Second},
		{Name: "503", Handler: fakehttp.RawJSON(http.StatusServiceUnavailable, "unavailable"), Kind: source.KindUnavailable, Msg: "503"},
		{Name: "broken json", Handler: fakehttp.RawJSON(http.StatusOK, `{"results":[`), Kind: source.KindBadResponse, Msg: "JSON"},
		{Name: "html 200", Handler: fakehttp.HTML(http.StatusOK, loginPage), Kind: source.KindBadResponse, Msg: "HTML"},
		{Name: "no results", Handler: fakehttp.RawJSON(http.StatusOK, `{"count":0}`), Kind: source.KindBadResponse, Msg: "no results"},
		{Name: "next loops", Handler: fakehttp.RawJSON(http.StatusOK, `{"count":9,"next":"http://x/api/v1/alert_groups/","results":[]}`), Kind: source.KindBadResponse, Msg: "bad next page"},
	})
}

// loginPage is what a portal in front of the API answers.
const loginPage = "<!DOCTYPE html><html><body>Grafana</body></html>"
