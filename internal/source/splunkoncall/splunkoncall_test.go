package splunkoncall_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
	"github.com/standby-oncall/standby/internal/source/splunkoncall"
	"github.com/standby-oncall/standby/internal/source/splunkoncall/vofake"
)

func newSource(t *testing.T, cfg splunkoncall.Config) (*splunkoncall.Source, *vofake.Server) {
	t.Helper()
	vo := vofake.New(t, testID, testKey)
	vo.AddUser(alice.Name)
	vo.AddUser("alice.ops")
	cfg.URL, cfg.APIID, cfg.APIKey = vo.URL, testID, testKey
	if cfg.Name == "" {
		cfg.Name = "vo"
	}
	if cfg.Limiter == nil {
		cfg.Limiter = rate.NewLimiter(rate.Inf, 0)
	}
	src, err := splunkoncall.New(cfg, vo.Client())
	if err != nil {
		t.Fatal(err)
	}
	return src, vo
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  splunkoncall.Config
		want string
	}{
		{"no name", splunkoncall.Config{APIID: "x", APIKey: "k"}, "name is empty"},
		{"bad url", splunkoncall.Config{Name: "vo", URL: "ftp://x", APIID: "x", APIKey: "k"}, "want https://host"},
		{"user info", splunkoncall.Config{Name: "vo", URL: "https://u:p@api.victorops.com", APIID: "x", APIKey: "k"}, "credentials"},
		{"no id", splunkoncall.Config{Name: "vo", APIKey: "k"}, "no API id"},
		{"no key", splunkoncall.Config{Name: "vo", APIID: "x"}, "no API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := splunkoncall.New(tt.cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestRequests checks the documented headers and bodies on the wire.
func TestRequests(t *testing.T) {
	src, vo := newSource(t, splunkoncall.Config{UserName: "alice.ops"})
	id := vo.Trigger(vofake.Incident{Entity: "Disk full"})
	if _, err := src.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := src.Ack(t.Context(), id, alice); err != nil {
		t.Fatal(err)
	}
	if err := src.Resolve(t.Context(), id, alice); err != nil {
		t.Fatal(err)
	}
	reqs := vo.Requests()
	want := []string{"GET /api-public/v1/incidents", "PATCH /api-public/v1/incidents/ack", "PATCH /api-public/v1/incidents/resolve"}
	var got []string
	for _, r := range reqs {
		got = append(got, r.Method+" "+r.Path)
		if r.Header.Get("X-VO-Api-Id") != testID || r.Header.Get("X-VO-Api-Key") != testKey {
			t.Errorf("%s %s: missing API id/key headers", r.Method, r.Path)
		}
		if r.Method == http.MethodPatch {
			var body map[string]any
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				t.Fatal(err)
			}
			if body["userName"] != "alice.ops" || fmt.Sprint(body["incidentNames"]) != "["+id+"]" {
				t.Errorf("%s body = %s, want userName alice.ops and incidentNames [%s]", r.Path, r.Body, id)
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("requests = %q, want %q", got, want)
	}
	if inc, _ := vo.Incident(id); inc.AckedBy != "alice.ops" || inc.ResolvedBy != "alice.ops" {
		t.Errorf("acked/resolved by %q/%q, want alice.ops", inc.AckedBy, inc.ResolvedBy)
	}
}

func TestPageMapping(t *testing.T) {
	src, vo := newSource(t, splunkoncall.Config{Name: "acme-vo", Teams: []string{"team-db"}})
	opened := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	id := vo.Trigger(vofake.Incident{Entity: "Replica lag", State: "WARNING", Service: "orders-db", Team: "team-db", Start: opened})
	vo.Trigger(vofake.Incident{Entity: "Other team", Team: "team-web"})
	gone := vo.Trigger(vofake.Incident{Entity: "Recovered", Team: "team-db"})
	vo.Recover(gone) // listed upstream as recently resolved, not by Standby
	if err := src.Ack(t.Context(), id, alice); err != nil {
		t.Fatal(err)
	}
	ps, err := src.List(t.Context())
	if err != nil || len(ps) != 1 {
		t.Fatalf("List = %+v, %v; want the one open team-db incident", ps, err)
	}
	want := page.Page{ID: page.ID{Source: "acme-vo", Upstream: id}, Title: "Replica lag", Service: "orders-db",
		Severity: "WARNING", Urgency: page.UrgencyLow, Status: page.StatusAcknowledged,
		URL: "https://portal.victorops.com/ui/acme/incident/" + id + "/details", OpenedAt: opened, AckedBy: "alice"}
	if got := ps[0]; fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("page =\n %+v\nwant\n %+v", got, want)
	}
}

// TestErrorMapping covers the answers the Sources tab must explain.
func TestErrorMapping(t *testing.T) {
	sourcetest.CheckListErrors(t, against, []sourcetest.ListError{
		{Name: "403", Handler: fakehttp.RawJSON(http.StatusForbidden, `{"error":"Read-only API key"}`), Kind: source.KindUnauthorized, Msg: "403"},
		{Name: "404 html", Handler: fakehttp.HTML(http.StatusNotFound, loginPage), Kind: source.KindNotFound, Msg: "not a Splunk On-Call at this URL"},
		{Name: "429", Handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "42")
			fakehttp.RawJSON(http.StatusTooManyRequests, `{"error":"rate"}`)(w, r)
		}, Kind: source.KindRateLimited, Msg: "429", RetryAfter: 42 * time.Second},
		{Name: "502", Handler: fakehttp.RawJSON(http.StatusBadGateway, "bad gateway"), Kind: source.KindUnavailable, Msg: "502"},
		{Name: "broken json", Handler: fakehttp.RawJSON(http.StatusOK, `{"incidents":[{`), Kind: source.KindBadResponse, Msg: "JSON"},
		{Name: "html 200", Handler: fakehttp.HTML(http.StatusOK, loginPage), Kind: source.KindBadResponse, Msg: "HTML"},
		{Name: "no incidents field", Handler: fakehttp.RawJSON(http.StatusOK, `{}`), Kind: source.KindBadResponse, Msg: "no incidents"},
	})
}

// TestChangeRefusals: Splunk On-Call answers 200 with cmdAccepted false.
func TestChangeRefusals(t *testing.T) {
	src, vo := newSource(t, splunkoncall.Config{})
	id := vo.Trigger(vofake.Incident{Entity: "x"})
	vo.Recover(id)
	tests := []struct {
		name string
		id   string
		by   source.Actor
		kind source.ErrorKind
	}{
		{"unknown incident", "999", alice, source.KindNotFound},
		{"resolved incident", id, alice, source.KindInvalid},
		{"unknown user", id, source.Actor{Name: "mallory"}, source.KindInvalid},
		{"no user", id, source.Actor{}, source.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := src.Ack(t.Context(), tt.id, tt.by)
			if k := source.KindOf(err); err == nil || k != tt.kind {
				t.Errorf("Ack = %v (kind %v), want kind %v", err, k, tt.kind)
			}
		})
	}
}

// loginPage is what a portal in front of the API answers.
const loginPage = "<!DOCTYPE html><html><body>Sign in</body></html>"
