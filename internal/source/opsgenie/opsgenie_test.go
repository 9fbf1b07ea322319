package opsgenie_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/opsgenie"
	"github.com/standby-oncall/standby/internal/source/opsgenie/ogfake"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
	"github.com/standby-oncall/standby/internal/source/sourcetest/fakehttp"
)

func TestNotice(t *testing.T) {
	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), "Opsgenie shuts down on 5 Apr 2027 — move this source to Jira Service Management Ops"},
		{time.Date(2027, 4, 4, 23, 59, 0, 0, time.UTC), "Opsgenie shuts down on 5 Apr 2027"},
		{time.Date(2027, 4, 5, 0, 0, 0, 0, time.UTC), "Opsgenie shut down on 5 Apr 2027 — move this source"},
	}
	for _, tt := range tests {
		if got := opsgenie.Notice(tt.now); !strings.HasPrefix(got, tt.want) {
			t.Errorf("Notice(%v) = %q, want %q…", tt.now, got, tt.want)
		}
	}
	if opsgenie.EndOfLife != "2027-04-05" {
		t.Errorf("EndOfLife = %s", opsgenie.EndOfLife)
	}
	src, _ := newSource(t, opsgenie.Config{Flavor: opsgenie.JSMOps})
	if n := src.Notice(time.Now()); n != "" {
		t.Errorf("JSM Ops source notice = %q, want none", n)
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  opsgenie.Config
		want string
	}{
		{"no name", opsgenie.Config{Key: "k"}, "name is empty"},
		{"no key", opsgenie.Config{Name: "og"}, "no API key"},
		{"bad flavor", opsgenie.Config{Name: "og", Flavor: "victorops", Key: "k"}, "unknown flavor"},
		{"jsm without email", opsgenie.Config{Name: "j", Flavor: opsgenie.JSMOps, CloudID: "c", Key: "k"}, "e-mail"},
		{"jsm without cloud id", opsgenie.Config{Name: "j", Flavor: opsgenie.JSMOps, Email: "a@b", Key: "k"}, "cloud id"},
		{"user info", opsgenie.Config{Name: "og", URL: "https://u:p@api.opsgenie.com", Key: "k"}, "credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := opsgenie.New(tt.cfg, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestRequests: auth per flavor, the documented paths, query and bodies.
func TestRequests(t *testing.T) {
	tests := []struct {
		flavor         opsgenie.Flavor
		auth, prefix   string
		sizeParam      string
		wantStatusPath string
	}{
		{opsgenie.Opsgenie, "GenieKey " + testKey, "/v2", "limit=100", "/v2/alerts/requests/"},
		{opsgenie.JSMOps, "Basic YWxpY2VAZXhhbXBsZS5jb206ZWIyNDM1OTItZmFhMi00YmEyLWE1NTFxLTFhZmRmNTY1Yzg4OQ==", "/v1", "size=100", "/v1/alerts/requests/"},
	}
	for _, tt := range tests {
		t.Run(string(tt.flavor), func(t *testing.T) {
			src, og := newSource(t, opsgenie.Config{Flavor: tt.flavor, Query: "teams:payments"})
			id := og.Create(ogfake.Alert{Message: "x"})
			if _, err := src.List(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := src.Ack(t.Context(), id, alice); err != nil {
				t.Fatal(err)
			}
			var sawList, sawAck, sawStatus bool
			for _, r := range og.Requests() {
				if r.Header.Get("Authorization") != tt.auth {
					t.Errorf("%s %s: Authorization = %q", r.Method, r.Path, r.Header.Get("Authorization"))
				}
				switch {
				case r.Path == tt.prefix+"/alerts":
					sawList = strings.Contains(r.Query, "query=status%3Aopen+AND+%28teams%3Apayments%29") && strings.Contains(r.Query, tt.sizeParam)
				case r.Path == tt.prefix+"/alerts/"+id+"/acknowledge":
					sawAck = r.Body == `{"user":"alice","source":"Standby"}` && r.Query == "identifierType=id"
				case strings.HasPrefix(r.Path, tt.wantStatusPath):
					sawStatus = true
				}
			}
			if !sawList || !sawAck || !sawStatus {
				t.Errorf("list/ack/status as documented: %v/%v/%v; requests %+v", sawList, sawAck, sawStatus, og.Requests())
			}
		})
	}
}

func TestPageMapping(t *testing.T) {
	src, og := newSource(t, opsgenie.Config{Name: "acme"})
	opened := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	id := og.Create(ogfake.Alert{Message: "DB replica lag", Priority: "P2", Alias: "am-group-7f3a", Entity: "orders-db", CreatedAt: opened})
	if err := src.Ack(t.Context(), id, alice); err != nil {
		t.Fatal(err)
	}
	ps, err := src.List(t.Context())
	if err != nil || len(ps) != 1 {
		t.Fatalf("List = %v, %v", ps, err)
	}
	want := page.Page{ID: page.ID{Source: "acme", Upstream: id}, Title: "DB replica lag", Service: "orders-db",
		Severity: "P2", Urgency: page.UrgencyHigh, Status: page.StatusAcknowledged, DedupKey: "am-group-7f3a",
		OpenedAt: opened, AckedBy: "alice"}
	if got := ps[0]; fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("page =\n %+v\nwant\n %+v", got, want)
	}
}

func TestUrgency(t *testing.T) {
	for p, want := range map[string]page.Urgency{"P1": page.UrgencyHigh, "P2": page.UrgencyHigh, "P3": page.UrgencyHigh,
		"p4": page.UrgencyLow, "P5": page.UrgencyLow, "": page.UrgencyHigh} {
		if got := opsgenie.Urgency(p); got != want {
			t.Errorf("Urgency(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestChangeRefusedAfterAccept: accepted with 202, then failed upstream.
func TestChangeRefusedAfterAccept(t *testing.T) {
	src, og := newSource(t, opsgenie.Config{})
	id := og.Create(ogfake.Alert{Message: "x"})
	og.Close(id)
	err := src.Ack(t.Context(), id, alice)
	if source.KindOf(err) != source.KindInvalid || !strings.Contains(err.Error(), "already closed") {
		t.Errorf("Ack of a closed alert = %v, want KindInvalid with Opsgenie's status", err)
	}
}

// TestConfirmation: Ack returns once the request is processed, polling
// with back-off; when upstream does not process it within ConfirmWait,
// Ack returns a retryable ErrPending error after exactly ConfirmWait.
func TestConfirmation(t *testing.T) {
	tests := []struct {
		name         string
		processAfter int
		hold         bool
		wantPending  bool
		wantTook     time.Duration
	}{
		{"processed on first poll", 0, false, false, 0},
		{"processed on third poll", 2, false, false, 500*time.Millisecond + time.Second},
		{"never processed", 0, true, true, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				og := ogfake.NewHandler(false, "", testKey)
				og.ProcessAfter = tt.processAfter
				og.Hold(tt.hold)
				src, err := opsgenie.New(opsgenie.Config{Name: "og", URL: "http://opsgenie.test", Key: testKey},
					fakehttp.InMemory(og.Handler()))
				if err != nil {
					t.Fatal(err)
				}
				id := og.Create(ogfake.Alert{Message: "x"})
				start := time.Now()
				err = src.Ack(context.Background(), id, alice)
				if took := time.Since(start); took != tt.wantTook {
					t.Errorf("Ack took %v, want %v", took, tt.wantTook)
				}
				if errors.Is(err, opsgenie.ErrPending) != tt.wantPending || (!tt.wantPending && err != nil) {
					t.Fatalf("Ack = %v, want pending %v", err, tt.wantPending)
				}
				if tt.wantPending && (!source.Retryable(err) || !strings.Contains(err.Error(), "pending")) {
					t.Errorf("pending error %v is not retryable or does not say pending", err)
				}
				if a, _ := og.Alert(id); a.Acknowledged == tt.wantPending {
					t.Errorf("alert acknowledged = %v", a.Acknowledged)
				}
			})
		})
	}
}

func TestErrorMapping(t *testing.T) {
	sourcetest.CheckListErrors(t, against, []sourcetest.ListError{
		{Name: "403", Handler: fakehttp.RawJSON(http.StatusForbidden, `{"message":"You are not authorized for this action","took":0.001}`), Kind: source.KindUnauthorized, Msg: "403"},
		{Name: "404 html", Handler: fakehttp.HTML(http.StatusNotFound, loginPage), Kind: source.KindNotFound, Msg: "not an Opsgenie at this URL"},
		{Name: "429", Handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "12")
			fakehttp.RawJSON(http.StatusTooManyRequests, `{"message":"You are making too many requests!"}`)(w, r)
		}, Kind: source.KindRateLimited, Msg: "429", RetryAfter: 12 * time.Second},
		{Name: "500", Handler: fakehttp.RawJSON(http.StatusInternalServerError, "boom"), Kind: source.KindUnavailable, Msg: "500"},
		{Name: "broken json", Handler: fakehttp.RawJSON(http.StatusOK, `{"data":[`), Kind: source.KindBadResponse, Msg: "JSON"},
		{Name: "html 200", Handler: fakehttp.HTML(http.StatusOK, loginPage), Kind: source.KindBadResponse, Msg: "HTML"},
		{Name: "no data", Handler: fakehttp.RawJSON(http.StatusOK, `{"took":0.1}`), Kind: source.KindBadResponse, Msg: "no alerts field"},
	})
}

// loginPage is what a portal in front of the API answers.
const loginPage = "<!DOCTYPE html><html><body>Log in to Atlassian</body></html>"
