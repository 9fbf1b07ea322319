package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/standby-oncall/standby/internal/instance"
)

// cacheDir is bin's XDG_CACHE_HOME under -warm, kept across its runs
// ("" without -warm: each session makes a fresh one).
func cacheDir(o options, tmp, bin string) string {
	if !o.warm {
		return ""
	}
	sum := sha256.Sum256([]byte(bin))
	return filepath.Join(tmp, fmt.Sprintf("cache-%x", sum[:6]))
}

// warmUp starts bin once, unmeasured, and lets it draw for 3 s after
// ready, so that its cache directory holds what a second start finds:
// Mesa's compiled shaders and the system font index.
func warmUp(o options, tmp, bin string, args []string, readyLine string) error {
	sess, err := newSession(tmp, cacheDir(o, tmp, bin))
	if err != nil {
		return err
	}
	defer sess.close()
	p, err := start(sess, bin, append([]string{"--exit-after", (o.timeout + time.Minute).String()}, args...), readyLine, o.timeout)
	if err != nil {
		return err
	}
	time.Sleep(3 * time.Second)
	p.stop()
	return nil
}

// measure does one run: fresh session, start, settle, idle window, memory,
// then a heap profile into heapDir when it is set.
func measure(o options, tmp, bin string, args []string, readyLine, shot, heapDir string) (sample, error) {
	sess, err := newSession(tmp, cacheDir(o, tmp, bin))
	if err != nil {
		return sample{}, err
	}
	defer sess.close()
	// --exit-after is only a safety net should this driver die: we stop
	// the process ourselves once measured.
	life := o.timeout + o.settle + o.idle + 30*time.Second
	p, err := start(sess, bin, append([]string{"--exit-after", life.String()}, args...), readyLine, o.timeout)
	if err != nil {
		return sample{}, err
	}
	defer p.stop()
	s := sample{ready: p.tReady.Sub(p.t0)}
	pid := p.cmd.Process.Pid

	time.Sleep(o.settle)
	if shot != "" {
		if err := screenshot(sess, shot); err != nil {
			log.Printf("screenshot: %v", err)
		}
	}
	c0, w0, err := cpuTicks(pid)
	if err != nil {
		return s, err
	}
	if err := waitIdle(o, pid, filepath.Base(bin), c0); err != nil {
		return s, err
	}
	c1, w1, err := cpuTicks(pid)
	if err != nil {
		return s, err
	}
	s.cpu = 100 * float64(c1-c0) / clkTck / w1.Sub(w0).Seconds()
	m, err := memory(pid)
	if err != nil {
		return s, err
	}
	s.rss, s.pss, s.anon = m.rss, m.pss, m.anon
	if heapDir != "" {
		if err := dumpHeap(sess, p, heapDir); err != nil {
			return s, err
		}
	}
	if !p.alive() {
		return s, fmt.Errorf("%s exited during the measurement; stderr:\n%s", filepath.Base(bin), p.stderr)
	}
	return s, nil
}

// waitIdle waits out the idle window; with -timeline it reads the CPU
// every second meanwhile and prints the 10 ms ticks of each second, which
// tells one-off work (a collection, a batch of bubbles) from a steady
// load.
func waitIdle(o options, pid int, name string, c0 int64) error {
	if !o.timeline {
		time.Sleep(o.idle)
		return nil
	}
	var ticks []string
	prev := c0
	for end := time.Now().Add(o.idle); time.Now().Before(end); {
		time.Sleep(min(time.Second, time.Until(end)))
		c, _, err := cpuTicks(pid)
		if err != nil {
			return err
		}
		ticks = append(ticks, strconv.FormatInt(c-prev, 10))
		prev = c
	}
	fmt.Fprintf(os.Stderr, "  %-8s ticks/s from ready+%s: %s\n", name, o.settle, strings.Join(ticks, " "))
	return nil
}

// sub is dir/name, or "" when dir is.
func sub(dir, name string) string {
	if dir == "" {
		return ""
	}
	abs, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		log.Fatalf("heap dir: %v", err)
	}
	return abs
}

// dumpHeap has the running process write a heap profile and its runtime
// memory classes into dir (an absolute path): standby through its hidden
// "heap DIR" command, the floor (started with --heap dir) on SIGUSR1.
func dumpHeap(sess *session, p *proc, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("heap dir: %w", err)
	}
	classes := filepath.Join(dir, "memory.txt")
	os.Remove(classes)
	if filepath.Base(dir) == "floor" {
		if err := p.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
			return fmt.Errorf("asking the floor for its heap: %w", err)
		}
	} else {
		sock := filepath.Join(sess.home, "run", "standby", "standby.sock")
		if err := instance.Send(sock, "heap "+dir); err != nil {
			return fmt.Errorf("heap profile: %w", err)
		}
	}
	// The floor answers asynchronously: only polling its file can tell.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(classes); err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no %s within 10 s", classes)
		}
	}
	fmt.Fprintf(os.Stderr, "  heap profile and memory classes saved in %s\n", dir)
	return nil
}

func screenshot(sess *session, path string) error {
	var display string
	for _, kv := range sess.env {
		if v, ok := strings.CutPrefix(kv, "DISPLAY="); ok {
			display = v
		}
	}
	if out, err := exec.Command("import", "-display", display, "-window", "root", path).CombinedOutput(); err != nil {
		return fmt.Errorf("import: %w: %s", err, out)
	}
	fmt.Fprintf(os.Stderr, "  screenshot of standby saved to %s\n", path)
	return nil
}

// cpuTicks returns utime+stime of the whole process (all threads) and when
// it was read.
func cpuTicks(pid int) (int64, time.Time, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	now := time.Now()
	if err != nil {
		return 0, now, fmt.Errorf("reading stat: %w", err)
	}
	// The command name may hold spaces and parentheses: fields start after
	// the last ')'. utime and stime are fields 14 and 15 (1-based).
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, now, fmt.Errorf("short /proc/%d/stat", pid)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, now, fmt.Errorf("parsing stat: %w", err)
	}
	return u + st, now, nil
}

type mem struct{ rss, pss, anon float64 }

// memory reads VmRSS and RssAnon (status) and Pss (smaps_rollup) in MiB.
func memory(pid int) (mem, error) {
	var m mem
	st, err := kB(fmt.Sprintf("/proc/%d/status", pid), "VmRSS", "RssAnon")
	if err != nil {
		return m, err
	}
	sm, err := kB(fmt.Sprintf("/proc/%d/smaps_rollup", pid), "Pss")
	if err != nil {
		return m, err
	}
	return mem{rss: st["VmRSS"] / 1024, anon: st["RssAnon"] / 1024, pss: sm["Pss"] / 1024}, nil
}

// kB reads "Key:  123 kB" lines of a /proc file.
func kB(path string, keys ...string) (map[string]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || !slices.Contains(keys, k) {
			continue
		}
		n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, k, err)
		}
		out[k] = n
	}
	for _, k := range keys {
		if _, ok := out[k]; !ok {
			return nil, fmt.Errorf("%s has no %s", path, k)
		}
	}
	return out, nil
}
