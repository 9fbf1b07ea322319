package grafanaoncall_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/grafanaoncall"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

// against builds a source with the test token for a server at url.
func against(url string, c *http.Client) (source.Source, error) {
	return grafanaoncall.New(grafanaoncall.Config{Name: "oc", URL: url, Token: testToken}, c)
}

// TestConfigNeverShowsToken: fmt in every form, slog and JSON.
func TestConfigNeverShowsToken(t *testing.T) {
	cfg := grafanaoncall.Config{Name: "oc", URL: "https://oncall.example.com", Token: testToken}
	sourcetest.CheckRedaction(t, cfg, testToken)
	sourcetest.CheckRedaction(t, cfg.Token, testToken)
}

// TestErrorsNeverShowToken: an upstream echoing the Authorization header.
func TestErrorsNeverShowToken(t *testing.T) {
	sourcetest.CheckEchoes(t, against, []sourcetest.Echo{
		sourcetest.EchoText("Authorization"),
		{Name: "detail", Handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"detail": "Invalid token " + r.Header.Get("Authorization")})
		}},
		sourcetest.EchoRedirect("Authorization", "/api/v1/alert_groups/?t="),
	}, testToken)
}
