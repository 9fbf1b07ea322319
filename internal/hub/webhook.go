package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
)

// maxBodyBytes caps a webhook body; larger ones get 413.
const maxBodyBytes = 1 << 20

// storeTimeout bounds the wait for JetStream to store a delivery; past it
// the hub answers 503 and Alertmanager retries.
const storeTimeout = 10 * time.Second

// httpError is an error with the status code and reason sent to the caller.
type httpError struct {
	code   int
	reason string
}

func (e *httpError) Error() string { return fmt.Sprintf("%d: %s", e.code, e.reason) }

func badRequest(format string, a ...any) error {
	return &httpError{code: http.StatusBadRequest, reason: fmt.Sprintf(format, a...)}
}

func (h *Hub) startHTTP() error {
	if h.cfg.HTTPListen == "off" {
		return nil
	}
	ln, err := net.Listen("tcp", h.cfg.HTTPListen)
	if err != nil {
		return fmt.Errorf("webhook listener: %w", err)
	}
	h.hln = ln
	h.http = &http.Server{Handler: h.routes(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	go func() { _ = h.http.Serve(ln) }()
	return nil
}

// WebhookURL is the URL of a webhook kind ("alertmanager", "generic"), or
// the base URL for "".
func (h *Hub) WebhookURL(kind string) string {
	if h.hln == nil {
		return ""
	}
	base := "http://" + h.hln.Addr().String()
	if kind == "" {
		return base
	}
	return base + "/webhook/" + kind
}

// routes is the hub's one route table.
func (h *Hub) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /webhook/alertmanager", h.intake(decodeAlertmanager))
	mux.Handle("POST /webhook/generic", h.intake(decodeGeneric))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := h.health(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}

// decoder turns a webhook body into pages of the given source.
type decoder func(body []byte, source string, now time.Time) ([]page.Page, error)

// intake is the uniform handler: authenticate, read (capped), decode,
// store on JetStream, and answer 200 only once every page is stored.
func (h *Hub) intake(decode decoder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := h.handleIntake(r, decode)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"stored": n})
	})
}

func (h *Hub) handleIntake(r *http.Request, decode decoder) (int, error) {
	source, err := h.authenticate(r)
	if err != nil {
		return 0, err
	}
	if err := checkContentType(r); err != nil {
		return 0, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return 0, &httpError{code: http.StatusRequestEntityTooLarge,
			reason: fmt.Sprintf("body larger than %d bytes", maxBodyBytes)}
	}
	if err != nil {
		return 0, badRequest("reading body: %v", err)
	}
	pages, err := decode(body, source, time.Now().UTC())
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), storeTimeout)
	defer cancel()
	if err := h.storePages(ctx, pages); err != nil {
		h.logger().Warn("webhook not stored", "source", source, "err", err)
		return 0, &httpError{code: http.StatusServiceUnavailable, reason: "pages not stored, retry: " + err.Error()}
	}
	return len(pages), nil
}

// authenticate maps the bearer token to its webhook name.
func (h *Hub) authenticate(r *http.Request) (string, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if ok {
		h.mu.Lock()
		name, found := h.hooks[hashToken(strings.TrimSpace(token))]
		h.mu.Unlock()
		if found {
			return name, nil
		}
	}
	return "", &httpError{code: http.StatusUnauthorized,
		reason: "missing or unknown bearer token (see `standby-hub add-webhook`)"}
}

// storePages publishes all pages at once and waits for every PubAck.
func (h *Hub) storePages(ctx context.Context, pages []page.Page) error {
	_, js := h.conn()
	futs := make([]jetstream.PubAckFuture, 0, len(pages))
	for _, p := range pages {
		msg, err := bus.PageMsg(p)
		if err != nil {
			return err
		}
		opts := []jetstream.PublishOpt{jetstream.WithMsgID(msgID(p))}
		if !p.Open() {
			opts = append(opts, jetstream.WithMsgTTL(h.cfg.ResolvedTTL))
		}
		f, err := js.PublishMsgAsync(msg, opts...)
		if err != nil {
			return fmt.Errorf("publishing page %s: %w", p.ID, err)
		}
		futs = append(futs, f)
	}
	for _, f := range futs {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("storing page: %w", err)
		case <-ctx.Done():
			return fmt.Errorf("storing page: %w", ctx.Err())
		}
	}
	return nil
}

// msgID identifies one state of one page, so a retried delivery of the same
// state is stored once.
func msgID(p page.Page) string {
	raw, _ := json.Marshal(p)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:16])
}

func writeError(w http.ResponseWriter, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		he = &httpError{code: http.StatusInternalServerError, reason: "internal error"}
	}
	writeJSON(w, he.code, map[string]string{"error": he.reason})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
