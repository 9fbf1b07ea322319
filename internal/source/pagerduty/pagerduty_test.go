package pagerduty_test

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
	"github.com/standby-oncall/standby/internal/source/pagerduty"
	"github.com/standby-oncall/standby/internal/source/pagerduty/pdfake"
)

// TestRequestHeaders checks every request carries the v2 Accept and the
// token, and every change the acting user's From.
func TestRequestHeaders(t *testing.T) {
	for _, oauth := range []bool{false, true} {
		t.Run(fmt.Sprint("oauth=", oauth), func(t *testing.T) {
			src, pd := newSource(t, pagerduty.Config{OAuth: oauth})
			id := pd.Trigger(pdfake.Incident{Title: "Checkout 5xx"})
			if _, err := src.List(t.Context()); err != nil {
				t.Fatalf("List: %v", err)
			}
			if err := src.Ack(t.Context(), id, alice); err != nil {
				t.Fatalf("Ack: %v", err)
			}
			if err := src.Note(t.Context(), id, alice, "looking at the LB"); err != nil {
				t.Fatalf("Note: %v", err)
			}
			wantAuth := "Token token=" + testToken
			if oauth {
				wantAuth = "Bearer " + testToken
			}
			for _, r := range pd.Requests() {
				if r.Header.Get("Authorization") != wantAuth || r.Header.Get("Accept") != pdfake.Accept {
					t.Errorf("%s %s: Authorization/Accept = %q / %q", r.Method, r.Path,
						r.Header.Get("Authorization"), r.Header.Get("Accept"))
				}
				if r.Method != http.MethodGet && r.Header.Get("From") != alice.Email {
					t.Errorf("%s %s: From = %q, want %q", r.Method, r.Path, r.Header.Get("From"), alice.Email)
				}
			}
		})
	}
}

func TestListQueryAndPagination(t *testing.T) {
	src, pd := newSource(t, pagerduty.Config{UserIDs: []string{"PU1", "PU2"}, TeamIDs: []string{"PT1"}})
	pd.MaxLimit = 3
	var want []string
	for i := range 10 {
		team := "PT1"
		if i%5 == 4 {
			team = "PT9" // filtered out by team_ids[]
		}
		id := pd.Trigger(pdfake.Incident{Title: fmt.Sprint("incident ", i), TeamID: team, AssigneeIDs: []string{"PU2"}})
		if team == "PT1" {
			want = append(want, id)
		}
	}
	pd.Resolve(want[0]) // not listed: statuses[] asks for open ones
	want = want[1:]
	ps, err := src.List(t.Context())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.ID.Upstream)
	}
	if !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	var lists []string
	for _, r := range pd.Requests() {
		if r.Path == "/incidents" {
			lists = append(lists, r.Method)
		}
	}
	if len(lists) != 3 { // 7 incidents, 3 a page
		t.Errorf("%d list requests, want 3 pages", len(lists))
	}
}

func TestPageMapping(t *testing.T) {
	src, pd := newSource(t, pagerduty.Config{Name: "acme-pd"})
	opened := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	id := pd.Trigger(pdfake.Incident{Title: "DB replica lag", Urgency: "low", Key: "am-group-7f3a",
		Service: "Orders DB", CreatedAt: opened})
	if err := src.Ack(t.Context(), id, alice); err != nil {
		t.Fatal(err)
	}
	ps, err := src.List(t.Context())
	if err != nil || len(ps) != 1 {
		t.Fatalf("List = %v, %v", ps, err)
	}
	want := page.Page{ID: page.ID{Source: "acme-pd", Upstream: id}, Title: "DB replica lag", Service: "Orders DB",
		Severity: "low", Urgency: page.UrgencyLow, Status: page.StatusAcknowledged,
		URL: "https://acme.pagerduty.com/incidents/" + id, DedupKey: "am-group-7f3a", OpenedAt: opened,
		AckedBy: alice.Name}
	if got := ps[0]; fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("page =\n %+v\nwant\n %+v", got, want)
	}
}

// TestClaimsFromTeammatesNotes: a teammate whose app is offline mirrored a
// claim in PagerDuty; List shows it, latest per person, with its expiry.
func TestClaimsFromTeammatesNotes(t *testing.T) {
	src, pd := newSource(t, pagerduty.Config{ClaimTTL: 20 * time.Minute})
	id := pd.Trigger(pdfake.Incident{Title: "Login errors"})
	bob := pdfake.User{ID: "PBOB", Name: "Bob", Email: "bob@example.com"}
	t0 := time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC)
	pd.AddNote(id, bob, source.ClaimNoteText("bob"), t0)
	pd.AddNote(id, bob, "restarted pods", t0.Add(time.Minute))
	pd.AddNote(id, bob, source.ClaimNoteText("bob"), t0.Add(10*time.Minute))
	ps, err := src.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []page.Claim{{Page: ps[0].ID, By: "bob", Kind: page.ClaimLooking, At: t0.Add(10 * time.Minute),
		Expires: t0.Add(30 * time.Minute), Origin: page.OriginUpstream}}
	if !slices.Equal(ps[0].Claims, want) {
		t.Errorf("claims = %+v, want %+v", ps[0].Claims, want)
	}
}

// TestChangesNeedFrom: without an e-mail the adapter does not even ask;
// with an e-mail PagerDuty does not know, PagerDuty's refusal comes back
// as KindInvalid with its reason.
func TestChangesNeedFrom(t *testing.T) {
	src, pd := newSource(t, pagerduty.Config{})
	id := pd.Trigger(pdfake.Incident{Title: "Queue stuck"})
	tests := []struct {
		name   string
		actor  source.Actor
		reason string
	}{
		{"no e-mail", source.Actor{Name: "alice"}, "e-mail"},
		{"unknown user", source.Actor{Name: "mallory", Email: "mallory@example.com"}, "Requester User Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for op, err := range map[string]error{
				"Ack":     src.Ack(t.Context(), id, tt.actor),
				"Resolve": src.Resolve(t.Context(), id, tt.actor),
				"Note":    src.Note(t.Context(), id, tt.actor, "x"),
			} {
				if source.KindOf(err) != source.KindInvalid || !strings.Contains(err.Error(), tt.reason) {
					t.Errorf("%s = %v, want KindInvalid mentioning %q", op, err, tt.reason)
				}
			}
		})
	}
	if inc, _ := pd.Incident(id); inc.Status != "triggered" {
		t.Errorf("incident is %s after refused changes", inc.Status)
	}
}

// TestFakeRejectsMissingFrom pins the fake to PagerDuty's documented
// refusal, so the adapter tests above mean something.
func TestFakeRejectsMissingFrom(t *testing.T) {
	pd := pdfake.New(t, testToken, false)
	id := pd.Trigger(pdfake.Incident{Title: "x"})
	body := fmt.Sprintf(`{"incidents":[{"id":%q,"type":"incident_reference","status":"acknowledged"}]}`, id)
	req, _ := http.NewRequest(http.MethodPut, pd.URL+"/incidents", strings.NewReader(body))
	req.Header.Set("Authorization", "Token token="+testToken)
	req.Header.Set("Accept", pdfake.Accept)
	req.Header.Set("Content-Type", "application/json")
	resp, err := pd.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error struct {
			Message string
			Code    int
		}
	}
	_ = decode(resp, &e)
	if resp.StatusCode != http.StatusBadRequest || e.Error.Code != 2016 || !strings.Contains(e.Error.Message, `"From" header`) {
		t.Errorf("PUT without From = %d %+v, want 400 code 2016", resp.StatusCode, e)
	}
}

func TestRateLimited(t *testing.T) {
	src, pd := newSource(t, pagerduty.Config{})
	pd.Trigger(pdfake.Incident{Title: "x"})
	pd.Throttle(42)
	ps, err := src.List(t.Context())
	var e *source.Error
	if ps != nil || !errors.As(err, &e) || e.Kind != source.KindRateLimited || e.RetryAfter != 42*time.Second {
		t.Fatalf("List = %v, %#v; want KindRateLimited with RetryAfter 42s", ps, err)
	}
	if _, err := src.List(t.Context()); err != nil {
		t.Errorf("List after the reset: %v", err)
	}
}

func TestUnackUnsupported(t *testing.T) {
	src, pd := newSource(t, pagerduty.Config{})
	id := pd.Trigger(pdfake.Incident{Title: "x"})
	if err := src.Unack(t.Context(), id, alice); source.KindOf(err) != source.KindUnsupported {
		t.Errorf("Unack = %v, want KindUnsupported", err)
	}
}
