// Package fakehttp is the HTTP plumbing the adapters' fakes share (pdfake,
// ogfake, gafake, oncallfake, vofake): a Server to embed that layers fault
// injection (sourcetest.Faults) and a request log in front of the fake's
// API and serves it with or without a listener, plus small writers and
// guards. What an API answers stays in each fake.
package fakehttp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source/sourcetest"
)

// Request is what a fake recorded of one request.
type Request struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
	// At is when the request arrived (the bubble's clock under synctest).
	At time.Time
}

// Server is the part every fake shares; embed a *Server made by New.
// Requests pass, in order: Faults, the request log, the fake's API.
type Server struct {
	// URL is the API root once Listen has run.
	URL string
	// Faults injects generic failures before the API logic runs.
	Faults sourcetest.Faults

	handler http.Handler
	srv     *httptest.Server

	mu       sync.Mutex
	requests []Request
}

// New returns a Server serving api behind fault injection and the request
// log, without a listener (Handler serves it in memory).
func New(api http.Handler) *Server {
	s := &Server{}
	s.handler = s.Faults.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		api.ServeHTTP(w, r)
	}))
	return s
}

// Listen starts a local listener for the fake, sets URL and closes it when
// the test ends.
func (s *Server) Listen(t testing.TB) {
	s.srv = httptest.NewServer(s.handler)
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
}

// Handler serves the fake API (for tests inside a testing/synctest bubble,
// which must not use the real network; see Client).
func (s *Server) Handler() http.Handler { return s.handler }

// Client returns a client for the listening fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Requests returns what the fake received so far (past Faults).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// record logs r, leaving its body readable for the API.
func (s *Server) record(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: string(body), At: time.Now()})
}

// InMemory returns a client that serves every request from h in memory:
// httptest servers are real network and must stay outside synctest
// bubbles.
func InMemory(h http.Handler) *http.Client {
	return &http.Client{Transport: transport{h}}
}

type transport struct{ h http.Handler }

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if r.Body == nil {
		r.Body = http.NoBody // as a server hands it to handlers
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// WriteJSON answers status with v encoded as JSON. The Content-Type is
// application/json unless the handler set one already.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Guard serves next when ok holds for the request and answers with deny
// otherwise (an auth check).
func Guard(ok func(r *http.Request) bool, deny http.HandlerFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ok(r) {
			deny(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// HeadersAre reports whether r carries each header name with the value
// that follows it: HeadersAre(r, "Authorization", "Bearer x").
func HeadersAre(r *http.Request, nameValues ...string) bool {
	for i := 0; i+1 < len(nameValues); i += 2 {
		if r.Header.Get(nameValues[i]) != nameValues[i+1] {
			return false
		}
	}
	return true
}

// JSONReply answers code with a fixed JSON v.
func JSONReply(code int, v any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { WriteJSON(w, code, v) }
}

// Reply answers code with a fixed body of the content type.
func Reply(code int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

// RawJSON answers code with body, as is, as application/json (broken
// JSON included).
func RawJSON(code int, body string) http.HandlerFunc { return Reply(code, "application/json", body) }

// HTML answers code with an HTML page, as a login portal or a wrong URL
// does.
func HTML(code int, page string) http.HandlerFunc { return Reply(code, "text/html", page) }
