package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// live is every long-lived process bench/app started and has not reaped
// yet (Xvfb, dbus-daemon, dunst, the app under measurement), so that a
// SIGINT or SIGTERM stops them instead of leaving them behind.
var live = struct {
	sync.Mutex
	procs map[*os.Process]bool
}{procs: map[*os.Process]bool{}}

// startTracked starts cmd and tracks it until reaped; the kernel kills it
// should bench/app itself die by SIGKILL (Pdeathsig).
func startTracked(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	live.Lock()
	defer live.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	live.procs[cmd.Process] = true
	return nil
}

// reap waits for cmd, started by startTracked, and stops tracking it.
func reap(cmd *exec.Cmd) {
	cmd.Wait()
	live.Lock()
	delete(live.procs, cmd.Process)
	live.Unlock()
}

// stopOnSignal kills every tracked process on SIGINT or SIGTERM, removes
// tmp and exits 128+signal, as a shell reports a signalled command.
func stopOnSignal(tmp string) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		sig := <-ch
		live.Lock() // held to the end: nothing new starts
		for p := range live.procs {
			p.Kill()
			p.Wait()
		}
		os.RemoveAll(tmp)
		fmt.Fprintf(os.Stderr, "bench/app: stopped by %v; its sessions are gone\n", sig)
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
}

// session is one private desktop: Xvfb, a D-Bus session bus and dunst as
// the notification daemon, all started (and stopped) by us.
type session struct {
	env   []string // DISPLAY, DBUS_SESSION_BUS_ADDRESS, HOME, XDG_*
	home  string
	procs []*exec.Cmd
}

func (s *session) close() {
	for i := len(s.procs) - 1; i >= 0; i-- {
		p := s.procs[i]
		p.Process.Kill()
		reap(p)
	}
	os.RemoveAll(s.home)
}

func newSession(tmp, cache string) (*session, error) {
	home, err := os.MkdirTemp(tmp, "home-")
	if err != nil {
		return nil, fmt.Errorf("temp home: %w", err)
	}
	s := &session{home: home}
	fail := func(err error) (*session, error) { s.close(); return nil, err }
	rundir := filepath.Join(home, "run")
	if err := os.MkdirAll(rundir, 0o700); err != nil {
		return fail(fmt.Errorf("runtime dir: %w", err))
	}
	if err := writeConfig(home); err != nil {
		return fail(err)
	}

	r, w, err := os.Pipe()
	if err != nil {
		return fail(fmt.Errorf("pipe: %w", err))
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := startTracked(x); err != nil {
		w.Close()
		r.Close()
		return fail(fmt.Errorf("starting Xvfb: %w", err))
	}
	w.Close()
	s.procs = append(s.procs, x)
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		//lint:ignore ST1005 Xvfb is a program name
		return fail(fmt.Errorf("Xvfb did not report its display: %w", err))
	}
	display := ":" + strings.TrimSpace(line)

	// No service directories: nothing is activated behind our back, and
	// the notification daemon is one we start and stop ourselves.
	conf := filepath.Join(home, "session.conf")
	body := fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=%s</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`, home)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		return fail(fmt.Errorf("bus config: %w", err))
	}
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--print-address", "--nofork")
	out, err := bus.StdoutPipe()
	if err != nil {
		return fail(fmt.Errorf("dbus-daemon pipe: %w", err))
	}
	if err := startTracked(bus); err != nil {
		return fail(fmt.Errorf("starting dbus-daemon: %w", err))
	}
	s.procs = append(s.procs, bus)
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fail(fmt.Errorf("dbus-daemon gave no address: %w", err))
	}

	s.env = append(cleanEnv(), "DISPLAY="+display, "DBUS_SESSION_BUS_ADDRESS="+strings.TrimSpace(addr),
		"HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "cfg"), "XDG_STATE_HOME="+filepath.Join(home, "state"),
		"XDG_CACHE_HOME="+cmp.Or(cache, filepath.Join(home, "cache")), "XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_RUNTIME_DIR="+rundir, "LANG=C.UTF-8")
	dunst := exec.Command("dunst")
	dunst.Env = s.env
	if err := startTracked(dunst); err != nil {
		return fail(fmt.Errorf("starting dunst: %w", err))
	}
	s.procs = append(s.procs, dunst)
	if err := waitName(s.env, "org.freedesktop.Notifications", 10*time.Second); err != nil {
		return fail(err)
	}
	return s, nil
}

// benchConfig is standby's config in every session: no source (so the
// demo runs), and no quiet hours in a fixed zone, so that every run does
// the same work whatever the hour and the day: with the default windows
// (nights, and weekends all day) the 500 pages were deferred at night and
// at weekends instead of rung.
const benchConfig = "version = 1\n\n[user]\nzone = \"UTC\"\n\n[quiet]\nwindows = []\n"

// writeConfig writes benchConfig as standby's config file under home.
func writeConfig(home string) error {
	dir := filepath.Join(home, "cfg", "standby")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("config dir: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(benchConfig), 0o600); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// waitName polls the bus until name has an owner.
func waitName(env []string, name string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		cmd := exec.Command("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
			"/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:"+name)
		cmd.Env = env
		out, err := cmd.Output()
		if err == nil && strings.Contains(string(out), "boolean true") {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not appear on the session bus within %s", name, limit)
		}
		time.Sleep(50 * time.Millisecond) // an external process: only polling can tell
	}
}

func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "DISPLAY", k == "WAYLAND_DISPLAY", k == "DBUS_SESSION_BUS_ADDRESS", k == "HOME", k == "LANG",
			strings.HasPrefix(k, "XDG_"), strings.HasPrefix(k, "LC_"):
			continue
		}
		out = append(out, kv)
	}
	return out
}

// proc is a started app under measurement.
type proc struct {
	cmd    *exec.Cmd
	ready  chan struct{}
	exited chan struct{}
	stderr *tail
	t0     time.Time
	tReady time.Time
}

// start execs bin in sess and returns once it printed readyLine.
func start(sess *session, bin string, args []string, readyLine string, timeout time.Duration) (*proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = sess.env
	p := &proc{cmd: cmd, ready: make(chan struct{}), exited: make(chan struct{}), stderr: &tail{max: 4096}}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("stdout pipe: %w", err)
	}
	p.t0 = time.Now()
	if err := startTracked(cmd); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		seen := false
		for sc.Scan() {
			if !seen && strings.Contains(sc.Text(), readyLine) {
				seen = true
				p.tReady = time.Now()
				close(p.ready)
			}
		}
		reap(cmd)
		close(p.exited)
	}()
	select {
	case <-p.ready:
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("%s exited before %q (%v); stderr:\n%s", filepath.Base(bin), readyLine, cmd.ProcessState, p.stderr)
	case <-time.After(timeout):
		p.stop()
		return nil, fmt.Errorf("%s not ready within %s; stderr:\n%s", filepath.Base(bin), timeout, p.stderr)
	}
}

// stop ends the process (standby is built to survive kill -9; the floor
// has no state) and reaps it.
func (p *proc) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

func (p *proc) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// tail keeps the last max bytes written to it (a process's stderr).
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

var _ io.Writer = (*tail)(nil)

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
