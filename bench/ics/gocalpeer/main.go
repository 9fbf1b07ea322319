// Command gocalpeer expands an iCalendar file with github.com/apognu/gocal,
// as a speed/memory peer for bench/ics/run.sh. Its output (one JSON line per
// event: uid, start, end, summary) is not comparable with the reference.
//
//	gocalpeer FILE FROM TO
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/apognu/gocal"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gocalpeer:", err)
		os.Exit(1)
	}
}

type line struct {
	UID     string `json:"uid"`
	Start   string `json:"start"`
	End     string `json:"end"`
	Summary string `json:"summary"`
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: gocalpeer FILE FROM TO")
	}
	from, err := time.Parse(time.RFC3339, args[1])
	if err != nil {
		return fmt.Errorf("parsing FROM: %w", err)
	}
	to, err := time.Parse(time.RFC3339, args[2])
	if err != nil {
		return fmt.Errorf("parsing TO: %w", err)
	}
	f, err := os.Open(args[0])
	if err != nil {
		return fmt.Errorf("opening calendar: %w", err)
	}
	defer f.Close()
	c := gocal.NewParser(f)
	c.Start, c.End = &from, &to
	c.Strict.Mode = gocal.StrictModeFailEvent
	c.Duplicate.Mode = gocal.DuplicateModeKeepLast
	if err := c.Parse(); err != nil {
		return fmt.Errorf("parsing calendar: %w", err)
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for _, e := range c.Events {
		l := line{UID: e.Uid, Summary: e.Summary}
		if e.Start != nil {
			l.Start = e.Start.UTC().Format(time.RFC3339)
		}
		if e.End != nil {
			l.End = e.End.UTC().Format(time.RFC3339)
		}
		if err := enc.Encode(l); err != nil {
			return fmt.Errorf("writing: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
}
