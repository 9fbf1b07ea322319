package sourcetest

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/source"
)

// ListError is a broken answer and the *source.Error List must make of it.
type ListError struct {
	Name    string
	Handler http.HandlerFunc
	Kind    source.ErrorKind
	// Msg is what the error's message must contain.
	Msg        string
	RetryAfter time.Duration
}

// CheckListErrors runs a subtest per case: List against a server made of
// the case's handler must return no pages and a *source.Error of the
// case's kind, message and RetryAfter.
func CheckListErrors(t *testing.T, newSource NewSource, cases []ListError) {
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			ps, err := listFrom(t, tt.Handler, newSource)
			var e *source.Error
			if err == nil || ps != nil || !errors.As(err, &e) {
				t.Fatalf("List = %v, %v; want a *source.Error and no pages", ps, err)
			}
			if e.Kind != tt.Kind || !strings.Contains(e.Msg, tt.Msg) || e.RetryAfter != tt.RetryAfter {
				t.Errorf("error = %+v, want kind %v, %q, retry %v", e, tt.Kind, tt.Msg, tt.RetryAfter)
			}
		})
	}
}
