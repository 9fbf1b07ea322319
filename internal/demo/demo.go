// Package demo is the demo paging source and sample on-call calendar that
// Standby uses when nothing is configured (or with --demo), so a newcomer
// sees every part of the app working without a server.
//
// Pages follow a deterministic script: page k opens at start + k×Interval
// and resolves by itself after a while unless someone acts on it. Nothing
// here touches the network.
package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// Options tune the demo source.
type Options struct {
	// Interval between new pages; default 75 s ("every minute or so").
	Interval time.Duration
	// Initial is how many pages are already open at start; default 3.
	Initial int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Source is the demo paging source. It is safe for concurrent use.
type Source struct {
	name  string
	opts  Options
	start time.Time

	mu      sync.Mutex
	acked   map[int]string // page index → who acked
	closed  map[int]bool
	noteFor map[int][]string
}

// New returns a demo source named name whose script starts now.
func New(name string, opts Options) *Source {
	if opts.Interval <= 0 {
		opts.Interval = 75 * time.Second
	}
	if opts.Initial < 0 {
		opts.Initial = 0
	} else if opts.Initial == 0 {
		opts.Initial = 3
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Source{
		name: name, opts: opts, start: opts.Now(),
		acked: map[int]string{}, closed: map[int]bool{}, noteFor: map[int][]string{},
	}
}

// Name returns the configured name.
func (s *Source) Name() string { return s.name }

// Caps says the demo can do everything.
func (s *Source) Caps() source.Caps {
	return source.Caps{Ack: true, Unack: true, Resolve: true, Note: true, MinPoll: time.Second}
}

type template struct {
	title, service, severity string
	urgency                  page.Urgency
	labels                   map[string]string
}

var templates = []template{
	{"HighErrorRate: 5xx above 5% for 10m", "payments-api", "critical", page.UrgencyHigh, map[string]string{"alertname": "HighErrorRate", "team": "payments"}},
	{"DiskWillFillIn4Hours on db-3 /var/lib/postgresql", "postgres", "warning", page.UrgencyLow, map[string]string{"alertname": "DiskWillFillIn4Hours", "instance": "db-3"}},
	{"CheckoutLatencyP99 above 2s", "checkout", "critical", page.UrgencyHigh, map[string]string{"alertname": "CheckoutLatencyP99", "team": "payments"}},
	{"CertificateExpiresSoon: api.example.com in 6 days", "edge", "warning", page.UrgencyLow, map[string]string{"alertname": "CertificateExpiresSoon"}},
	{"KafkaConsumerLag orders-consumer > 100k", "orders", "error", page.UrgencyHigh, map[string]string{"alertname": "KafkaConsumerLag", "team": "orders"}},
	{"PodCrashLooping ledger-worker-7c9f", "ledger", "warning", page.UrgencyLow, map[string]string{"alertname": "KubePodCrashLooping", "namespace": "ledger"}},
	{"Probe failed: https://status.example.com", "status-page", "critical", page.UrgencyHigh, map[string]string{"alertname": "BlackboxProbeFailed"}},
	{"NodeMemoryPressure on k8s-node-12", "kubernetes", "warning", page.UrgencyLow, map[string]string{"alertname": "NodeMemoryPressure", "node": "k8s-node-12"}},
}

// openedAt is when page k opens; pages with k < Initial opened before start.
func (s *Source) openedAt(k int) time.Time {
	return s.start.Add(time.Duration(k-s.opts.Initial+1) * s.opts.Interval)
}

// lifetime is how long page k stays open if nobody acts (10–55 min).
func lifetime(k int) time.Duration {
	h := fnv.New32a()
	fmt.Fprintf(h, "life-%d", k)
	return time.Duration(10+h.Sum32()%46) * time.Minute
}

func (s *Source) make(k int, now time.Time) (page.Page, bool) {
	opened := s.openedAt(k)
	if opened.After(now) || s.closed[k] {
		return page.Page{}, false
	}
	_, acked := s.acked[k]
	if !acked && k >= s.opts.Initial && now.Sub(opened) > lifetime(k) {
		return page.Page{}, false // resolved by itself
	}
	t := templates[k%len(templates)]
	p := page.Page{
		ID:       page.ID{Source: s.name, Upstream: fmt.Sprintf("demo-%04d", k)},
		Title:    t.title,
		Service:  t.service,
		Severity: t.severity,
		Urgency:  t.urgency,
		Status:   page.StatusTriggered,
		URL:      fmt.Sprintf("https://demo.standby.invalid/pages/%d", k),
		Labels:   t.labels,
		OpenedAt: opened,
	}
	if by, ok := s.acked[k]; ok {
		p.Status, p.AckedBy = page.StatusAcknowledged, by
	}
	return p, true
}

// List returns the open pages at the source's clock.
func (s *Source) List(ctx context.Context) ([]page.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("listing demo pages: %w", err)
	}
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	last := s.opts.Initial - 1 + int(now.Sub(s.start)/s.opts.Interval)
	var out []page.Page
	for k := 0; k <= last; k++ {
		if p, ok := s.make(k, now); ok {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OpenedAt.Before(out[j].OpenedAt) })
	return out, nil
}

func (s *Source) index(id string) (int, error) {
	var k int
	if _, err := fmt.Sscanf(id, "demo-%d", &k); err != nil || k < 0 {
		return 0, &source.Error{Kind: source.KindNotFound, Status: 404, Msg: fmt.Sprintf("no demo page %q", id)}
	}
	return k, nil
}

// Ack acknowledges a demo page.
func (s *Source) Ack(_ context.Context, id string, by source.Actor) error {
	k, err := s.index(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acked[k] = by.Name
	return nil
}

// Unack reverses Ack.
func (s *Source) Unack(_ context.Context, id string, _ source.Actor) error {
	k, err := s.index(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.acked, k)
	return nil
}

// Resolve closes a demo page.
func (s *Source) Resolve(_ context.Context, id string, _ source.Actor) error {
	k, err := s.index(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed[k] = true
	return nil
}

// Note records a note on a demo page.
func (s *Source) Note(_ context.Context, id string, by source.Actor, text string) error {
	k, err := s.index(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteFor[k] = append(s.noteFor[k], by.Name+": "+text)
	return nil
}
