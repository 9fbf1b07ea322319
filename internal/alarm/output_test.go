//go:build cgo && linux

package alarm

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests here play the alarm for real: a private PulseAudio with a
// null sink is the default output, its monitor is recorded with parec
// while a child process (oto opens one device per process) plays, and
// sox measures the recording.

const helperEnv = "STANDBY_ALARM_HELPER"

// TestHelperProcess is the child: it runs alarm.Check and prints its
// result. It does nothing in a normal test run.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("helper process for the PulseAudio tests")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ok, err := Check(ctx)
	if err != nil {
		fmt.Println("ERR " + err.Error())
		return
	}
	fmt.Println("OK " + ok)
}

// pulse is a private PulseAudio whose default sink is the null sink "t".
type pulse struct {
	env []string // for clients: PULSE_SERVER and a private home
	dir string
	cmd *exec.Cmd // the server running; nil when none
}

func startPulse(t *testing.T) *pulse {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PulseAudio")
	}
	for _, tool := range []string{"pulseaudio", "parec", "pactl", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs pulseaudio, pulseaudio-utils and sox)", tool)
		}
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "native")
	env := []string{"HOME=" + dir, "XDG_RUNTIME_DIR=" + dir, "PULSE_RUNTIME_PATH=" + filepath.Join(dir, "pulse"),
		"DBUS_SESSION_BUS_ADDRESS=disabled:", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config")}
	p := &pulse{env: append(env, "PULSE_SERVER=unix:"+sock), dir: dir}
	p.start(t)
	t.Cleanup(p.stop)
	return p
}

// start starts the server and waits until it answers.
func (p *pulse) start(t *testing.T) {
	t.Helper()
	sock := filepath.Join(p.dir, "native")
	cmd := exec.Command("pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--use-pid-file=no",
		"--load=module-null-sink sink_name=t rate=48000", "--load=module-native-protocol-unix auth-anonymous=1 socket="+sock)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stderr = &strings.Builder{}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting pulseaudio: %v", err)
	}
	p.cmd = cmd
	waitFor(t, "PulseAudio to answer", func() bool { return p.run("pactl", "info") == nil })
}

// stop ends the server (as a restart or a crash would: its clients'
// connections break).
func (p *pulse) stop() {
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Kill()
	p.cmd.Wait()
	p.cmd = nil
}

// restart stops the server and starts a new one on the same socket.
func (p *pulse) restart(t *testing.T) {
	t.Helper()
	p.stop()
	p.start(t)
}

func (p *pulse) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), p.env...)
	return cmd
}

func (p *pulse) run(name string, args ...string) error { return p.command(name, args...).Run() }

// record records the null sink's monitor while during runs and returns
// sox's peak and RMS amplitude (0..1) of the recording. An idle null sink
// hands its monitor data over in late bursts, so it waits until the file
// holds all the time that passed, and half a second more.
func (p *pulse) record(t *testing.T, name string, during func()) (peak, rms float64) {
	t.Helper()
	const bytesPerSec = 48000 * 4
	raw := filepath.Join(p.dir, name+".raw")
	f, err := os.Create(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := p.command("parec", "-d", "t.monitor", "--raw", "--format=s16le", "--rate=48000", "--channels=2")
	rec.Stdout = f
	if err := rec.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "parec to record", func() bool {
		out, err := p.command("pactl", "list", "short", "source-outputs").Output()
		return err == nil && len(strings.TrimSpace(string(out))) > 0
	})
	start := time.Now()
	during()
	want := int64((time.Since(start) + 500*time.Millisecond).Seconds() * bytesPerSec)
	waitFor(t, "parec to write the recording", func() bool {
		fi, err := f.Stat()
		return err == nil && fi.Size() >= want
	})
	rec.Process.Signal(syscall.SIGTERM)
	rec.Wait()
	out, err := exec.Command("sox", "-t", "raw", "-r", "48000", "-e", "signed", "-b", "16", "-c", "2", raw, "-n", "stat").CombinedOutput()
	if err != nil {
		t.Fatalf("sox stat: %v\n%s", err, out)
	}
	return soxField(t, out, "Maximum amplitude"), soxField(t, out, "RMS     amplitude")
}

func soxField(t *testing.T, out []byte, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `:\s+(\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("sox printed no %q:\n%s", name, out)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatalf("sox %s: %v", name, err)
	}
	return v
}

// helper runs TestHelperProcess with env and returns its line.
func helper(t *testing.T, env []string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), env...), helperEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "OK ") || strings.HasPrefix(line, "ERR ") {
			return strings.TrimSpace(line)
		}
	}
	t.Fatalf("helper printed no result:\n%s", out)
	return ""
}

func TestAlarmReachesTheDefaultOutput(t *testing.T) {
	p := startPulse(t)
	silentPeak, silentRMS := p.record(t, "silence", func() { time.Sleep(time.Second) })
	var line string
	peak, rms := p.record(t, "alarm", func() { line = helper(t, p.env) })
	t.Logf("null sink monitor: alarm peak %.3f RMS %.3f; without it peak %.3f RMS %.3f; %s", peak, rms, silentPeak, silentRMS, line)
	if !strings.HasPrefix(line, "OK played the alarm") {
		t.Fatalf("Check: %s", line)
	}
	if silentPeak > 0.001 || silentRMS > 0.001 {
		t.Fatalf("the null sink is not silent without the alarm: peak %.4f RMS %.4f", silentPeak, silentRMS)
	}
	// The sound peaks at 0.6 of full scale (RMS 0.33 while it beeps); the
	// recording is mostly silence around it.
	if peak < 0.4 || rms < 0.05 {
		t.Fatalf("the alarm did not reach the default output: peak %.3f RMS %.3f", peak, rms)
	}
}

func TestNoAudioDevice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	dir := t.TempDir()
	// A PulseAudio that is not there, and no ALSA configuration with a
	// device: every candidate oto tries fails.
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte("pcm.!default { type hw card 99 }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	line := helper(t, []string{"PULSE_SERVER=unix:" + filepath.Join(dir, "none"), "ALSA_CONFIG_PATH=" + conf,
		"HOME=" + dir, "XDG_RUNTIME_DIR=" + dir})
	t.Logf("Check without a device: %s", line)
	if !strings.HasPrefix(line, "ERR no audio device: oto: ") || !strings.Contains(line, fallbackSep) {
		t.Fatalf("Check without a device names not both outputs: %s", line)
	}
}
