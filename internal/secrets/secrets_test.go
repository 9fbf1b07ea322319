package secrets

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zalando/go-keyring"
)

func TestRoundTripWithMock(t *testing.T) {
	keyring.MockInit()
	s := New("dev.standby.test")
	ctx := context.Background()
	if _, err := s.Get(ctx, SourceKey("prod")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	if err := s.Set(ctx, SourceKey("prod"), "tok-123"); err != nil {
		t.Fatal(err)
	}
	v, err := s.Get(ctx, SourceKey("prod"))
	if err != nil || v != "tok-123" {
		t.Fatalf("got %q, %v", v, err)
	}
	if err := s.Delete(ctx, SourceKey("prod")); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, SourceKey("prod")); err != nil {
		t.Fatalf("deleting a missing key: %v", err)
	}
}

func TestEmptySecretRefused(t *testing.T) {
	keyring.MockInit()
	if err := New("x").Set(context.Background(), "k", ""); err == nil {
		t.Fatal("want an error")
	}
}

func TestUnavailableKeyringIsExplained(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	err := New("x").Set(context.Background(), TeamKey, "secret-value")
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("want ErrUnavailable, got %v", err)
	}
	if strings.Contains(err.Error(), "secret-value") {
		t.Fatal("error carries the secret")
	}
	if !strings.Contains(err.Error(), "Secret Service") {
		t.Fatalf("error does not tell the user what to do: %v", err)
	}
}

type hangingBackend struct{ release chan struct{} }

func (h hangingBackend) Get(string, string) (string, error) { <-h.release; return "", nil }
func (h hangingBackend) Set(string, string, string) error   { <-h.release; return nil }
func (h hangingBackend) Delete(string, string) error        { <-h.release; return nil }

func TestTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := hangingBackend{release: make(chan struct{})}
		s := &Store{Service: "x", Backend: h, Timeout: 2 * time.Second}
		start := time.Now()
		_, err := s.Get(context.Background(), "k")
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("want ErrTimeout, got %v", err)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Fatalf("returned after %v, want the 2s timeout", d)
		}
		close(h.release) // let the backend goroutine finish inside the bubble
	})
}

type panickyBackend struct{}

func (panickyBackend) Get(string, string) (string, error) { panic("token=hunter2") }
func (panickyBackend) Set(string, string, string) error   { panic("token=hunter2") }
func (panickyBackend) Delete(string, string) error        { panic("token=hunter2") }

func TestBackendPanicDoesNotLeak(t *testing.T) {
	s := &Store{Service: "x", Backend: panickyBackend{}}
	_, err := s.Get(context.Background(), "k")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("got %v", err)
	}
}
