package opsgenie_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/opsgenie"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

// against builds a source with the test key for a server at url.
func against(url string, c *http.Client) (source.Source, error) {
	return opsgenie.New(opsgenie.Config{Name: "og", URL: url, Key: testKey}, c)
}

// TestConfigNeverShowsToken: fmt in every form, slog and JSON.
func TestConfigNeverShowsToken(t *testing.T) {
	cfg := opsgenie.Config{Name: "og", Key: testKey, Flavor: opsgenie.JSMOps, Email: testEmail, CloudID: "c0ffee"}
	sourcetest.CheckRedaction(t, cfg, testKey)
	sourcetest.CheckRedaction(t, cfg.Key, testKey)
}

// TestErrorsNeverShowToken: an upstream echoing the Authorization header.
func TestErrorsNeverShowToken(t *testing.T) {
	sourcetest.CheckEchoes(t, against, []sourcetest.Echo{
		sourcetest.EchoText("Authorization"),
		{Name: "detail", Handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"detail": "Invalid token " + r.Header.Get("Authorization")})
		}},
		sourcetest.EchoRedirect("Authorization", "/v2/alerts?t="),
	}, testKey)
}
