package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/standby-oncall/standby/internal/app"
	"github.com/standby-oncall/standby/internal/engine"
	"github.com/standby-oncall/standby/internal/hub"
	"github.com/standby-oncall/standby/internal/notify"
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/secrets"
)

// role is what a member is in the storm.
type role int

const (
	onCall  role = iota // on call by their calendar, not quiet
	inQuiet             // in their quiet hours, not on call
	free                // neither
)

func (r role) String() string {
	return [...]string{"on call", "quiet hours", "free"}[r]
}

// persona is one member of the scenario.
type persona struct {
	name string
	role role
	zone string
}

// storm's five members: each zone is explicit and every window is placed
// relative to the bench's start, so the run does not depend on the time of
// day or the machine's zone.
var storm = []persona{
	{"alice", onCall, "Europe/Berlin"},
	{"bob", inQuiet, "Asia/Tokyo"},
	{"carol", inQuiet, "America/Chicago"},
	{"dave", free, "UTC"},
	{"erin", free, "America/Sao_Paulo"},
}

// bubble is one notification a member's notifier got.
type bubble struct {
	at       time.Time
	key      string
	title    string
	body     string
	critical bool
}

// member is one teammate's Standby: the real application service, run as
// the tray runs it (Service.Run), with a notifier and an alarm that count.
type member struct {
	persona
	svc *app.Service

	mu      sync.Mutex
	bubbles []bubble
	sounds  int
	claimer func(b bubble) // the on-call member's hand on the mouse
}

// Send records n; a loud one may be claimed.
func (m *member) Send(n notify.Notification) error {
	b := bubble{at: time.Now(), key: n.Key, title: n.Title, body: n.Body, critical: n.Urgency == notify.Critical}
	m.mu.Lock()
	m.bubbles = append(m.bubbles, b)
	claim := m.claimer
	m.mu.Unlock()
	if claim != nil && b.critical {
		claim(b)
	}
	return nil
}

// Dismiss is a no-op: closing a bubble is not an interruption.
func (m *member) Dismiss(string) error { return nil }

// Ring counts the alarm starting for a page (its repeats are not counted).
func (m *member) Ring(context.Context, string, time.Duration) {
	m.mu.Lock()
	m.sounds++
	m.mu.Unlock()
}

// Stop, StopAll, Ringing and Test complete app.Alarm.
func (m *member) Stop(string)                {}
func (m *member) StopAll()                   {}
func (m *member) Ringing() []string          { return nil }
func (m *member) Test(context.Context) error { return nil }
func (m *member) loud() []bubble             { return m.filter(func(b bubble) bool { return b.critical }) }
func (m *member) filter(ok func(bubble) bool) []bubble {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []bubble
	for _, b := range m.bubbles {
		if ok(b) {
			out = append(out, b)
		}
	}
	return out
}

// memberConfig is the member's config file: zone, sound on, quiet windows
// and holds; the on-call member gets a calendar feed.
func memberConfig(p persona, start time.Time, hubURL, feed string, hold time.Duration) (string, error) {
	loc, err := time.LoadLocation(p.zone)
	if err != nil {
		return "", fmt.Errorf("zone %s: %w", p.zone, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "version = 1\n\n[user]\nzone = %q\n\n[notify]\nsound = true\n\n[team]\nurls = [%q]\nhold_high = %q\nhold_low = %q\n\n[quiet]\n",
		p.zone, hubURL, hold.String(), (5 * hold).String())
	if p.role == inQuiet {
		// Quiet from an hour before the start until two hours after it.
		from, to := start.Add(-time.Hour).In(loc), start.Add(2*time.Hour).In(loc)
		fmt.Fprintf(&b, "\n[[quiet.windows]]\ndays = [%q]\nfrom = %q\nto = %q\n",
			strings.ToLower(from.Weekday().String()[:3]), from.Format("15:04"), to.Format("15:04"))
	}
	if feed != "" {
		fmt.Fprintf(&b, "\n[[feeds]]\nname = \"payments\"\nurl = %q\nme = \"all\"\n", feed)
	}
	return b.String(), nil
}

// onCallFeed is a calendar that puts its reader on call from an hour
// before start until three hours after.
func onCallFeed(start time.Time) string {
	f := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//standby bench//EN\r\nX-WR-CALNAME:Payments Primary\r\n" +
		"BEGIN:VEVENT\r\nUID:bench-shift@standby\r\nDTSTAMP:" + f(start) + "\r\nDTSTART:" + f(start.Add(-time.Hour)) +
		"\r\nDTEND:" + f(start.Add(3*time.Hour)) + "\r\nSUMMARY:On call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// startMember opens p's Standby in dir, joins it to the hub and runs it.
func startMember(ctx context.Context, p persona, dir string, h *hub.Hub, start time.Time, hold time.Duration) (*member, func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	feed := ""
	if p.role == onCall {
		feed = filepath.Join(dir, "oncall.ics")
		if err := os.WriteFile(feed, []byte(onCallFeed(start)), 0o600); err != nil {
			return nil, nil, err
		}
	}
	cfg, err := memberConfig(p, start, h.ClientURL(), feed, hold)
	if err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o600); err != nil {
		return nil, nil, err
	}
	m := &member{persona: p}
	svc, err := app.Open(ctx, app.Options{ConfigPath: filepath.Join(dir, "config.toml"), StatePath: filepath.Join(dir, "state.db"),
		Notifier: m, Alarm: m, Secrets: &secrets.Store{Service: "standby-bench-" + p.name, Backend: secrets.Keyring{}, Timeout: 2 * time.Second}})
	if err != nil {
		return nil, nil, fmt.Errorf("opening %s's Standby: %w", p.name, err)
	}
	if err := svc.ConfigErr(); err != nil {
		svc.Close()
		return nil, nil, fmt.Errorf("%s's config: %w", p.name, err)
	}
	m.svc = svc
	tok, err := h.Store().AddMember(p.name, []string{h.ClientURL()})
	if err != nil {
		svc.Close()
		return nil, nil, err
	}
	if err := h.Reload(); err != nil {
		svc.Close()
		return nil, nil, err
	}
	if _, err := svc.TeamJoin(ctx, tok.Encode(), nil); err != nil {
		svc.Close()
		return nil, nil, fmt.Errorf("%s joining: %w", p.name, err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(rctx) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintf(os.Stderr, "team: %s's Standby stopped: %v\n", p.name, err)
		}
		svc.Close()
	}
	return m, stop, nil
}

// ready waits until m's own state is as its persona says (on call, quiet)
// and it sees the team as the scenario needs: every member online and the
// on-call member on call and ringable.
func (m *member) ready(ctx context.Context, onCallName string, members int) error {
	changes, cancel := m.svc.Changes()
	defer cancel()
	tick := time.NewTicker(250 * time.Millisecond) // TeamStatus asks the hub; it does not signal
	defer tick.Stop()
	for {
		why := m.notReady(ctx, onCallName, members)
		if why == "" {
			return nil
		}
		select {
		case <-changes:
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %s", m.name, why)
		}
	}
}

func (m *member) notReady(ctx context.Context, onCallName string, members int) string {
	q := m.svc.Quiet(ctx, time.Now())
	if q.OnCall.OnCall != (m.role == onCall) {
		return fmt.Sprintf("on call = %v by its schedule", q.OnCall.OnCall)
	}
	if q.Quiet != (m.role == inQuiet) {
		return fmt.Sprintf("quiet = %v (%s)", q.Quiet, q.Summary)
	}
	st := m.svc.TeamStatus(ctx)
	if !st.Connected || len(st.Members) != members {
		return fmt.Sprintf("team: connected %v, %d of %d online", st.Connected, len(st.Members), members)
	}
	for _, tm := range st.Members {
		if tm.Name == onCallName && (!tm.OnCall || !tm.Ringable) {
			return fmt.Sprintf("%s seen on call %v, ringable %v", onCallName, tm.OnCall, tm.Ringable)
		}
	}
	return ""
}

var pageNumber = regexp.MustCompile(`storm page (\d{3})`)

// pagesIn returns the storm pages a bubble is about: its own, or those a
// summary bubble names.
func pagesIn(b bubble) []int {
	var out []int
	for _, m := range pageNumber.FindAllStringSubmatch(b.title+"\n"+b.body, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// claimAfter makes m claim each page a loud bubble rings for, after
// delay(i), unless delay reports never. A summary bubble ("N new pages")
// names only its first pages: it is answered as opening the window would
// be, by claiming every page that rang and is not claimed yet.
func (m *member) claimAfter(ctx context.Context, delay func(i int) (time.Duration, bool), wg *sync.WaitGroup) {
	var mu sync.Mutex
	seen := map[int]bool{}
	schedule := func(i int, id page.ID) {
		mu.Lock()
		dup := seen[i]
		seen[i] = true
		mu.Unlock()
		d, ok := delay(i)
		if dup || !ok {
			return
		}
		wg.Add(1)
		time.AfterFunc(d, func() {
			defer wg.Done()
			if _, err := m.svc.Look(ctx, id, time.Now()); err != nil && ctx.Err() == nil {
				fmt.Fprintf(os.Stderr, "team: %s could not claim page %d: %v\n", m.name, i, err)
			}
		})
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.claimer = func(b bubble) {
		if id, err := page.ParseID(b.key); err == nil && len(pagesIn(b)) == 1 {
			schedule(pagesIn(b)[0], id)
			return
		}
		wg.Add(1)
		go func() { // not on the notifier's goroutine: the snapshot asks alerting
			defer wg.Done()
			for _, v := range m.svc.Snapshot(ctx, time.Now()).Pages {
				if i := stormPage(v.Title); i >= 0 && v.Decision.Level == engine.Loud {
					schedule(i, v.ID)
				}
			}
		}()
	}
}
