package viewmodel

import (
	"fmt"
	"strings"

	"github.com/standby-oncall/standby/internal/page"
)

// Filter is which pages the Pages list shows.
type Filter int

// The Pages list's filters.
const (
	// FilterAll shows every open page.
	FilterAll Filter = iota
	// FilterMine shows the pages that are mine to act on: I am looking,
	// or nobody has taken them and they are not held for a teammate.
	FilterMine
	// FilterHeld shows the pages held while a teammate on call is rung.
	FilterHeld
)

// FilterNames are the filters' labels, in Filter order.
var FilterNames = []string{"All", "Mine", "Held"}

// Header is a folded group of pages in the Pages list: "HighErrorRate —
// 12 alerts", with Ack and I'm looking acting on every member that allows it.
type Header struct {
	Key   string // source + "/" + group
	Title string
	Color string // the most urgent member's colour
	// Members are the group's pages in list order; AckIDs and LookIDs the
	// ones Ack and I'm looking on the header act on.
	Members         []page.ID
	AckIDs, LookIDs []page.ID
	Expanded        bool
}

// Item is one line of the Pages list: a group header, or a page row (of a
// group when Grouped).
type Item struct {
	Header  *Header
	Row     PageRow
	Grouped bool
}

// ID is the item's identity for selection: the page id, or the group's
// key under the source "group:".
func (it Item) ID() page.ID {
	if it.Header != nil {
		return page.ID{Source: "group:", Upstream: it.Header.Key}
	}
	return it.Row.ID
}

// ListOptions are the user's choices above the list.
type ListOptions struct {
	Filter Filter
	Query  string
	// Expanded holds the keys of the groups shown open.
	Expanded map[string]bool
}

// PageList folds pages of one group under a header (where the group has
// two or more pages left after filtering) and applies the filter and the
// search. A group sits where its first page sorts; order is kept.
func PageList(vm PagesVM, o ListOptions) []Item {
	rows := make([]PageRow, 0, len(vm.Rows))
	for _, r := range vm.Rows {
		if keep(r, o) {
			rows = append(rows, r)
		}
	}
	count := map[string]int{}
	for _, r := range rows {
		if k := groupKey(r); k != "" {
			count[k]++
		}
	}
	order := make([]Item, 0, len(rows))
	headers := map[string]*Header{}
	members := map[string][]PageRow{}
	for _, r := range rows {
		k := groupKey(r)
		if count[k] < 2 {
			order = append(order, Item{Row: r})
			continue
		}
		h, ok := headers[k]
		if !ok {
			h = &Header{Key: k, Color: r.Color, Expanded: o.Expanded[k]}
			headers[k] = h
			order = append(order, Item{Header: h})
		}
		h.add(r)
		members[k] = append(members[k], r)
	}
	items := make([]Item, 0, len(rows)+len(headers))
	for _, it := range order {
		items = append(items, it)
		if h := it.Header; h != nil {
			h.Title = fmt.Sprintf("%s — %d alerts", groupTitle(vm, h.Key), len(h.Members))
			for _, r := range members[h.Key] {
				if !h.Expanded {
					break
				}
				items = append(items, Item{Row: r, Grouped: true})
			}
		}
	}
	return items
}

func (h *Header) add(r PageRow) {
	h.Members = append(h.Members, r.ID)
	if r.CanAck {
		h.AckIDs = append(h.AckIDs, r.ID)
	}
	if r.CanLook {
		h.LookIDs = append(h.LookIDs, r.ID)
	}
	if rank(r.Color) > rank(h.Color) {
		h.Color = r.Color
	}
}

func rank(c string) int {
	switch c {
	case ColorError:
		return 3
	case ColorWarning:
		return 2
	case ColorSuccess:
		return 1
	default:
		return 0
	}
}

func groupKey(r PageRow) string {
	if r.Group == "" {
		return ""
	}
	return r.ID.Source + "/" + r.Group
}

// groupTitle names a group by its members' common alert name, else the
// first member's title.
func groupTitle(vm PagesVM, key string) string {
	name := ""
	for _, r := range vm.Rows {
		if groupKey(r) != key {
			continue
		}
		if name == "" {
			name = r.GroupName
		}
		if name != r.GroupName {
			name = ""
			break
		}
	}
	if name != "" {
		return name
	}
	for _, r := range vm.Rows {
		if groupKey(r) == key {
			return r.Title
		}
	}
	return key
}

func keep(r PageRow, o ListOptions) bool {
	switch o.Filter {
	case FilterMine:
		if !r.Mine {
			return false
		}
	case FilterHeld:
		if !r.Held {
			return false
		}
	}
	q := strings.ToLower(strings.TrimSpace(o.Query))
	if q == "" {
		return true
	}
	for _, f := range []string{r.Title, r.Detail, r.State, r.Severity, r.ID.String()} {
		if strings.Contains(strings.ToLower(f), q) {
			return true
		}
	}
	return false
}
