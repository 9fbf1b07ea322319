package viewmodel

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/standby-oncall/standby/internal/app"
)

// MaxBanners is how many banners show at once; the rest wait behind
// "N more".
const MaxBanners = 2

// BannerRow is one banner: one line above the tabs.
type BannerRow struct {
	// Key identifies the banner for dismissal (its level and text).
	Key   string
	Level string // "error", "warning" or "info"
	Text  string
	// Dismissible is false for errors: a failing source or notification
	// service stays in sight until its cause is gone.
	Dismissible bool
}

// BannersVM is the banner area.
type BannersVM struct {
	Shown []BannerRow
	// More is "2 more" when banners wait behind the first MaxBanners
	// ("" when none do, or when all are shown).
	More string
	// Less is "Show fewer" when all are shown and some would be hidden.
	Less string
}

// Banners orders the banners (errors first), drops duplicates and those
// the user dismissed, and keeps MaxBanners unless all is set.
func Banners(bs []app.Banner, dismissed map[string]bool, all bool) BannersVM {
	seen := map[string]bool{}
	rows := make([]BannerRow, 0, len(bs))
	for _, b := range bs {
		r := BannerRow{Key: b.Level + "\x00" + b.Text, Level: b.Level, Text: b.Text, Dismissible: b.Level != "error"}
		if seen[r.Key] || (r.Dismissible && dismissed[r.Key]) {
			continue
		}
		seen[r.Key] = true
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b BannerRow) int { return cmp.Compare(levelRank(a.Level), levelRank(b.Level)) })
	vm := BannersVM{Shown: rows}
	if len(rows) > MaxBanners {
		if all {
			vm.Less = "Show fewer"
		} else {
			vm.Shown, vm.More = rows[:MaxBanners], fmt.Sprintf("%d more", len(rows)-MaxBanners)
		}
	}
	return vm
}

// Present keeps only the dismissed keys whose banner is still there, so a
// cause that goes away and comes back is shown again.
func Present(dismissed map[string]bool, bs []app.Banner) map[string]bool {
	out := map[string]bool{}
	for _, b := range bs {
		if k := b.Level + "\x00" + b.Text; dismissed[k] {
			out[k] = true
		}
	}
	return out
}

func levelRank(l string) int {
	switch l {
	case "error":
		return 0
	case "warning":
		return 1
	default:
		return 2
	}
}
