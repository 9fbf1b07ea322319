//go:build unix

package alarm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakePlayers makes dir the only directory on PATH and writes there, for
// each name, a shell script that plays as the player named: it records
// its arguments in dir/NAME.args and the length of its stdin in
// dir/NAME.len, then runs body.
func fakePlayers(t *testing.T, bodies map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range bodies {
		script := "#!/bin/sh\nPATH=/usr/bin:/bin\nd=" + strconv.Quote(dir) + "\nn=" + name + "\n" +
			`printf '%s\n' "$@" > "$d/$n.args"` + "\n" + body + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	return dir
}

// consume reads all of stdin and records its length.
const consume = `wc -c > "$d/$n.len"`

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

func TestProcessPlaysThroughPaplay(t *testing.T) {
	dir := fakePlayers(t, map[string]string{"paplay": consume, "aplay": consume})
	pcm := make([]byte, 10000)
	if err := (Process{}).Play(t.Context(), pcm); err != nil {
		t.Fatalf("Play: %v", err)
	}
	want := "--raw\n--format=s16le\n--rate=48000\n--channels=2\n--latency-msec=100"
	if got := readFile(t, filepath.Join(dir, "paplay.args")); got != want {
		t.Errorf("paplay args:\n%s\nwant:\n%s", got, want)
	}
	if got := readFile(t, filepath.Join(dir, "paplay.len")); got != "10000" {
		t.Errorf("paplay read %s bytes, want 10000", got)
	}
	if exists(filepath.Join(dir, "aplay.args")) {
		t.Error("aplay ran although paplay played")
	}
}

func TestProcessTriesTheNextPlayer(t *testing.T) {
	dir := fakePlayers(t, map[string]string{
		"paplay": "echo 'Connection failure: Connection refused' >&2; exit 1",
		"aplay":  consume,
	})
	if err := (Process{}).Play(t.Context(), make([]byte, 4096)); err != nil {
		t.Fatalf("Play: %v", err)
	}
	want := "-q\n-t\nraw\n-f\nS16_LE\n-r\n48000\n-c\n2"
	if got := readFile(t, filepath.Join(dir, "aplay.args")); got != want {
		t.Errorf("aplay args:\n%s\nwant:\n%s", got, want)
	}
	if got := readFile(t, filepath.Join(dir, "aplay.len")); got != "4096" {
		t.Errorf("aplay read %s bytes, want 4096", got)
	}
}

func TestProcessEveryPlayerFails(t *testing.T) {
	fakePlayers(t, map[string]string{
		"paplay": "echo 'Connection failure: Connection refused' >&2; exit 1",
		"pw-cat": "exit 3",
	})
	err := (Process{}).Play(t.Context(), make([]byte, 16))
	if !errors.Is(err, ErrNoDevice) {
		t.Fatalf("Play: %v, want ErrNoDevice", err)
	}
	want := "no audio device: paplay: exit status 1: Connection failure: Connection refused; pw-cat: exit status 3"
	if err.Error() != want {
		t.Fatalf("Play:\n%v\nwant:\n%s", err, want)
	}
}

func TestProcessNoPlayer(t *testing.T) {
	fakePlayers(t, nil)
	err := (Process{}).Play(t.Context(), make([]byte, 16))
	if !errors.Is(err, ErrNoDevice) || !strings.Contains(err.Error(), "no audio player program on PATH") {
		t.Fatalf("Play without a player: %v", err)
	}
}

// hang records the player's process id and sleeps without reading stdin.
const hang = `echo $$ > "$d/$n.pid.tmp"; mv "$d/$n.pid.tmp" "$d/$n.pid"; exec sleep 600`

// playUntilStarted plays through sink on another goroutine, waits for
// the fake player to start, cancels the play and returns how long Play
// took to return after the cancel, the player's pid and Play's error.
func playUntilStarted(t *testing.T, dir, name string, sink Sink) (took time.Duration, pid int, err error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- sink.Play(ctx, make([]byte, 1<<20)) }()
	pidFile := filepath.Join(dir, name+".pid")
	waitFor(t, "the player to start", func() bool { return exists(pidFile) })
	pid, err = strconv.Atoi(readFile(t, pidFile))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cancel()
	err = <-done
	return time.Since(start), pid, err
}

func assertStopped(t *testing.T, took time.Duration, pid int, err error) {
	t.Helper()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Play after cancel: %v, want context.Canceled", err)
	}
	// Play returns once the player was killed and reaped, not after
	// killWait (the pipe's writer is unblocked by the kill).
	if took >= killWait {
		t.Errorf("Play returned %s after the cancel", took)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("the player (pid %d) still exists after Play returned: kill 0: %v", pid, err)
	}
}

func TestProcessCancelKillsThePlayer(t *testing.T) {
	dir := fakePlayers(t, map[string]string{"paplay": hang, "aplay": consume})
	took, pid, err := playUntilStarted(t, dir, "paplay", Process{})
	assertStopped(t, took, pid, err)
	if exists(filepath.Join(dir, "aplay.args")) {
		t.Error("aplay ran after the play was cancelled")
	}
}

func TestFallbackToProcessAndCancel(t *testing.T) {
	dir := fakePlayers(t, map[string]string{"paplay": hang})
	primary := &countingSink{err: fmt.Errorf("%w: the device went away", ErrNoDevice)}
	f := NewFallback(primary, Process{})
	took, pid, err := playUntilStarted(t, dir, "paplay", f)
	assertStopped(t, took, pid, err)
	if primary.count() != 1 || f.PrimaryErr() == nil {
		t.Fatalf("primary played %d times, PrimaryErr %v; want 1 and its error", primary.count(), f.PrimaryErr())
	}
}

// waitFor polls another process's state with a deadline.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
