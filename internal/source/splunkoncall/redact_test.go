package splunkoncall_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/splunkoncall"
)

func asError(err error, e **source.Error) bool { return errors.As(err, e) }

// TestConfigNeverShowsKey: fmt in every form, slog and JSON.
func TestConfigNeverShowsKey(t *testing.T) {
	cfg := splunkoncall.Config{Name: "vo", APIID: testID, APIKey: testKey}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("source", "cfg", cfg, "key", cfg.APIKey)
	js, _ := json.Marshal(cfg)
	for name, out := range map[string]string{
		"%v": fmt.Sprintf("%v", cfg), "%+v": fmt.Sprintf("%+v", cfg), "%#v": fmt.Sprintf("%#v", cfg),
		"slog": logged.String(), "json": string(js),
	} {
		if strings.Contains(out, testKey) {
			t.Errorf("%s shows the key: %s", name, out)
		}
	}
}

// TestErrorsNeverShowKey: an upstream or proxy echoing the key header in
// its error body or a redirect must not get it into our errors.
func TestErrorsNeverShowKey(t *testing.T) {
	echoes := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"text body", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad key "+r.Header.Get("X-VO-Api-Key"), http.StatusBadRequest)
		}},
		{"json error", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "key " + r.Header.Get("X-VO-Api-Key") + " is read-only"})
		}},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/api-public/v1/incidents?k="+r.Header.Get("X-VO-Api-Key"), http.StatusFound)
		}},
	}
	for _, tt := range echoes {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			defer srv.Close()
			src, err := splunkoncall.New(splunkoncall.Config{Name: "vo", URL: srv.URL, APIID: testID, APIKey: testKey,
				Limiter: rate.NewLimiter(rate.Inf, 0)}, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.List(t.Context())
			if err == nil {
				t.Fatal("List succeeded")
			}
			if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, testKey) {
				t.Errorf("error shows the key: %s", s)
			}
		})
	}
}
