// Command team is the interruption replay bench (issue #13): a real hub, a
// real Alertmanager posting its webhook to it, and five members' Standby
// application services (headless, the tray's code path) whose notifiers
// count bubbles, sounds and their urgency. Scenario "storm": 50 pages in
// 10 minutes, time scaled down by -scale (holds and the on-call member's
// claim delays with it). It runs routing on and routing off (hold 0 s,
// the behaviour before routing) one after the other, and prints loud
// interruptions per page beside the broadcast baseline (every member rung
// for every page), pages that rang nobody, escalations and their lag, and
// the on-call member's webhook → first loud bubble latency.
//
//	go run ./bench/team               # -scale 20: each run ≈ 30 s of storm
//	go run ./bench/team -scale 5      # each run ≈ 2 min
//
// It exits 2 when routing on misses a target, 1 when it cannot run.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/engine"
)

// Unscaled scenario figures, from the issue.
const (
	stormPages = 50
	stormSpan  = 10 * time.Minute
	holdHigh   = 2 * time.Minute // config.DefaultHoldHigh
	claimMin   = 5 * time.Second
	claimMax   = 40 * time.Second
	// neverClaimed is 10 % of the pages: the on-call member never claims them.
	neverClaimed = stormPages / 10
)

// Targets for routing on.
const (
	targetLoudPerPage = 1.2
	targetP99         = 250 * time.Millisecond
	targetEscLag      = time.Second
)

func main() {
	scale := flag.Float64("scale", 20, "time is divided by this (10 min storm, 2 min hold, 5–40 s claims)")
	seed := flag.Uint64("seed", 1, "seed for page times, claim delays and the pages never claimed")
	keep := flag.Bool("keep", false, "keep the temporary directory (configs, state, Alertmanager log)")
	flag.Parse()
	log.SetFlags(0)
	if _, err := os.Stat(alertmanagerBin); err != nil {
		log.Fatalf("team: %s not installed (apt-get install prometheus-alertmanager)", alertmanagerBin)
	}
	if *scale < 1 {
		log.Fatalf("team: -scale must be at least 1")
	}
	keyring.MockInit() // member tokens live in an in-memory keyring
	dir, err := os.MkdirTemp("", "standby-bench-team-")
	if err != nil {
		log.Fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	plan := newPlan(*scale, *seed)
	fmt.Printf("storm: %d pages over %v (÷%g = %v), hold %v, claims after %v–%v, %d never claimed; members: ",
		stormPages, stormSpan, *scale, plan.span.Round(time.Millisecond), plan.hold, plan.claimMin, plan.claimMax, plan.never())
	for i, p := range storm {
		if i > 0 {
			fmt.Print(", ")
		}
		fmt.Printf("%s (%s, %s)", p.name, p.role, p.zone)
	}
	fmt.Println()
	var results []result
	for _, mode := range []struct {
		name string
		hold time.Duration
	}{{"routing on", plan.hold}, {"routing off", 0}} {
		ctx, cancel := context.WithTimeout(context.Background(), plan.span+plan.hold+3*time.Minute)
		r, err := runStorm(ctx, filepath.Join(dir, fmt.Sprintf("run%d", len(results))), plan, mode.name, mode.hold)
		cancel()
		if err != nil {
			log.Printf("team: %s: %v", mode.name, err)
			os.Exit(1)
		}
		results = append(results, r)
	}
	if !report(os.Stdout, results) {
		os.Exit(2)
	}
}

// plan is one storm, scaled: when each page fires and how long the on-call
// member takes to claim it (never, for some).
type plan struct {
	span, hold, claimMin, claimMax time.Duration
	at                             []time.Duration // page i fires at at[i]
	claim                          []time.Duration // page i is claimed claim[i] after its bubble; < 0: never
}

func newPlan(scale float64, seed uint64) plan {
	sc := func(d time.Duration) time.Duration { return time.Duration(float64(d) / scale) }
	p := plan{span: sc(stormSpan), hold: sc(holdHigh), claimMin: sc(claimMin), claimMax: sc(claimMax)}
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	for range stormPages {
		p.at = append(p.at, time.Duration(r.Int64N(int64(p.span))))
		p.claim = append(p.claim, p.claimMin+time.Duration(r.Int64N(int64(p.claimMax-p.claimMin))))
	}
	slices.Sort(p.at)
	for _, i := range r.Perm(stormPages)[:neverClaimed] {
		p.claim[i] = -1
	}
	return p
}

func (p plan) never() int {
	n := 0
	for _, c := range p.claim {
		if c < 0 {
			n++
		}
	}
	return n
}

// runStorm runs the storm once with the given hold (0: routing off).
func runStorm(ctx context.Context, dir string, p plan, mode string, hold time.Duration) (result, error) {
	w, err := startWorld(ctx, dir)
	if err != nil {
		return result{}, err
	}
	defer w.close()
	start := time.Now()
	var members []*member
	for _, ps := range storm {
		m, stop, err := startMember(ctx, ps, filepath.Join(dir, ps.name), w.hub, start, hold)
		if err != nil {
			return result{}, err
		}
		defer stop()
		members = append(members, m)
	}
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	for _, m := range members {
		if err := m.ready(rctx, storm[0].name, len(storm)); err != nil {
			cancel()
			return result{}, err
		}
	}
	cancel()
	var claims sync.WaitGroup
	members[0].claimAfter(ctx, func(i int) (time.Duration, bool) { return p.claim[i], p.claim[i] >= 0 }, &claims)

	fmt.Fprintf(os.Stderr, "team: %s: firing %d pages over %v\n", mode, stormPages, p.span.Round(time.Millisecond))
	t0 := time.Now()
	for i, at := range p.at {
		if d := time.Until(t0.Add(at)); d > 0 {
			time.Sleep(d) // the storm's own schedule
		}
		if err := w.fire(i); err != nil {
			return result{}, err
		}
	}
	// Let the last holds end (and ring), and the last claims land.
	time.Sleep(p.hold + p.claimMax + 2*time.Second)
	claims.Wait()
	return measure(ctx, mode, hold, w, members), nil
}

// result is one run's figures.
type result struct {
	mode       string
	hold       time.Duration
	pages      int
	loud       map[string]int // member → loud bubbles
	sounds     map[string]int
	roles      map[string]role
	rangNobody int
	summaries  int
	escalated  int             // holds that ended in a ring (engine decisions)
	escLag     []time.Duration // escalated bubble − (webhook + hold)
	latency    []time.Duration // webhook → on-call member's first loud bubble
	missing    int             // pages whose webhook never came
}

func measure(ctx context.Context, mode string, hold time.Duration, w *world, members []*member) result {
	r := result{mode: mode, hold: hold, pages: stormPages, loud: map[string]int{}, sounds: map[string]int{}, roles: map[string]role{}}
	rang := make([]bool, stormPages)
	for _, m := range members {
		r.roles[m.name] = m.role
		m.mu.Lock()
		r.sounds[m.name] = m.sounds
		m.mu.Unlock()
		// What the engine decided: a page rang a member when its decision
		// is loud (first, or when its hold ended). A summary bubble names
		// only its first pages, so bubbles alone cannot say.
		for _, v := range m.svc.Snapshot(ctx, time.Now()).Pages {
			i := stormPage(v.Title)
			if i < 0 || v.Decision.Level != engine.Loud {
				continue
			}
			rang[i] = true
			if v.Decision.Escalated {
				r.escalated++
			}
		}
		first := map[int]time.Time{}
		for _, b := range m.loud() {
			r.loud[m.name]++
			pages := pagesIn(b)
			if len(pages) > 1 {
				r.summaries++
			}
			for _, i := range pages {
				if _, ok := first[i]; !ok {
					first[i] = b.at
				}
				if strings.Contains(b.body, "escalated") {
					if at := w.tap.arrived(i); !at.IsZero() {
						r.escLag = append(r.escLag, b.at.Sub(at.Add(hold)))
					}
				}
			}
		}
		if m.role == onCall {
			for i, at := range first {
				if hook := w.tap.arrived(i); !hook.IsZero() {
					r.latency = append(r.latency, at.Sub(hook))
				}
			}
		}
	}
	for i, ok := range rang {
		if !ok {
			r.rangNobody++
		}
		if w.tap.arrived(i).IsZero() {
			r.missing++
		}
	}
	return r
}

// stormPage returns the storm page number of a title, or -1.
func stormPage(title string) int {
	if ns := pagesIn(bubble{title: title}); len(ns) == 1 {
		return ns[0]
	}
	return -1
}

// pct returns the nearest-rank percentile q of d (sorted here).
func pct(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	k := int(q*float64(len(d))+0.999999) - 1
	return d[max(0, min(len(d)-1, k))]
}
