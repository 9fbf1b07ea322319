package splunkoncall_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"golang.org/x/time/rate"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
	"github.com/standby-oncall/standby/internal/source/splunkoncall"
)

func asError(err error, e **source.Error) bool { return errors.As(err, e) }

// against builds a source with the test key and no rate limit for a
// server at url.
func against(url string, c *http.Client) (source.Source, error) {
	return splunkoncall.New(splunkoncall.Config{Name: "vo", URL: url, APIID: testID, APIKey: testKey,
		Limiter: rate.NewLimiter(rate.Inf, 0)}, c)
}

// TestConfigNeverShowsKey: fmt in every form, slog and JSON.
func TestConfigNeverShowsKey(t *testing.T) {
	cfg := splunkoncall.Config{Name: "vo", APIID: testID, APIKey: testKey}
	sourcetest.CheckRedaction(t, cfg, testKey)
	sourcetest.CheckRedaction(t, cfg.APIKey, testKey)
}

// TestErrorsNeverShowKey: an upstream or proxy echoing the key header in
// its error body or a redirect must not get it into our errors.
func TestErrorsNeverShowKey(t *testing.T) {
	sourcetest.CheckEchoes(t, against, []sourcetest.Echo{
		sourcetest.EchoText("X-VO-Api-Key"),
		{Name: "json error", Handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "key " + r.Header.Get("X-VO-Api-Key") + " is read-only"})
		}},
		sourcetest.EchoRedirect("X-VO-Api-Key", "/api-public/v1/incidents?k="),
	}, testKey)
}
