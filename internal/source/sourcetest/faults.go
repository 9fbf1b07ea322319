package sourcetest

import (
	"io"
	"net/http"
	"sync"
)

// Faults wraps an upstream (a fake, or a reverse proxy in front of a real
// server) and makes it fail on demand. The zero value passes everything.
type Faults struct {
	mu    sync.Mutex
	fault Fault
}

// Fault says how and when the upstream fails.
type Fault struct {
	Failure Failure
	// After lets this many requests through before failing.
	After int
	// Once fails one request only, then the upstream heals.
	Once bool
}

// Set injects f; Set(Fault{}) heals the upstream.
func (x *Faults) Set(f Fault) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.fault = f
}

// next returns the failure to inject into the current request.
func (x *Faults) next() Failure {
	x.mu.Lock()
	defer x.mu.Unlock()
	f := x.fault.Failure
	switch {
	case f == Healthy:
	case x.fault.After > 0:
		x.fault.After--
		f = Healthy
	case x.fault.Once:
		x.fault = Fault{}
	}
	return f
}

// Wrap returns a handler that injects the current failure or calls next.
func (x *Faults) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := x.next()
		if f == Healthy {
			next.ServeHTTP(w, r)
			return
		}
		writeFailure(w, r, f)
	})
}

const loginPage = `<!DOCTYPE html>
<html><head><title>Sign in</title></head>
<body><form action="/login"><input name="user"></form></body></html>`

func writeFailure(w http.ResponseWriter, r *http.Request, f Failure) {
	switch f {
	case Unauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
	case ServerError:
		http.Error(w, "internal error", http.StatusInternalServerError)
	case MalformedJSON:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"labels":{"alertname":"Half`))
	case HTMLPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(loginPage))
	case Timeout:
		// Read the body first: only then does net/http notice the client
		// hanging up and cancel the request context.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done() // the client gives up; httptest.Server.Close waits for us
	case RateLimited:
		w.Header().Set("Retry-After", "7")
		http.Error(w, `{"error":{"message":"Rate Limit Exceeded","code":2020}}`, http.StatusTooManyRequests)
	}
}
