// Command icsexpand prints the occurrences of an iCalendar file in a window,
// in the reference (tools/ics-oracle) JSON-lines format. It is the benchmark
// and diff driver for internal/schedule/ical until `standby ics expand`
// exists.
//
//	icsexpand FILE FROM TO [--max N] [--floating-tz ZONE] [--end-mode exact|wallclock]
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/standby-oncall/standby/internal/schedule/ical"
)

func main() {
	// Few, large collections: the heap of a big expansion is short-lived.
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(100 << 20)
	code, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "icsexpand:", err)
	}
	os.Exit(code)
}

func parseWindow(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad RFC 3339 time %q: %w", s, err)
	}
	return t, nil
}

func run(args []string) (int, error) {
	var pos []string
	opts := ical.Options{Max: 100000}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if i+1 >= len(args) && (a == "--max" || a == "--floating-tz" || a == "--end-mode") {
			return 2, errors.New("missing value for " + a)
		}
		switch a {
		case "--max":
			n, err := strconv.Atoi(args[i+1])
			if err != nil {
				return 2, fmt.Errorf("bad --max: %w", err)
			}
			opts.Max = n
			i++
		case "--floating-tz":
			loc, err := time.LoadLocation(args[i+1])
			if err != nil {
				return 2, fmt.Errorf("bad --floating-tz: %w", err)
			}
			opts.FloatingZone = loc
			i++
		case "--end-mode":
			if args[i+1] == "wallclock" {
				opts.EndMode = ical.EndWallClock
			}
			i++
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) != 3 {
		return 2, errors.New("usage: icsexpand FILE FROM TO [--max N] [--floating-tz ZONE] [--end-mode exact|wallclock]")
	}
	from, err := parseWindow(pos[1])
	if err != nil {
		return 2, err
	}
	to, err := parseWindow(pos[2])
	if err != nil {
		return 2, err
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return 3, fmt.Errorf("reading %s: %w", pos[0], err)
	}
	cal, _, err := ical.Parse(data)
	if err != nil {
		return 3, fmt.Errorf("cannot expand %s: %w", pos[0], err)
	}
	occs, err := cal.Expand(from, to, opts)
	if err != nil {
		return 3, fmt.Errorf("expanding %s: %w", pos[0], err)
	}
	if err := ical.WriteJSONL(os.Stdout, occs, opts.Max); err != nil {
		return 1, err
	}
	return 0, nil
}
