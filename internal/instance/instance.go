// Package instance keeps Standby to one running app per user: the first
// start listens on a Unix socket, and a second start sends it a command
// ("show" focuses the window) and exits.
package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultPath returns the socket path in the user's runtime directory
// (XDG_RUNTIME_DIR), or in the cache directory where there is none.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("finding a directory for the instance socket: %w", err)
		}
		dir = d
	}
	return filepath.Join(dir, "standby", "standby.sock"), nil
}

// ErrRunning means another instance answered; the command was delivered.
//
//lint:ignore ST1005 Standby is the product name, shown as is
var ErrRunning = errors.New("Standby is already running")

// Listener is the first instance's end of the socket.
type Listener struct {
	ln   net.Listener
	path string
}

// Acquire becomes the single instance, or, when one is already running,
// sends it cmd and returns ErrRunning. A socket left by a killed instance
// is detected (nobody answers) and replaced.
func Acquire(path, cmd string) (*Listener, error) {
	if err := send(path, cmd); err == nil {
		return nil, ErrRunning
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	_ = os.Remove(path) // stale socket from a crashed instance
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", path, err)
	}
	return &Listener{ln: ln, path: path}, nil
}

// Send delivers cmd to a running instance.
func Send(path, cmd string) error { return send(path, cmd) }

func send(path, cmd string) error {
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return fmt.Errorf("reaching the running Standby: %w", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintln(conn, cmd); err != nil {
		return fmt.Errorf("sending %q: %w", cmd, err)
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the reply to %q: %w", cmd, err)
	}
	if r := strings.TrimSpace(reply); r != "ok" {
		return fmt.Errorf("the running Standby answered %q", r)
	}
	return nil
}

// Serve calls handle for each command until ctx ends. handle runs on
// Serve's goroutine and must return promptly.
func (l *Listener) Serve(ctx context.Context, handle func(cmd string) error) error {
	go func() {
		<-ctx.Done()
		l.ln.Close()
	}()
	for {
		conn, err := l.ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accepting on %s: %w", l.path, err)
		}
		l.answer(conn, handle)
	}
}

func (l *Listener) answer(conn net.Conn, handle func(string) error) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	reply := "ok"
	if err := handle(strings.TrimSpace(line)); err != nil {
		reply = "error: " + err.Error()
	}
	fmt.Fprintln(conn, reply)
}

// Close stops listening and removes the socket.
func (l *Listener) Close() error {
	err := l.ln.Close()
	_ = os.Remove(l.path)
	return err
}
