package report

import (
	"slices"
	"strings"
	"time"
)

// MemberWeek is one member's published counts for one week.
type MemberWeek struct {
	Member string
	// Week is the Monday the week starts on (YYYY-MM-DD).
	Week               string
	Pages, Loud, Night int
}

// TeamLoad is who carried how much over the last weeks.
type TeamLoad struct {
	// Weeks are the weeks covered, oldest first (YYYY-MM-DD Mondays).
	Weeks   []string     `json:"weeks"`
	Members []MemberLoad `json:"members"`
	// MedianPages and MedianNight are the team medians of the totals.
	MedianPages float64 `json:"median_pages"`
	MedianNight float64 `json:"median_night"`
}

// MemberLoad is one member's totals.
type MemberLoad struct {
	Member string `json:"member"`
	Pages  int    `json:"pages"`
	Loud   int    `json:"loud"`
	Night  int    `json:"night"`
	// Weeks is how many of the weeks the member published.
	Weeks int `json:"weeks_shared"`
	// Heavy says the member carried more than twice the team median of
	// pages or of night interruptions; Why says which.
	Heavy bool   `json:"heavy"`
	Why   string `json:"why,omitempty"`
}

// LoadWeeks are the Mondays of the n weeks up to the one holding now in
// loc, oldest first.
func LoadWeeks(now time.Time, loc *time.Location, n int) []string {
	first := weekStart(now, loc).AddDate(0, 0, -7*(n-1))
	out := make([]string, n)
	for i := range n {
		out[i] = first.AddDate(0, 0, 7*i).Format(time.DateOnly)
	}
	return out
}

// Team adds up each member's counts over weeks and flags whoever carried
// more than twice the team median.
func Team(loads []MemberWeek, weeks []string) TeamLoad {
	t := TeamLoad{Weeks: weeks, Members: []MemberLoad{}}
	by := map[string]*MemberLoad{}
	for _, l := range loads {
		if !slices.Contains(weeks, l.Week) {
			continue
		}
		m := by[l.Member]
		if m == nil {
			m = &MemberLoad{Member: l.Member}
			by[l.Member] = m
		}
		m.Pages += l.Pages
		m.Loud += l.Loud
		m.Night += l.Night
		m.Weeks++
	}
	var pages, night []int
	for _, m := range by {
		t.Members = append(t.Members, *m)
		pages, night = append(pages, m.Pages), append(night, m.Night)
	}
	slices.SortFunc(t.Members, func(a, b MemberLoad) int { return strings.Compare(a.Member, b.Member) })
	t.MedianPages, t.MedianNight = median(pages), median(night)
	if len(t.Members) < 2 {
		return t
	}
	for i := range t.Members {
		m := &t.Members[i]
		var why []string
		if float64(m.Pages) > 2*t.MedianPages && m.Pages > 0 {
			why = append(why, "pages")
		}
		if float64(m.Night) > 2*t.MedianNight && m.Night > 0 {
			why = append(why, "night interruptions")
		}
		if len(why) > 0 {
			m.Heavy, m.Why = true, "more than twice the team median of "+strings.Join(why, " and ")
		}
	}
	return t
}

func median(v []int) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}
