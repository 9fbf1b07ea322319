package report

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteText prints the report as tables: the weeks, then my shifts, then
// the total, each row with its note.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	section := func(title string, ps []Period) {
		fmt.Fprintf(tw, "%s\tPAGES\tLOUD\tQUIET HRS\tNIGHT\tHELD\tRESOLVED\tRESPONSE MEDIAN\tP90\tNOTE\n", title)
		for _, p := range ps {
			if p.Coverage == NotCovered {
				fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\t-\t%s\n", p.Label, p.Note)
				continue
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", p.Label, p.Pages, p.Loud, p.LoudQuiet, p.LoudNight,
				p.Held, p.Resolved, duration(p.Median, p.Responded), duration(p.P90, p.Responded), p.Note)
		}
		fmt.Fprintln(tw)
	}
	section("WEEK", r.Weeks)
	if len(r.Shifts) > 0 {
		section("SHIFT", r.Shifts)
	}
	section("ALL", []Period{r.Total})
	return tw.Flush()
}

// duration is a response time for a table, "-" when nothing was answered.
func duration(d time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}

// WriteText prints who carried how much, flagging heavy loads.
func (t TeamLoad) WriteText(w io.Writer) error {
	if len(t.Members) == 0 {
		_, err := fmt.Fprintln(w, "Nobody on the team shares their load yet ([team] share_load = true).")
		return err
	}
	fmt.Fprintf(w, "Weeks of %s to %s; team median %.1f pages, %.1f night interruptions.\n\n", t.Weeks[0], t.Weeks[len(t.Weeks)-1], t.MedianPages, t.MedianNight)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MEMBER\tPAGES\tLOUD\tNIGHT\tWEEKS SHARED\t")
	for _, m := range t.Members {
		flag := ""
		if m.Heavy {
			flag = "⚠ " + m.Why
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d/%d\t%s\n", m.Member, m.Pages, m.Loud, m.Night, m.Weeks, len(t.Weeks), flag)
	}
	return tw.Flush()
}
