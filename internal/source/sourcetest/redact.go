package sourcetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// CheckRedaction fails the test when v (an adapter's Config, or one of its
// credentials) shows any of secrets when printed with fmt's %v, %+v and
// %#v, logged with slog's text handler under the key "cfg", or encoded as
// JSON.
func CheckRedaction(t testing.TB, v any, secrets ...string) {
	t.Helper()
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("source", "cfg", v)
	js, err := json.Marshal(v)
	if err != nil {
		t.Errorf("%T does not encode to JSON (mark func fields `json:\"-\"`), so the JSON check proves nothing: %v", v, err)
	}
	for name, out := range map[string]string{
		"%v": fmt.Sprintf("%v", v), "%+v": fmt.Sprintf("%+v", v), "%#v": fmt.Sprintf("%#v", v),
		"slog": logged.String(), "json": string(js),
	} {
		if s, ok := leaked(out, secrets); ok {
			t.Errorf("%s shows the secret %q: %s", name, s, out)
		}
	}
}

// NewSource builds the source under test against a server at url, through
// client.
type NewSource func(url string, client *http.Client) (source.Source, error)

// Echo is an upstream, or a proxy in front of it, that puts the credential
// it was sent back into its answer (an error text, an error JSON, a
// redirect URL).
type Echo struct {
	Name    string
	Handler http.HandlerFunc
}

// EchoText answers 400 with a text body holding the request's header.
func EchoText(header string) Echo {
	return Echo{"text body", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad credential "+r.Header.Get(header), http.StatusBadRequest)
	}}
}

// EchoRedirect redirects, again and again, to path with the request's
// header in the query.
func EchoRedirect(header, path string) Echo {
	return Echo{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, path+r.Header.Get(header), http.StatusFound)
	}}
}

// CheckEchoes runs a subtest per echo: List against a server made of the
// echo's handler must fail, and its error, printed with %v, %+v and %#v,
// must show none of secrets.
func CheckEchoes(t *testing.T, newSource NewSource, echoes []Echo, secrets ...string) {
	for _, e := range echoes {
		t.Run(e.Name, func(t *testing.T) {
			_, err := listFrom(t, e.Handler, newSource)
			if err == nil {
				t.Fatal("List succeeded")
			}
			out := fmt.Sprintf("%v %+v %#v", err, err, err)
			if s, ok := leaked(out, secrets); ok {
				t.Errorf("error shows the secret %q: %s", s, out)
			}
		})
	}
}

// listFrom serves h, builds the source against it and calls List.
func listFrom(t *testing.T, h http.Handler, newSource NewSource) ([]page.Page, error) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	src, err := newSource(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return src.List(t.Context())
}

func leaked(out string, secrets []string) (string, bool) {
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			return s, true
		}
	}
	return "", false
}
