package sourcetest

import (
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// failureCases is what each injected failure must be classified as.
var failureCases = []struct {
	failure    Failure
	kind       source.ErrorKind
	msg        string // the user-facing message must contain this
	retryable  bool
	retryAfter time.Duration
}{
	{Unauthorized, source.KindUnauthorized, "401", false, 0},
	{ServerError, source.KindUnavailable, "500", true, 0},
	{MalformedJSON, source.KindBadResponse, "JSON", false, 0},
	{HTMLPage, source.KindBadResponse, "HTML", false, 0},
	{Timeout, source.KindUnavailable, "timeout", true, 0},
	{RateLimited, source.KindRateLimited, "429", true, 7 * time.Second},
}

func testFailures(t *testing.T, h Harness) {
	if h.Fail == nil {
		t.Skip("harness cannot inject failures")
	}
	id := h.Fire(t, Alert{Title: "Still here after the outage", Urgency: page.UrgencyHigh})
	waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
	for _, tc := range failureCases {
		t.Run(tc.failure.String(), func(t *testing.T) {
			h.Fail(Fault{Failure: tc.failure})
			defer h.Fail(Fault{})
			ps, err := h.Source.List(t.Context())
			if err == nil {
				t.Fatalf("List succeeded with %d pages against a broken upstream", len(ps))
			}
			if ps != nil {
				t.Errorf("List returned %d pages with its error; want nil (an empty list reads as all resolved)", len(ps))
			}
			checkFailure(t, h, err, tc.kind, tc.msg, tc.retryable, tc.retryAfter)
			if h.Source.Caps().Ack {
				err := h.Source.Ack(t.Context(), id, h.Actor)
				if err == nil {
					t.Error("Ack succeeded against a broken upstream")
				}
				noSecret(t, h, err)
			}
			h.Fail(Fault{})
			if _, ok := find(list(t, h), id); !ok {
				t.Error("after the upstream healed the page is gone")
			}
		})
	}
}

func checkFailure(t *testing.T, h Harness, err error, kind source.ErrorKind, msg string, retryable bool, after time.Duration) {
	t.Helper()
	noSecret(t, h, err)
	e := asError(t, err)
	if e.Kind != kind {
		t.Errorf("Kind = %v, want %v (%v)", e.Kind, kind, err)
	}
	if !strings.Contains(strings.ToLower(e.Msg), strings.ToLower(msg)) {
		t.Errorf("Msg = %q, want it to mention %q", e.Msg, msg)
	}
	if len(e.Msg) > 160 || strings.Contains(e.Msg, "<") {
		t.Errorf("Msg = %q is not a short user-facing message", e.Msg)
	}
	if source.Retryable(err) != retryable {
		t.Errorf("Retryable = %v, want %v", !retryable, retryable)
	}
	if e.RetryAfter != after {
		t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, after)
	}
}

// testPartialFailure breaks one request, or every request, after the first
// few of a List: the adapter must return an error or everything, never a
// part.
func testPartialFailure(t *testing.T, h Harness) {
	if h.Fail == nil {
		t.Skip("harness cannot inject failures")
	}
	ids := []string{
		h.Fire(t, Alert{Title: "Partial one", Urgency: page.UrgencyHigh}),
		h.Fire(t, Alert{Title: "Partial two", Urgency: page.UrgencyLow}),
	}
	for _, id := range ids {
		waitPage(t, h, id, func(p page.Page, ok bool) bool { return ok }, "the fired page")
	}
	acked := h.Source.Caps().Ack
	if acked { // so that ack details, often a second request, are part of List
		if err := h.Source.Ack(t.Context(), ids[0], h.Actor); err != nil {
			t.Fatalf("Ack: %v", err)
		}
		waitPage(t, h, ids[0], func(p page.Page, ok bool) bool {
			return ok && p.Status == page.StatusAcknowledged
		}, "the page to be acknowledged")
	}
	for _, once := range []bool{true, false} {
		for after := 1; after <= 5; after++ {
			h.Fail(Fault{Failure: ServerError, After: after, Once: once})
			ps, err := h.Source.List(t.Context())
			h.Fail(Fault{})
			if err != nil {
				if ps != nil {
					t.Errorf("request %d failing (once=%v): List returned %d pages with its error", after+1, once, len(ps))
				}
				continue
			}
			for _, id := range ids {
				if _, ok := find(ps, id); !ok {
					t.Errorf("request %d failing (once=%v): List succeeded without %s: a partial list", after+1, once, id)
				}
			}
			if p, _ := find(ps, ids[0]); acked && (p.Status != page.StatusAcknowledged ||
				(h.AckedByKnown && p.AckedBy != h.Actor.Name)) {
				t.Errorf("request %d failing (once=%v): List succeeded but lost the ack: %+v", after+1, once, p)
			}
		}
	}
}
