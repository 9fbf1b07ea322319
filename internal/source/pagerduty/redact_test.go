package pagerduty_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/pagerduty"
	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

func decode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

// TestConfigNeverShowsToken: fmt in every form, slog and JSON.
func TestConfigNeverShowsToken(t *testing.T) {
	cfg := pagerduty.Config{Name: "pd", Token: testToken, UserIDs: []string{"PU1"}}
	sourcetest.CheckRedaction(t, cfg, testToken)
	sourcetest.CheckRedaction(t, cfg.Token, testToken)
}

// TestErrorsNeverShowToken: an upstream (or a proxy) that echoes the
// request's Authorization header in its error text, its error JSON, or a
// redirect URL must not get the token into our errors.
func TestErrorsNeverShowToken(t *testing.T) {
	against := func(url string, c *http.Client) (source.Source, error) {
		return pagerduty.New(pagerduty.Config{Name: "pd", URL: url, Token: testToken}, c)
	}
	sourcetest.CheckEchoes(t, against, []sourcetest.Echo{
		sourcetest.EchoText("Authorization"),
		{Name: "PagerDuty error body", Handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
				"message": "Access Denied", "code": 2010, "errors": []string{r.Header.Get("Authorization")}}})
		}},
		{Name: "redirect loop", Handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/incidents?t="+strings.Fields(r.Header.Get("Authorization"))[1], http.StatusFound)
		}},
	}, testToken)
}
