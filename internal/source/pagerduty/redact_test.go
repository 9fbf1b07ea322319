package pagerduty_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/source/pagerduty"
)

func decode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

// TestConfigNeverShowsToken: fmt in every form, slog and JSON.
func TestConfigNeverShowsToken(t *testing.T) {
	cfg := pagerduty.Config{Name: "pd", Token: testToken, UserIDs: []string{"PU1"}}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("source", "cfg", cfg, "token", cfg.Token)
	js, _ := json.Marshal(cfg)
	for name, out := range map[string]string{
		"%v": fmt.Sprintf("%v", cfg), "%+v": fmt.Sprintf("%+v", cfg), "%#v": fmt.Sprintf("%#v", cfg),
		"slog": logged.String(), "json": string(js),
	} {
		if strings.Contains(out, testToken) {
			t.Errorf("%s shows the token: %s", name, out)
		}
	}
}

// TestErrorsNeverShowToken: an upstream (or a proxy) that echoes the
// request's Authorization header in its error text, its error JSON, or a
// redirect URL must not get the token into our errors.
func TestErrorsNeverShowToken(t *testing.T) {
	echoes := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"text body", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad auth header "+r.Header.Get("Authorization"), http.StatusBadRequest)
		}},
		{"PagerDuty error body", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
				"message": "Access Denied", "code": 2010, "errors": []string{r.Header.Get("Authorization")}}})
		}},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/incidents?t="+strings.Fields(r.Header.Get("Authorization"))[1], http.StatusFound)
		}},
	}
	for _, tt := range echoes {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			defer srv.Close()
			src, err := pagerduty.New(pagerduty.Config{Name: "pd", URL: srv.URL, Token: testToken}, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.List(t.Context())
			if err == nil {
				t.Fatal("List succeeded")
			}
			if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, testToken) {
				t.Errorf("error shows the token: %s", s)
			}
		})
	}
}
