package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// staticSource lists the same pages every time, so that the benchmark
// measures the engine and not a fake's bookkeeping.
type staticSource struct {
	*fakeSource
	pages []page.Page
}

func (s staticSource) List(context.Context) ([]page.Page, error) { return s.pages, nil }

// BenchmarkReconcile500 measures one steady-state poll cycle of a source
// with 500 open pages: List, reconcile, queue check and publishing the
// State to one subscriber (the UI). bench/engine/run.sh turns it into the
// idle CPU share.
func BenchmarkReconcile500(b *testing.B) {
	const n = 500
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	src := staticSource{fakeSource: newFake("am", 0)}
	for i := range n {
		src.pages = append(src.pages, page.Page{
			ID:       page.ID{Source: "am", Upstream: fmt.Sprintf("fp%04d", i)},
			Title:    fmt.Sprintf("alert %d", i),
			Urgency:  page.Urgency(i % 2),
			Labels:   map[string]string{"alertname": "HighLatency", "instance": fmt.Sprint(i)},
			OpenedAt: t0.Add(time.Duration(i) * time.Minute),
		})
	}
	e := New(Params{Sources: []source.Source{src}})
	states, cancel := e.Subscribe()
	defer cancel()
	ctx := context.Background()
	w := e.workers[0]
	e.pollOnce(ctx, w, time.Now()) // first cycle notifies all 500
	<-states
	if got := len(e.Snapshot().Pages); got != n {
		b.Fatalf("%d pages after the first poll", got)
	}

	b.ReportAllocs()
	for b.Loop() {
		e.pollOnce(ctx, w, time.Now())
		<-states
	}
}
