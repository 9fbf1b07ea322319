package instance

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestSecondStartReachesFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	l, err := Acquire(path, "show")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- l.Serve(ctx, func(cmd string) error {
			if cmd == "bad" {
				return errors.New("unknown command")
			}
			got <- cmd
			return nil
		})
	}()
	if _, err := Acquire(path, "show"); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Acquire: %v", err)
	}
	if cmd := <-got; cmd != "show" {
		t.Fatalf("first instance got %q", cmd)
	}
	if err := Send(path, "bad"); err == nil {
		t.Fatal("an error reply was not reported")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("socket left behind")
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.sock")
	// A socket file whose owner is gone (as after kill -9).
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	l, err := Acquire(path, "show")
	if err != nil {
		t.Fatalf("stale socket blocked the start: %v", err)
	}
	l.Close()
}
