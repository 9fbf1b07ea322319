// Command app measures the standby desktop app against a bare Fyne floor
// (bench/app/floor), both under their own Xvfb with a private D-Bus session
// and a notification daemon, in alternating runs of the same invocation:
//
//   - start-to-ready: exec → "standby: ready" (resp. "floor: ready") on stdout;
//   - memory at the end of the idle window: VmRSS and RssAnon from
//     /proc/PID/status, PSS from /proc/PID/smaps_rollup;
//   - idle CPU: utime+stime from /proc/PID/stat over the idle window, as a
//     percentage of one core.
//
// standby runs on the demo source with -pages open pages (--demo-pages) and
// the demo on-call calendar (a weekly RRULE rotation, so a year and more of
// schedule). It prints a table of medians with the floor beside them and
// exits 2 when a target is missed.
//
//	go run ./bench/app                      # 5 runs of each, 8 s idle window (~2 min)
//	go run ./bench/app -n 7 -idle 20s       # the figures in bench/app/README.md
//	go run ./bench/app -soak 1h             # RSS every minute under demo traffic, and its slope
//	go run ./bench/app -shot shots/         # every tab with 0, 3, 500 and grouped pages, light and dark
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// clkTck is USER_HZ, the unit of utime and stime in /proc/PID/stat; it is
// 100 on every Linux architecture Go supports.
const clkTck = 100

type options struct {
	n       int
	pages   int
	settle  time.Duration
	idle    time.Duration
	timeout time.Duration
	soak    time.Duration
	every   time.Duration
	shot    string
	heap    string
	// heapEvery is how often a soak with heap saves a profile.
	heapEvery time.Duration
	standby   string
	before    string
	// warm keeps each binary's XDG_CACHE_HOME between its runs, filled
	// by one unmeasured start (see cacheDir).
	warm bool
	// timeline prints the CPU of each second of the idle window.
	timeline bool
	// demoEvery is standby's --demo-every (0: not passed).
	demoEvery time.Duration
}

// sample is what one run measured.
type sample struct {
	ready          time.Duration
	rss, pss, anon float64 // MiB
	cpu            float64 // % of one core
}

// target is a pass/fail threshold on a metric.
type target struct {
	text string
	ok   func(standby, floor float64) bool
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 5, "runs of each binary (alternating)")
	flag.IntVar(&o.pages, "pages", 500, "open demo pages at start (--demo-pages)")
	flag.DurationVar(&o.settle, "settle", time.Second, "wait after ready before the idle window starts")
	flag.DurationVar(&o.idle, "idle", 8*time.Second, "idle CPU window after ready+settle (CPU resolution is 10 ms / window)")
	flag.DurationVar(&o.timeout, "timeout", 60*time.Second, "give up on a run not ready within this")
	flag.DurationVar(&o.soak, "soak", 0, "long mode: run standby this long under demo traffic, sample memory every -every and print the slope")
	flag.DurationVar(&o.every, "every", time.Minute, "sampling interval of -soak")
	flag.StringVar(&o.before, "before", "", "also measure this standby build in the same alternating runs and print its table against the same floor (before/after a change)")
	flag.StringVar(&o.standby, "standby", "", "use this standby binary instead of building ./cmd/standby (to compare two builds)")
	flag.StringVar(&o.heap, "heap", "", "a directory: at the end of the first standby run's idle window, save its Go heap profile (heap.pprof) and runtime memory classes (memory.txt) there")
	flag.StringVar(&o.shot, "shot", "", "a PNG file: save a screenshot of the first standby run; a directory (ending in /, or existing): save every tab with 0, 3, 500 and grouped pages, light and dark, and measure nothing (needs ImageMagick's import)")
	flag.DurationVar(&o.heapEvery, "heap-every", 30*time.Minute, "with -soak and -heap: save a heap profile and the memory classes into DIR/standby-minNNNN at the second sample, then this often and at the end")
	flag.DurationVar(&o.demoEvery, "demo-every", 0, "the demo's traffic: a new page this often (standby --demo-every; 0: its default, 75 s); 1000h measures idling without traffic")
	flag.BoolVar(&o.timeline, "timeline", false, "print each run's CPU of every second of the idle window (10 ms ticks)")
	flag.BoolVar(&o.warm, "warm", false, "warm caches: each binary keeps its XDG_CACHE_HOME (Mesa's shader cache, the font index) from one unmeasured start before its measured runs, as on every start after the first; default: a fresh cache each run (a first start)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench/app: ")
	if runtime.GOOS != "linux" {
		log.Fatal("needs Linux (/proc, Xvfb)")
	}
	for _, tool := range []string{"Xvfb", "dbus-daemon", "dunst"} {
		if _, err := exec.LookPath(tool); err != nil {
			log.Fatalf("%s not installed (make deps-test installs it)", tool)
		}
	}
	if o.n < 1 {
		log.Fatal("-n must be at least 1")
	}

	tmp, err := os.MkdirTemp("", "standby-bench-app-")
	if err != nil {
		log.Fatal(err)
	}
	stopOnSignal(tmp)
	code := run(o, tmp)
	os.RemoveAll(tmp)
	os.Exit(code)
}

func run(o options, tmp string) int {
	standby, floor, err := build(tmp, o.standby == "")
	if err != nil {
		log.Print(err)
		return 1
	}
	if o.standby != "" {
		standby = o.standby
	}
	if shotDir(o.shot) {
		if err := shots(o, tmp, standby, o.shot); err != nil {
			log.Print(err)
			return 1
		}
		fmt.Printf("bench/app: screenshots in %s\n", o.shot)
		return 0
	}
	standbyArgs := []string{"--demo-pages", strconv.Itoa(o.pages)}
	if o.demoEvery > 0 {
		// Not with -before: an older build may not know the flag.
		standbyArgs = append(standbyArgs, "--demo-every", o.demoEvery.String())
	}
	if o.soak > 0 {
		if err := soak(o, tmp, standby, standbyArgs); err != nil {
			log.Print(err)
			return 1
		}
		return 0
	}

	fmt.Printf("bench/app: standby (demo, %d open pages) vs bare Fyne floor; %d alternating runs each, idle window %s after ready+%s\n",
		o.pages, o.n, o.idle, o.settle)
	fmt.Printf("machine: %d CPUs, %s, load average %s\n", runtime.NumCPU(), cpuModel(), loadAvg())
	var ss, fs, bs []sample
	order := []string{"standby", "floor"}
	if o.before != "" {
		order = []string{"before", "standby", "floor"}
	}
	if o.warm {
		fmt.Println("caches: warm (each binary's XDG_CACHE_HOME kept from one unmeasured start)")
		bins := map[string]string{"before": o.before, "standby": standby, "floor": floor}
		for _, which := range order {
			args, line := standbyArgs, "standby: ready"
			if which == "floor" {
				args, line = nil, "floor: ready"
			}
			if err := warmUp(o, tmp, bins[which], args, line); err != nil {
				log.Printf("warming %s: %v", which, err)
				return 1
			}
		}
	}
	for i := range o.n {
		for _, which := range order {
			var s sample
			var err error
			shot, heap := "", ""
			if i == 0 {
				heap = o.heap
				if which == "standby" {
					shot = o.shot
				}
			}
			switch which {
			case "before":
				s, err = measure(o, tmp, o.before, standbyArgs, "standby: ready", "", "")
				bs = append(bs, s)
			case "standby":
				s, err = measure(o, tmp, standby, standbyArgs, "standby: ready", shot, sub(heap, "standby"))
				ss = append(ss, s)
			default:
				var args []string
				if h := sub(heap, "floor"); h != "" {
					args = []string{"--heap", h}
				}
				s, err = measure(o, tmp, floor, args, "floor: ready", "", sub(heap, "floor"))
				fs = append(fs, s)
			}
			if err != nil {
				log.Printf("%s run %d: %v", which, i+1, err)
				return 1
			}
			fmt.Fprintf(os.Stderr, "  run %d %-7s ready %6.3f s  RSS %6.1f  PSS %6.1f  anon %6.1f MiB  idle CPU %5.2f %%\n",
				i+1, which, s.ready.Seconds(), s.rss, s.pss, s.anon, s.cpu)
		}
	}

	failed := table(ss, fs)
	if o.before != "" {
		fmt.Printf("\nbefore: %s (same runs, same floor)\n", o.before)
		table(bs, fs)
	}
	fmt.Printf("\nmedians of %d runs; idle CPU resolution %.3f points per run (10 ms ticks over %s)\n",
		o.n, 100*(1.0/clkTck)/o.idle.Seconds(), o.idle)
	if failed {
		return 2
	}
	return 0
}

// table prints the medians of ss against the floor's fs and reports
// whether a target was missed.
func table(ss, fs []sample) (failed bool) {
	rows := []struct {
		name, unit string
		get        func(sample) float64
		target     *target
	}{
		{"start to ready", "s", func(s sample) float64 { return s.ready.Seconds() },
			&target{"≤ floor + 0.1 s", func(s, f float64) bool { return s <= f+0.1 }}},
		{"VmRSS", "MiB", func(s sample) float64 { return s.rss }, nil},
		{"PSS", "MiB", func(s sample) float64 { return s.pss }, nil},
		{"anonymous RSS", "MiB", func(s sample) float64 { return s.anon },
			&target{"≤ floor + 20 MiB", func(s, f float64) bool { return s <= f+20 }}},
		{"idle CPU", "% core", func(s sample) float64 { return s.cpu },
			&target{"≤ floor + 0.2 pt", func(s, f float64) bool { return s <= f+0.2 }}},
	}
	fmt.Println()
	fmt.Printf("%-15s %-7s %10s %10s %10s %8s   %-18s %s\n", "metric", "unit", "standby", "floor", "diff", "ratio", "target", "result")
	for _, r := range rows {
		s, f := median(ss, r.get), median(fs, r.get)
		ratio := "-"
		if f > 0 {
			ratio = fmt.Sprintf("%.2fx", s/f)
		}
		tgt, res := "-", "-"
		if r.target != nil {
			tgt, res = r.target.text, "pass"
			if !r.target.ok(s, f) {
				res, failed = "FAIL", true
			}
		}
		fmt.Printf("%-15s %-7s %10.3f %10.3f %+10.3f %8s   %-18s %s\n", r.name, r.unit, s, f, s-f, ratio, tgt, res)
	}
	return failed
}

// shotDir reports whether -shot names a directory (every tab) rather
// than one PNG file.
func shotDir(path string) bool {
	if path == "" {
		return false
	}
	if strings.HasSuffix(path, "/") {
		return true
	}
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// build compiles the floor, and standby unless withStandby is false, into
// dir with the repository's go.
func build(dir string, withStandby bool) (standby, floor string, err error) {
	root, err := repoRoot()
	if err != nil {
		return "", "", err
	}
	standby, floor = filepath.Join(dir, "standby"), filepath.Join(dir, "floor")
	targets := [][2]string{{floor, "./bench/app/floor"}}
	if withStandby {
		targets = append(targets, [2]string{standby, "./cmd/standby"})
	}
	for _, b := range targets {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go build %s: %w\n%s", b[1], err, out)
		}
	}
	return standby, floor, nil
}

func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run from inside the standby module (go run ./bench/app)")
	}
	return filepath.Dir(mod), nil
}

func median(ss []sample, get func(sample) float64) float64 {
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = get(s)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
