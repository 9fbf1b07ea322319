package sourcehttp

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"seconds", map[string]string{"Retry-After": "30"}, 30 * time.Second},
		{"http date", map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, 90 * time.Second},
		{"date in the past", map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{"pagerduty reset", map[string]string{"ratelimit-reset": "12"}, 12 * time.Second},
		{"retry-after wins", map[string]string{"Retry-After": "5", "ratelimit-reset": "12"}, 5 * time.Second},
		{"garbage", map[string]string{"Retry-After": "soon"}, 0},
		{"none", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := retryAfter(h, now); got != tt.want {
				t.Errorf("retryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDoClassifies(t *testing.T) {
	const secret = "tok-5e6f7a8b"
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		kind   source.ErrorKind
		msg    string
	}{
		{"ok", 200, "application/json", `{"a":1}`, -1, ""},
		{"401", 401, "text/plain", "no", source.KindUnauthorized, "token rejected (401)"},
		{"403", 403, "application/json", `{}`, source.KindUnauthorized, "token lacks the rights for this (403)"},
		{"404 json", 404, "application/json", `{}`, source.KindNotFound, "not found (404)"},
		{"404 html", 404, "text/html", "<html></html>", source.KindNotFound, "not an Upstream at this URL (404 HTML page)"},
		{"400", 400, "text/plain", "bad matcher", source.KindInvalid, "refused by Upstream (400)"},
		{"502 proxy page", 502, "text/html", "<html>Bad Gateway</html>", source.KindUnavailable, "Upstream server error (502)"},
		{"200 html sniffed", 200, "text/plain", "  <!DOCTYPE html><html>", source.KindBadResponse, "not an Upstream at this URL (HTML page)"},
		{"200 broken json", 200, "application/json", `{"a":`, source.KindBadResponse, "unreadable response from Upstream (broken JSON)"},
		{"200 empty", 200, "application/json", "", source.KindBadResponse, "empty response from Upstream"},
		{"echoed secret", 400, "text/plain", "bad header Bearer " + secret, source.KindInvalid, "refused by Upstream (400)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer "+secret {
					t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
				}
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			base, _ := url.Parse(srv.URL)
			c := &Client{HTTP: srv.Client(), Base: base, System: "Upstream",
				Header:  http.Header{"Authorization": {"Bearer " + secret}},
				Secrets: []source.Secret{secret}}
			var out map[string]int
			err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, &out)
			if tt.kind < 0 {
				if err != nil || out["a"] != 1 {
					t.Fatalf("Do = %v, %v", out, err)
				}
				return
			}
			var e *source.Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Msg != tt.msg || e.Status != tt.status {
				t.Fatalf("Do = %#v, want kind %v msg %q status %d", err, tt.kind, tt.msg, tt.status)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}

func TestDoTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base, _ := url.Parse(srv.URL)
	srv.Close() // nothing listens any more
	c := &Client{Base: base, System: "Upstream", HTTP: &http.Client{Timeout: time.Second}}
	err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil)
	var e *source.Error
	if !errors.As(err, &e) || e.Kind != source.KindUnavailable || e.Msg != "cannot reach Upstream" || !e.Retryable() {
		t.Fatalf("Do = %#v, want a retryable KindUnavailable", err)
	}
}
