package opsgenie_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/source/opsgenie"
)

// TestConfigNeverShowsToken: fmt in every form, slog and JSON.
func TestConfigNeverShowsToken(t *testing.T) {
	cfg := opsgenie.Config{Name: "og", Key: testKey, Flavor: opsgenie.JSMOps, Email: testEmail, CloudID: "c0ffee"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("source", "cfg", cfg, "token", cfg.Key)
	js, _ := json.Marshal(cfg)
	for name, out := range map[string]string{
		"%v": fmt.Sprintf("%v", cfg), "%+v": fmt.Sprintf("%+v", cfg), "%#v": fmt.Sprintf("%#v", cfg),
		"slog": logged.String(), "json": string(js),
	} {
		if strings.Contains(out, testKey) {
			t.Errorf("%s shows the token: %s", name, out)
		}
	}
}

// TestErrorsNeverShowToken: an upstream echoing the Authorization header.
func TestErrorsNeverShowToken(t *testing.T) {
	echoes := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"text body", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad auth header "+r.Header.Get("Authorization"), http.StatusBadRequest)
		}},
		{"detail", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"detail": "Invalid token " + r.Header.Get("Authorization")})
		}},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/v2/alerts?t="+r.Header.Get("Authorization"), http.StatusFound)
		}},
	}
	for _, tt := range echoes {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			defer srv.Close()
			src, err := opsgenie.New(opsgenie.Config{Name: "og", URL: srv.URL, Key: testKey}, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.List(t.Context())
			if err == nil {
				t.Fatal("List succeeded")
			}
			if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, testKey) {
				t.Errorf("error shows the token: %s", s)
			}
		})
	}
}
