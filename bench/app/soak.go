package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// soak runs standby (with args) for o.soak under the demo's traffic (by
// default a new page every 75 s, each resolving by itself after 10–55 min;
// -demo-every changes it), samples memory every o.every and prints
// least-squares slopes in MiB per hour.
func soak(o options, tmp, bin string, args []string) error {
	sess, err := newSession(tmp, "")
	if err != nil {
		return err
	}
	defer sess.close()
	life := o.timeout + o.soak + time.Minute
	p, err := start(sess, bin, append([]string{"--exit-after", life.String()}, args...), "standby: ready", o.timeout)
	if err != nil {
		return err
	}
	defer p.stop()
	pid := p.cmd.Process.Pid
	fmt.Printf("bench/app soak: standby (demo, %d open pages at start, %s) for %s, memory every %s\n",
		o.pages, traffic(o.demoEvery), o.soak, o.every)
	fmt.Printf("%8s %10s %10s %10s %12s\n", "minute", "VmRSS MiB", "PSS MiB", "anon MiB", "CPU % (int.)")
	var ts, rss, anon, pss []float64
	c0, w0, err := cpuTicks(pid)
	if err != nil {
		return err
	}
	tick := time.NewTicker(o.every)
	defer tick.Stop()
	end := time.Now().Add(o.soak)
	lastDump := time.Now()
	for {
		m, err := memory(pid)
		if err != nil {
			return err
		}
		c1, w1, err := cpuTicks(pid)
		if err != nil {
			return err
		}
		cpu := 0.0
		if d := w1.Sub(w0).Seconds(); d > 0 {
			cpu = 100 * float64(c1-c0) / clkTck / d
		}
		c0, w0 = c1, w1
		t := time.Since(p.tReady).Minutes()
		ts, rss, anon, pss = append(ts, t), append(rss, m.rss), append(anon, m.anon), append(pss, m.pss)
		fmt.Printf("%8.1f %10.1f %10.1f %10.1f %12.2f\n", t, m.rss, m.pss, m.anon, cpu)
		if o.heap != "" && (len(ts) == 2 || time.Now().After(end) || time.Since(lastDump) >= o.heapEvery) {
			lastDump = time.Now()
			dir := sub(o.heap, fmt.Sprintf("standby-min%04.0f", t))
			if err := dumpHeap(sess, p, dir); err != nil {
				return err
			}
		}
		if time.Now().After(end) {
			break
		}
		select {
		case <-tick.C:
		case <-p.exited:
			return fmt.Errorf("standby exited during the soak (%v); stderr:\n%s", p.cmd.ProcessState, p.stderr)
		}
	}
	if len(ts) < 3 {
		return fmt.Errorf("only %d samples: make -soak at least 2×-every", len(ts))
	}
	// The first sample is taken at ready, before the first notifications
	// and caches settle; the slope is fitted on the rest. The GC's
	// sawtooth is ±10 MiB, so a short soak's slope has a wide error.
	fmt.Println()
	for _, m := range []struct {
		name string
		y    []float64
	}{{"VmRSS", rss}, {"PSS", pss}, {"anon", anon}} {
		b, se := fit(ts[1:], m.y[1:])
		fmt.Printf("slope %-5s %+7.1f ± %.1f MiB/h (least squares after the first sample, ± one standard error); range %.1f–%.1f MiB\n",
			m.name, 60*b, 60*se, slices.Min(m.y), slices.Max(m.y))
	}
	b, se := fit(ts[1:], anon[1:])
	fmt.Printf("anonymous RSS over %s: %s\n", o.soak, verdict(b, se))
	// With traffic the demo's open pages climb while its first new pages
	// live (10–55 min) and then hold steady (~26 more at a page every
	// 75 s): memory that follows more open pages is not a leak, so the
	// part after that is judged on its own when there is enough of it.
	if o.demoEvery < 24*time.Hour {
		from := slices.IndexFunc(ts, func(t float64) bool { return t >= demoSettled.Minutes() })
		if from > 0 && len(ts)-from >= 20 {
			b, se := fit(ts[from:], anon[from:])
			fmt.Printf("anonymous RSS after minute %.0f (the demo's open pages settled): %+.1f ± %.1f MiB/h, mean %.1f MiB: %s\n",
				demoSettled.Minutes(), 60*b, 60*se, mean(anon[from:]), verdict(b, se))
		} else {
			fmt.Printf("(the demo's open pages climb for its first %.0f minutes; soak longer than %.0f to judge the part after)\n",
				demoSettled.Minutes(), demoSettled.Minutes()+20)
		}
	}
	return nil
}

// demoSettled is when the demo's open-page count stops climbing under
// traffic: its longest-lived new page (55 min) has resolved by then.
const demoSettled = 55 * time.Minute

// verdict reads a slope per minute and its standard error.
func verdict(b, se float64) string {
	if 60*(b-2*se) > 0 {
		return "GROWING (slope more than two standard errors above 0)"
	}
	return "no growth detected"
}

// mean is the average of y.
func mean(y []float64) float64 {
	var s float64
	for _, v := range y {
		s += v
	}
	return s / float64(len(y))
}

// fit is the least-squares slope of y over x and its standard error.
func fit(x, y []float64) (slope, se float64) {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i] / n
		my += y[i] / n
	}
	var sxx, sxy float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	if sxx == 0 {
		return 0, 0
	}
	slope = sxy / sxx
	if n > 2 {
		var rss float64
		for i := range x {
			r := y[i] - my - slope*(x[i]-mx)
			rss += r * r
		}
		se = math.Sqrt(rss / (n - 2) / sxx)
	}
	return slope, se
}

// traffic describes the demo's traffic at standby's --demo-every d (0: its
// default).
func traffic(d time.Duration) string {
	switch {
	case d == 0:
		return "a new page every 75 s"
	case d >= 24*time.Hour:
		return "no new pages"
	default:
		return "a new page every " + d.String()
	}
}
