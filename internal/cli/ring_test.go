package cli_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/instance"
	"github.com/standby-oncall/standby/internal/page"
)

// TestRingGoesToTheRunningApp: `standby ring ID` hands "Ring me now" to the
// running Standby through the instance socket, and says why when it cannot.
func TestRingGoesToTheRunningApp(t *testing.T) {
	w := newWorld(t, "")
	runtime := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", runtime)

	r := w.run("", "ring", "am/abc")
	if r.code == 0 || !strings.Contains(r.stderr, "running Standby") {
		t.Fatalf("with no app running, want a non-zero exit that says so:\n%s", r)
	}
	oneLine(t, "stderr", r.stderr)
	if r := w.run("", "ring", "no-slash"); r.code == 0 {
		t.Fatalf("a malformed id must fail:\n%s", r)
	}

	sock, err := instance.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sock, runtime+string(filepath.Separator)) {
		t.Fatalf("socket %s not under XDG_RUNTIME_DIR %s", sock, runtime)
	}
	ln, err := instance.Acquire(sock, "show")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan page.ID, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_ = ln.Serve(ctx, func(cmd string) error {
			id, ok := app.ParseRingCommand(cmd)
			if !ok {
				return errors.New("unknown command")
			}
			if id.Upstream == "held-not" {
				return app.ErrNotHeld
			}
			got <- id
			return nil
		})
	}()
	w.ok("", "ring", "am/abc")
	if id := <-got; id != (page.ID{Source: "am", Upstream: "abc"}) {
		t.Fatalf("the app was asked to ring %v, want am/abc", id)
	}
	r = w.run("", "ring", "am/held-not")
	if r.code == 0 || !strings.Contains(r.stderr, "not held") {
		t.Fatalf("the app's refusal must reach the user:\n%s", r)
	}
}
