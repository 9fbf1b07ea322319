package main

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The smoke tests start the real binary the way a user does: under Xvfb,
// with and without a D-Bus session, and check that it becomes ready, draws
// its window, reports notification failures and exits cleanly.

func need(t *testing.T, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("smoke tests start the app under Xvfb")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make test installs it)", tool)
		}
	}
}

// build compiles the standby binary once per test.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "standby")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// xvfb starts a virtual X server and returns its DISPLAY.
func xvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not report its display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

// sessionBus starts a private D-Bus session bus. With services=false the
// bus cannot activate anything (no notification daemon, no tray host).
func sessionBus(t *testing.T, display string, services bool) string {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "session.conf")
	dirs := "<standard_session_servicedirs/>"
	if !services {
		dirs = ""
	}
	body := fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=%s</listen><auth>EXTERNAL</auth>%s
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`, t.TempDir(), dirs)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--print-address", "--nofork")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	addr = strings.TrimSpace(addr)
	t.Cleanup(func() {
		killActivated(addr)
		cmd.Process.Kill()
		cmd.Wait()
	})
	return addr
}

// killActivated ends the services this test's bus activated (the
// notification daemon), found by the bus address in their environment,
// and nothing else on the machine.
func killActivated(addr string) {
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	want := []byte("DBUS_SESSION_BUS_ADDRESS=" + addr + "\x00")
	for _, p := range procs {
		env, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(env, want) {
			continue
		}
		pid, err := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if err != nil || pid == os.Getpid() {
			continue
		}
		if proc, err := os.FindProcess(pid); err == nil {
			proc.Kill()
		}
	}
}

type run struct {
	home   string
	stdout *bytes.Buffer
	cmd    *exec.Cmd
	ready  chan struct{}
}

// testConfig pins what would otherwise come from the machine: the user's
// zone and the quiet windows (the defaults are quiet from 22:00 to 07:00
// local time, so the tests would see a different app at night).
const testConfig = `[user]
name = "you"
zone = "UTC"

[quiet]
windows = []
`

// start runs the app with a fresh home and the test config, and waits
// until it prints ready.
func start(t *testing.T, bin string, env []string, args ...string) *run {
	t.Helper()
	home := t.TempDir()
	runtime := filepath.Join(home, "run")
	os.MkdirAll(runtime, 0o700)
	cfgDir := filepath.Join(home, "cfg", "standby")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(testConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(filterEnv(os.Environ()), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "cfg"),
		"XDG_STATE_HOME="+filepath.Join(home, "state"), "XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_RUNTIME_DIR="+runtime, "LANG=C.UTF-8")
	cmd.Env = append(cmd.Env, env...)
	r := &run{home: home, stdout: &bytes.Buffer{}, cmd: cmd, ready: make(chan struct{})}
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		once := false
		for sc.Scan() {
			r.stdout.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), "standby: ready") {
				once = true
				close(r.ready)
			}
		}
	}()
	select {
	case <-r.ready:
	case <-time.After(60 * time.Second):
		cmd.Process.Signal(syscall.SIGQUIT) // the Go runtime dumps every goroutine
		cmd.Wait()
		t.Fatalf("app not ready within 60 s; stdout:\n%s\nstderr:\n%s", r.stdout.String(), stderr.String())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stderr:\n%s", stderr.String())
		}
	})
	return r
}

func filterEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") || strings.HasPrefix(kv, "DISPLAY=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func (r *run) wait(t *testing.T) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("app did not exit cleanly: %v", err)
		}
	case <-time.After(60 * time.Second):
		r.cmd.Process.Kill()
		t.Fatal("app did not quit after --exit-after")
	}
}

func (r *run) log(t *testing.T) string {
	b, _ := os.ReadFile(filepath.Join(r.home, "state", "standby", "standby.log"))
	return string(b)
}

func screenshot(t *testing.T, display, path string) image.Image {
	t.Helper()
	if out, err := exec.Command("import", "-display", display, "-window", "root", path).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// colours counts distinct colours in a sample of the image: a blank or
// black screen has one or two.
func colours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

func TestSmokeDesktopSession(t *testing.T) {
	need(t, "Xvfb", "dbus-daemon", "import")
	bin := build(t)
	display := xvfb(t)
	bus := sessionBus(t, display, true)
	r := start(t, bin, []string{"DISPLAY=" + display, "DBUS_SESSION_BUS_ADDRESS=" + bus}, "--exit-after", "6s")
	shot := filepath.Join(os.Getenv("STANDBY_SMOKE_DIR"), "smoke-desktop.png")
	if os.Getenv("STANDBY_SMOKE_DIR") == "" {
		shot = filepath.Join(t.TempDir(), "smoke-desktop.png")
	}
	// The window paints within a frame or two of "ready"; an external
	// X server can only be polled.
	deadline := time.Now().Add(5 * time.Second)
	for {
		img := screenshot(t, display, shot)
		// The window sits at the top left; notification bubbles elsewhere.
		win := img.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(image.Rect(0, 0, 880, 600))
		if colours(win) >= 30 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("window area has only %d colours: the window was not drawn with data", colours(win))
		}
	}
	// A second start reaches the first and exits at once.
	second := exec.Command(bin)
	second.Env = r.cmd.Env
	out, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "already running") {
		t.Fatalf("second start: %v\n%s", err, out)
	}
	r.wait(t)
	if strings.Contains(r.log(t), "panic") {
		t.Fatalf("log mentions a panic:\n%s", r.log(t))
	}
}

func TestSmokeNoSessionBus(t *testing.T) {
	need(t, "Xvfb")
	bin := build(t)
	display := xvfb(t)
	before := daemons()
	r := start(t, bin, []string{"DISPLAY=" + display}, "--exit-after", "3s")
	r.wait(t) // Fyne 2.7.1's systray would panic here on quit without a bus
	if after := daemons(); after > before {
		t.Fatalf("a stray dbus-daemon was left behind (%d → %d)", before, after)
	}
	if !strings.Contains(r.log(t), "no D-Bus session bus") {
		t.Fatalf("the missing tray is not explained in the log:\n%s", r.log(t))
	}
}

func TestSmokeNotificationFailureIsShown(t *testing.T) {
	need(t, "Xvfb", "dbus-daemon")
	bin := build(t)
	display := xvfb(t)
	bus := sessionBus(t, display, false) // no notification daemon can start
	r := start(t, bin, []string{"DISPLAY=" + display, "DBUS_SESSION_BUS_ADDRESS=" + bus, "PATH=/nonexistent"}, "--exit-after", "4s")
	r.wait(t)
	if !strings.Contains(r.log(t), "notification not delivered") {
		t.Fatalf("a failed notification was lost silently; log:\n%s", r.log(t))
	}
}

func daemons() int {
	out, _ := exec.Command("pgrep", "-c", "-x", "dbus-daemon").Output()
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}
