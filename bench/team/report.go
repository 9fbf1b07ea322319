package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// report prints the runs beside the broadcast baseline and checks routing
// on against the targets; false when one is missed.
func report(w io.Writer, runs []result) bool {
	names := make([]string, 0, len(storm))
	for _, p := range storm {
		names = append(names, p.name)
	}
	fmt.Fprintf(w, "\n%-22s %10s", "", "broadcast")
	for _, r := range runs {
		fmt.Fprintf(w, " %14s", r.mode)
	}
	fmt.Fprintln(w)
	row := func(label, base string, cell func(r result) string) {
		fmt.Fprintf(w, "%-22s %10s", label, base)
		for _, r := range runs {
			fmt.Fprintf(w, " %14s", cell(r))
		}
		fmt.Fprintln(w)
	}
	row("hold_high", "-", func(r result) string { return r.hold.String() })
	row("loud per page", fmt.Sprintf("%.2f", float64(len(storm))), func(r result) string {
		return fmt.Sprintf("%.2f", float64(total(r.loud))/float64(r.pages))
	})
	for _, n := range names {
		var ro role
		for _, p := range storm {
			if p.name == n {
				ro = p.role
			}
		}
		row(fmt.Sprintf("  %s (%s)", n, ro), "1.00", func(r result) string {
			return fmt.Sprintf("%.2f", float64(r.loud[n])/float64(r.pages))
		})
	}
	row("alarm starts", fmt.Sprint(len(storm)*stormPages), func(r result) string { return fmt.Sprint(total(r.sounds)) })
	row("summary bubbles", "-", func(r result) string { return fmt.Sprint(r.summaries) })
	row("pages rang nobody", "0", func(r result) string { return fmt.Sprint(r.rangNobody) })
	row("escalations", "-", func(r result) string { return fmt.Sprint(r.escalated) })
	row("escalation lag p50", "-", func(r result) string { return dur(pct(r.escLag, 0.5), len(r.escLag)) })
	row("escalation lag max", "-", func(r result) string { return dur(pct(r.escLag, 1), len(r.escLag)) })
	row("on call: hook→loud p50", "-", func(r result) string { return dur(pct(r.latency, 0.5), len(r.latency)) })
	row("on call: hook→loud p99", "-", func(r result) string { return dur(pct(r.latency, 0.99), len(r.latency)) })
	row("webhooks missing", "0", func(r result) string { return fmt.Sprint(r.missing) })

	on := runs[0]
	var quietLoud int
	for n, ro := range on.roles {
		if ro == inQuiet {
			quietLoud += on.loud[n]
		}
	}
	checks := []struct {
		ok   bool
		what string
	}{
		{float64(total(on.loud))/float64(on.pages) <= targetLoudPerPage, fmt.Sprintf("≤ %.1f loud per page", targetLoudPerPage)},
		{on.rangNobody == 0, "0 pages that rang nobody"},
		{quietLoud == 0, "0 loud for members in quiet hours and not on call"},
		{len(on.latency) > 0 && pct(on.latency, 0.99) <= targetP99, fmt.Sprintf("on call hook→loud p99 ≤ %v", targetP99)},
		{len(on.escLag) == 0 || pct(on.escLag, 1) <= targetEscLag, fmt.Sprintf("every escalation within %v of its deadline", targetEscLag)},
		{on.missing == 0 && runs[1].missing == 0, "every webhook arrived"},
	}
	fmt.Fprintln(w, "\ntargets (routing on):")
	all := true
	for _, c := range checks {
		mark := "ok  "
		if !c.ok {
			mark, all = "MISS", false
		}
		fmt.Fprintf(w, "  %s %s\n", mark, c.what)
	}
	return all
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func dur(d time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	s := d.Round(100 * time.Microsecond).String()
	return strings.TrimSpace(s)
}
