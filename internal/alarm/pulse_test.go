//go:build cgo && linux

package alarm

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The tests here play through a player program on the private
// PulseAudio of output_test.go, and restart it between two alarms.

// minPeak is what a recording of the alarm (peak 0.6 of full scale)
// reaches at least; silence is below 0.001.
const minPeak = 0.4

func TestProcessReachesPulseAudio(t *testing.T) {
	if _, err := exec.LookPath("paplay"); err != nil {
		t.Skip("paplay is not installed (make test installs pulseaudio-utils)")
	}
	p := startPulse(t)
	for _, kv := range p.env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	var err error
	peak, rms := p.record(t, "process", func() { err = (Process{}).Play(t.Context(), Sound()) })
	t.Logf("null sink monitor through paplay: peak %.3f RMS %.3f", peak, rms)
	if err != nil {
		t.Fatalf("Play: %v", err)
	}
	if peak < minPeak || rms < 0.05 {
		t.Fatalf("the alarm played by paplay did not reach the default output: peak %.3f RMS %.3f", peak, rms)
	}
}

const fallbackHelper = "fallback"

// TestHelperFallback is the child of TestFallbackSurvivesARestart: it
// plays the alarm through DefaultSink, prints the result, waits for a
// line on stdin (the server restarted) and plays it again.
func TestHelperFallback(t *testing.T) {
	if os.Getenv(helperEnv) != fallbackHelper {
		t.Skip("helper process for TestFallbackSurvivesARestart")
	}
	sink := DefaultSink()
	play := func(name string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		start := time.Now()
		err := sink.Play(ctx, Sound())
		fmt.Printf("%s %v in %s; primary failed: %v\n", name, errText(err), time.Since(start).Round(time.Millisecond), sink.PrimaryErr())
	}
	play("FIRST")
	bufio.NewReader(os.Stdin).ReadString('\n')
	play("SECOND")
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return "error " + oneLine(err)
}

func TestFallbackSurvivesARestart(t *testing.T) {
	if _, err := exec.LookPath("paplay"); err != nil {
		t.Skip("paplay is not installed (make test installs pulseaudio-utils)")
	}
	p := startPulse(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFallback$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), p.env...), helperEnv+"="+fallbackHelper)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewReader(out)
	readResult := func(prefix string) string {
		for {
			line, err := lines.ReadString('\n')
			if strings.HasPrefix(line, prefix+" ") {
				return strings.TrimSpace(line)
			}
			if err != nil {
				t.Fatalf("the helper printed no %s line: %v", prefix, err)
			}
		}
	}
	var first, second string
	peak1, _ := p.record(t, "before", func() { first = readResult("FIRST") })
	p.restart(t)
	peak2, _ := p.record(t, "after", func() {
		io.WriteString(stdin, "\n")
		second = readResult("SECOND")
	})
	t.Logf("before the restart: peak %.3f, %s", peak1, first)
	t.Logf("after the restart: peak %.3f, %s", peak2, second)
	if !strings.HasPrefix(first, "FIRST ok") || !strings.HasPrefix(second, "SECOND ok") {
		t.Fatalf("a play failed:\n%s\n%s", first, second)
	}
	if peak1 < minPeak || peak2 < minPeak {
		t.Fatalf("the alarm was not heard: peak %.3f before the restart, %.3f after", peak1, peak2)
	}
}
