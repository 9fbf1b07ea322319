package app

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/store"
)

// seedLoud records n loud pages in the hour before now, and a history
// that began five weeks ago.
func seedLoud(t *testing.T, ctx context.Context, svc *Service, now time.Time, n int) {
	t.Helper()
	if err := svc.db.SetSetting(ctx, "events_since", strconv.FormatInt(now.AddDate(0, 0, -35).UnixMilli(), 10)); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		id := page.ID{Source: "seed", Upstream: strconv.Itoa(i)}
		at := now.Add(-time.Duration(i+1) * time.Minute)
		if err := svc.db.RecordSeen(ctx, page.Page{ID: id, Title: "secret title", OpenedAt: at}, at, "Loud"); err != nil {
			t.Fatal(err)
		}
		if err := svc.db.RecordEvent(ctx, store.PageEvent{Page: id, At: at, Kind: store.EventLoud}); err != nil {
			t.Fatal(err)
		}
	}
}

// Three teammates share their weekly counts through a real hub; the one
// who carried more than twice the median is flagged; one who did not opt
// in shares nothing.
func TestTeamLoadOverTheHub(t *testing.T) {
	keyring.MockInit()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	h := startHub(t, ctx, "off")
	now := time.Now()
	counts := map[string]int{"alice": 12, "bob": 3, "carol": 4, "dave": 50}
	svcs := map[string]*Service{}
	for _, name := range []string{"alice", "bob", "carol", "dave"} {
		svc := teammate(t, ctx, h, name)
		svcs[name] = svc
		seedLoud(t, ctx, svc, now, counts[name])
		if name == "dave" {
			if err := svc.PublishMyLoad(ctx, now); !errors.Is(err, ErrLoadNotShared) {
				t.Fatalf("dave did not opt in, PublishMyLoad = %v", err)
			}
			continue
		}
		if err := svc.UpdateConfig(func(c *config.Config) error { c.Team.ShareLoad = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if err := svc.PublishMyLoad(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	tl, err := svcs["bob"].TeamLoad(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Members) != 3 || tl.MedianPages != 4 {
		t.Fatalf("team load = %+v, want alice, bob and carol with a median of 4 pages", tl)
	}
	for _, m := range tl.Members {
		if m.Pages != counts[m.Member] || m.Loud != counts[m.Member] || m.Heavy != (m.Member == "alice") {
			t.Errorf("%+v: want %d pages, heavy only for alice", m, counts[m.Member])
		}
	}
}
