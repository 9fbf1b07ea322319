// Command bus measures the team bus on loopback, everything in one process:
// claim -> every watcher latency (p50/p99) for each watcher count, printed
// beside the raw kv.Put -> kv.WatchAll latency on a bare nats-server as the
// peer, and webhook -> every app's page latency.
//
//	go run ./bench/bus -watchers 200,500 -claims 50 -pages 50
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	ws := flag.String("watchers", "200,500", "watcher counts, comma separated")
	claims := flag.Int("claims", 50, "claims per run")
	pages := flag.Int("pages", 50, "webhook deliveries per run")
	flag.Parse()
	log.SetFlags(0)
	var counts []int
	for _, s := range strings.Split(*ws, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			log.Fatalf("bad -watchers %q", *ws)
		}
		counts = append(counts, n)
	}
	fmt.Printf("team bus on loopback, one process, GOMAXPROCS=%d\n", runtimeProcs())
	fmt.Printf("%-9s %-34s %-34s %-26s\n", "watchers", "standby claim -> every watcher", "raw kv.Put -> every WatchAll", "webhook -> every app page")
	for _, n := range counts {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		bus, hook, err := runStandby(ctx, n, *claims, *pages)
		if err != nil {
			log.Fatalf("standby run with %d watchers: %v", n, err)
		}
		raw, err := runRaw(ctx, n, *claims)
		cancel()
		if err != nil {
			log.Fatalf("raw run with %d watchers: %v", n, err)
		}
		fmt.Printf("%-9d %-34s %-34s %-26s\n", n, summary(bus), summary(raw), summary(hook))
	}
	os.Exit(0)
}

// summary renders p50/p99/max of samples.
func summary(d []time.Duration) string {
	if len(d) == 0 {
		return "no samples"
	}
	slices.Sort(d)
	pct := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	r := func(x time.Duration) string { return x.Round(100 * time.Microsecond).String() }
	return fmt.Sprintf("p50 %s p99 %s max %s", r(pct(0.50)), r(pct(0.99)), r(d[len(d)-1]))
}
