package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func newFetcher() *Fetcher {
	return &Fetcher{Client: &http.Client{Timeout: 10 * time.Second, CheckRedirect: CheckRedirect}}
}

func TestFetchConditionalETag(t *testing.T) {
	var hits, notModified atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		fmt.Fprint(w, calICS)
	}))
	defer srv.Close()
	f := newFetcher()
	url := srv.URL + "/private/tok123/feed/users/P1"
	resp, err := f.Fetch(t.Context(), Request{URL: url})
	if err != nil || resp.NotModified || string(resp.Body) != calICS || resp.ETag != `"v1"` {
		t.Fatalf("first fetch = %+v, %v; want the body with ETag v1", resp, err)
	}
	resp, err = f.Fetch(t.Context(), Request{URL: url, ETag: resp.ETag})
	if err != nil || !resp.NotModified || resp.Body != nil {
		t.Fatalf("second fetch = %+v, %v; want 304", resp, err)
	}
	if hits.Load() != 2 || notModified.Load() != 1 {
		t.Errorf("hits %d, 304s %d; want 2 and 1", hits.Load(), notModified.Load())
	}
}

func TestFetchConditionalLastModified(t *testing.T) {
	const lm = "Wed, 04 Mar 2026 10:00:00 GMT"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-Modified-Since") == lm {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Last-Modified", lm)
		fmt.Fprint(w, calICS)
	}))
	defer srv.Close()
	f := newFetcher()
	resp, err := f.Fetch(t.Context(), Request{URL: srv.URL + "/cal.ics"})
	if err != nil || resp.LastModified != lm {
		t.Fatalf("first fetch = %+v, %v; want Last-Modified %s", resp, err, lm)
	}
	resp, err = f.Fetch(t.Context(), Request{URL: srv.URL + "/cal.ics", LastModified: resp.LastModified})
	if err != nil || !resp.NotModified {
		t.Fatalf("second fetch = %+v, %v; want 304", resp, err)
	}
}

// checkErr checks that err says want and leaks no token.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	for _, secret := range []string{"tok123", "s3cr3t", "private"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q leaks %q", err, secret)
		}
	}
}

func TestFetchErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/404/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/500/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	mux.HandleFunc("/loop/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/private/tok123/feed?token=s3cr3t", http.StatusFound)
	})
	mux.HandleFunc("/html/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>Sign in</title>")
	})
	mux.HandleFunc("/html-as-calendar/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		fmt.Fprint(w, "\n  <html><body>Sign in</body></html>")
	})
	mux.HandleFunc("/big-declared/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(MaxBytes+1))
		w.WriteHeader(http.StatusOK)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tests := []struct{ path, want string }{
		{"/404/private/tok123/feed", "server said 404 Not Found"},
		{"/500/api/v2/calendar?token=s3cr3t", "server said 500 Internal Server Error"},
		{"/loop/private/tok123/feed", "stopped after 5 redirects"},
		{"/html/private/tok123/feed", "not a calendar"},
		{"/html-as-calendar/private/tok123/feed", "not a calendar"},
		{"/big-declared/private/tok123/feed", "calendar is larger than 20 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := newFetcher().Fetch(t.Context(), Request{URL: srv.URL + tt.path})
			checkErr(t, err, tt.want)
			if !strings.Contains(err.Error(), RedactURL(srv.URL+tt.path)) {
				t.Errorf("error %q does not name the redacted URL", err)
			}
		})
	}
}

func TestFetchOversizeStreamStopsAtCap(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("X-FILLER:0123456789abcdef\r\n", 4096))
		fmt.Fprint(w, "BEGIN:VCALENDAR\r\n")
		for written.Load() < 200<<20 { // 200 MB if nobody stops reading
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	_, err := newFetcher().Fetch(t.Context(), Request{URL: srv.URL + "/private/tok123/feed"})
	checkErr(t, err, "calendar is larger than 20 MB")
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("error %v is not ErrTooLarge", err)
	}
	srv.CloseClientConnections()
	srv.Close() // waits for the handler
	if w := written.Load(); w > MaxBytes+8<<20 {
		t.Errorf("server wrote %d MB; the fetcher should stop reading at the cap", w>>20)
	}
}

func TestFetchDeadServerAndTimeout(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/private/tok123/feed"
	srv.Close()
	_, err := newFetcher().Fetch(t.Context(), Request{URL: url})
	checkErr(t, err, "fetching "+RedactURL(url))

	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer slow.Close()
	defer close(block)
	f := &Fetcher{Client: &http.Client{Timeout: 50 * time.Millisecond}}
	_, err = f.Fetch(t.Context(), Request{URL: slow.URL + "/private/tok123/feed"})
	checkErr(t, err, "timed out")
}

func TestFetchWebcalIsHTTPS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil {
			http.Error(w, "want TLS", http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, calICS)
	}))
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = CheckRedirect
	f := &Fetcher{Client: client}
	url := "webcal://" + strings.TrimPrefix(srv.URL, "https://") + "/private/tok123/feed"
	resp, err := f.Fetch(t.Context(), Request{URL: url})
	if err != nil || string(resp.Body) != calICS {
		t.Fatalf("webcal fetch = %q, %v", resp.Body, err)
	}
	_, err = f.Fetch(t.Context(), Request{URL: "gopher://example.com/private/tok123"})
	checkErr(t, err, `scheme "gopher"`)
}

// TestVendorFeedURLs serves calendars at each vendor's documented feed
// URL shape; the fetcher needs nothing vendor-specific.
func TestVendorFeedURLs(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.URL.RequestURI())
		w.Header().Set("Content-Type", "text/calendar")
		fmt.Fprint(w, calICS)
	}))
	defer srv.Close()
	paths := map[string]string{
		"PagerDuty":      "/private/tok123abc/feed/users/PABC123",
		"Opsgenie":       "/webcal/getRecentSchedule?webcalToken=tok123&scheduleId=0a1b",
		"GoAlert":        "/api/v2/calendar?token=tok123",
		"Grafana OnCall": "/oncall/api/v1/schedules/SBM7DV7BKFUYU/export?token=tok123",
		"Splunk On-Call": "/api/v1/org/acme/user/alice/oncall.ics?token=tok123",
	}
	for vendor, p := range paths {
		t.Run(vendor, func(t *testing.T) {
			resp, err := newFetcher().Fetch(t.Context(), Request{URL: srv.URL + p})
			if err != nil || string(resp.Body) != calICS {
				t.Fatalf("Fetch = %v", err)
			}
			if got.Load() != p {
				t.Errorf("server saw %v, want %s", got.Load(), p)
			}
			if r := RedactURL(srv.URL + p); strings.Contains(r, "tok123") {
				t.Errorf("RedactURL leaks the token: %s", r)
			}
		})
	}
}

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "oncall.ics")
	if err := os.WriteFile(path, []byte(calICS), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newFetcher()
	for _, u := range []string{path, "file://" + filepath.ToSlash(path)} {
		resp, err := f.Fetch(context.Background(), Request{URL: u})
		if err != nil || string(resp.Body) != calICS || resp.LastModified == "" {
			t.Fatalf("Fetch(%s) = %+v, %v", u, resp, err)
		}
		again, err := f.Fetch(context.Background(), Request{URL: u, LastModified: resp.LastModified})
		if err != nil || !again.NotModified {
			t.Errorf("unchanged file: %+v, %v; want NotModified", again, err)
		}
	}
	_, err := f.Fetch(context.Background(), Request{URL: filepath.Join(dir, "missing.ics")})
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want not-exist", err)
	}
	small := &Fetcher{MaxBytes: 10}
	_, err = small.Fetch(context.Background(), Request{URL: path})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversize file: %v, want ErrTooLarge", err)
	}
}
