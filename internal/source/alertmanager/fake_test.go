package alertmanager_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/alertmanager"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

// groupsJSON is an /api/v2/alerts/groups answer as Alertmanager 0.25 gives
// it: one alert silenced by a Standby silence, one by a person, one firing.
const groupsJSON = `[{"labels":{"alertname":"Disk"},"receiver":{"name":"team-pager"},"alerts":[
 {"labels":{"alertname":"Disk","instance":"db-1","severity":"critical","job":"node"},
  "annotations":{"summary":"Disk full on db-1"},"startsAt":"2026-03-01T10:00:00Z",
  "endsAt":"2026-03-01T11:00:00Z","fingerprint":"aaaa","generatorURL":"",
  "receivers":[{"name":"team-pager"}],"status":{"state":"suppressed","silencedBy":["s1"],"inhibitedBy":[]}},
 {"labels":{"alertname":"Disk","instance":"db-2","severity":"warning"},
  "annotations":{},"startsAt":"2026-03-01T10:05:00Z","endsAt":"2026-03-01T11:00:00Z",
  "fingerprint":"bbbb","receivers":[{"name":"team-pager"}],
  "status":{"state":"suppressed","silencedBy":["s2"],"inhibitedBy":[]}},
 {"labels":{"alertname":"Disk","instance":"db-3","severity":"page"},
  "annotations":{},"startsAt":"2026-03-01T10:06:00Z","endsAt":"2026-03-01T11:00:00Z",
  "fingerprint":"cccc","receivers":[{"name":"team-pager"}],
  "status":{"state":"active","silencedBy":[],"inhibitedBy":[]}}]}]`

const silencesJSON = `[
 {"id":"s1","status":{"state":"active"},"createdBy":"standby:alice","comment":"Acked in Standby by alice",
  "startsAt":"2026-03-01T10:01:00Z","endsAt":"2026-03-01T11:01:00Z","matchers":[]},
 {"id":"s2","status":{"state":"active"},"createdBy":"bob@example.com","comment":"maintenance",
  "startsAt":"2026-03-01T10:01:00Z","endsAt":"2026-03-01T20:00:00Z","matchers":[]}]`

// fakeAM serves canned answers and records the query of the groups call.
func fakeAM(t *testing.T, faults *sourcetest.Faults, gotQuery chan<- string) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/alerts/groups", func(w http.ResponseWriter, r *http.Request) {
		if gotQuery != nil {
			gotQuery <- r.URL.RawQuery
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(groupsJSON))
	})
	mux.HandleFunc("GET /api/v2/silences", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(silencesJSON))
	})
	srv := httptest.NewServer(faults.Wrap(mux))
	t.Cleanup(srv.Close)
	return srv
}

func TestListMapping(t *testing.T) {
	queries := make(chan string, 1)
	srv := fakeAM(t, &sourcetest.Faults{}, queries)
	now := time.Date(2026, 3, 1, 10, 10, 0, 0, time.UTC) // far from any renewal
	src, err := alertmanager.New(alertmanager.Config{Name: "prod-am", URL: srv.URL,
		Receiver: "team-pager", Filter: []string{`team="db"`}, Now: func() time.Time { return now }}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	ps, err := src.List(t.Context())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	q := <-queries
	wantQuery := "active=true&filter=team%3D%22db%22&inhibited=false&receiver=team-pager&silenced=true&unprocessed=true"
	if q != wantQuery {
		t.Errorf("groups query = %s, want %s", q, wantQuery)
	}
	tests := []struct {
		fp, title, service, ackedBy string
		status                      page.Status
		urgency                     page.Urgency
	}{
		{"aaaa", "Disk full on db-1", "node", "alice", page.StatusAcknowledged, page.UrgencyHigh},
		{"bbbb", "Disk", "", "bob@example.com", page.StatusAcknowledged, page.UrgencyLow},
		{"cccc", "Disk", "", "", page.StatusTriggered, page.UrgencyHigh},
	}
	if len(ps) != len(tests) {
		t.Fatalf("List = %d pages, want %d", len(ps), len(tests))
	}
	for i, tt := range tests {
		p := ps[i]
		if p.ID != (page.ID{Source: "prod-am", Upstream: tt.fp}) || p.Title != tt.title ||
			p.Service != tt.service || p.AckedBy != tt.ackedBy || p.Status != tt.status || p.Urgency != tt.urgency {
			t.Errorf("page %d = %+v, want %+v", i, p, tt)
		}
		if p.Group != `team-pager:{alertname="Disk"}` || p.DedupKey != tt.fp || p.URL == "" {
			t.Errorf("page %d group %q dedup %q url %q", i, p.Group, p.DedupKey, p.URL)
		}
	}
}

// TestListFailures runs the failure table without a real Alertmanager, so
// the classification is covered where the binary is absent.
func TestListFailures(t *testing.T) {
	tests := []struct {
		failure sourcetest.Failure
		after   int
		kind    source.ErrorKind
		msg     string
	}{
		{sourcetest.Unauthorized, 0, source.KindUnauthorized, "token rejected (401)"},
		{sourcetest.ServerError, 0, source.KindUnavailable, "Alertmanager server error (500)"},
		{sourcetest.ServerError, 1, source.KindUnavailable, "Alertmanager server error (500)"},
		{sourcetest.MalformedJSON, 0, source.KindBadResponse, "unreadable response from Alertmanager (broken JSON)"},
		{sourcetest.HTMLPage, 0, source.KindBadResponse, "not an Alertmanager at this URL (HTML page)"},
		{sourcetest.Timeout, 0, source.KindUnavailable, "no answer from Alertmanager (timeout)"},
	}
	for _, tt := range tests {
		t.Run(tt.failure.String(), func(t *testing.T) {
			faults := &sourcetest.Faults{}
			srv := fakeAM(t, faults, nil)
			src, err := alertmanager.New(alertmanager.Config{Name: "am", URL: srv.URL, Token: "tok-9d8e7f"},
				&http.Client{Timeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			faults.Set(sourcetest.Fault{Failure: tt.failure, After: tt.after})
			ps, err := src.List(t.Context())
			if ps != nil || err == nil {
				t.Fatalf("List = %d pages, %v; want nil and an error", len(ps), err)
			}
			var e *source.Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Msg != tt.msg {
				t.Errorf("List error = %#v, want kind %v msg %q", e, tt.kind, tt.msg)
			}
		})
	}
}

// FuzzListDecode feeds arbitrary group answers to List: it must return
// either pages or an error, never both and never neither.
func FuzzListDecode(f *testing.F) {
	for _, seed := range []string{groupsJSON, "[]", "null", "{}", `[{"alerts":null}]`, "<html>", `[{"alerts":[{}]}]`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path == "/api/v2/silences" {
				_, _ = w.Write([]byte(silencesJSON))
				return
			}
			_, _ = w.Write([]byte(body))
		}))
		defer srv.Close()
		src, err := alertmanager.New(alertmanager.Config{Name: "am", URL: srv.URL,
			Now: func() time.Time { return time.Date(2026, 3, 1, 10, 10, 0, 0, time.UTC) }}, srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		ps, err := src.List(t.Context())
		if (err == nil) == (ps == nil) {
			t.Fatalf("List = %v, %v: want exactly one of pages and error", ps, err)
		}
	})
}
