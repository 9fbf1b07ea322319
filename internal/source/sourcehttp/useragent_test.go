package sourcehttp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestRequestsNameStandby(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL)
	c := &Client{HTTP: srv.Client(), Base: base, System: "Test"}
	var out map[string]any
	if err := c.Do(context.Background(), Request{Method: http.MethodGet, Path: "/x"}, &out); err != nil {
		t.Fatal(err)
	}
	if got != UserAgent {
		t.Fatalf("User-Agent = %q, want %q", got, UserAgent)
	}
}
