package cli_test

// End-to-end tests of the command line: every test runs cli.Main in
// process against a fresh config file, a fresh state database and the
// mock keyring, and asserts exactly what a user would see: stdout, stderr
// and the exit status. Paging systems are real where we have them (a real
// Alertmanager process) and documented-API fakes otherwise (pdfake).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/standby-oncall/standby/internal/cli"
	"github.com/standby-oncall/standby/internal/secrets"
	"github.com/standby-oncall/standby/internal/source/alertmanager/amtest"
	"github.com/standby-oncall/standby/internal/source/pagerduty/pdfake"
)

// keyringService is the keyring service name the tests' secrets use.
const keyringService = "test"

// world is one user's machine: a config file, a state database, the mock
// keyring and a clock. Each run is a fresh process-equivalent.
type world struct {
	t      *testing.T
	dir    string
	config string
	state  string
	now    func() time.Time
	// outputs collects everything printed, to check that no secret leaks.
	outputs []string
}

func newWorld(t *testing.T, configText string) *world {
	t.Helper()
	keyring.MockInit() // a fresh, empty mock keyring for this test
	dir := t.TempDir()
	w := &world{t: t, dir: dir, config: filepath.Join(dir, "config.toml"), state: filepath.Join(dir, "state.db")}
	if configText != "" {
		if err := os.WriteFile(w.config, []byte(configText), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// result is one command's outcome.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("standby %s → exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// run runs `standby --config FILE args…` with stdin.
func (w *world) run(stdin string, args ...string) result {
	w.t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--config", w.config}, args...)
	code := cli.Main(full, cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Secrets: secrets.New(keyringService), Now: w.now, StatePath: w.state,
	})
	r := result{args: args, stdout: out.String(), stderr: errb.String(), code: code}
	w.outputs = append(w.outputs, r.stdout, r.stderr)
	return r
}

// ok runs the command and fails the test unless it exits 0.
func (w *world) ok(stdin string, args ...string) result {
	w.t.Helper()
	r := w.run(stdin, args...)
	if r.code != 0 {
		w.t.Fatalf("want exit 0:\n%s", r)
	}
	return r
}

// never fails the test if secret appears in any output so far or in the
// config file.
func (w *world) never(secret string) {
	w.t.Helper()
	for _, o := range w.outputs {
		if strings.Contains(o, secret) {
			w.t.Fatalf("a secret appeared in the output:\n%s", strings.ReplaceAll(o, secret, "<SECRET>"))
		}
	}
	if b, err := os.ReadFile(w.config); err == nil && strings.Contains(string(b), secret) {
		w.t.Fatalf("a secret is in the config file:\n%s", strings.ReplaceAll(string(b), secret, "<SECRET>"))
	}
}

func (w *world) readConfig() string {
	w.t.Helper()
	b, err := os.ReadFile(w.config)
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// pageOut is the part of `pages --json` the tests look at.
type pageOut struct {
	ID       string `json:"id"`
	Source   string `json:"source"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Urgency  string `json:"urgency"`
	Status   string `json:"status"`
	AckedBy  string `json:"acked_by"`
	Claims   []struct {
		By      string    `json:"by"`
		Kind    string    `json:"kind"`
		Origin  string    `json:"origin"`
		Expires time.Time `json:"expires"`
	} `json:"claims"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

type pagesOut struct {
	Pages   []pageOut `json:"pages"`
	Sources []struct {
		Name   string `json:"name"`
		Health string `json:"health"`
		Error  string `json:"error"`
	} `json:"sources"`
	Demo bool `json:"demo"`
}

func decodePages(t *testing.T, r result) pagesOut {
	t.Helper()
	var out pagesOut
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("pages --json is not JSON: %v\n%s", err, r)
	}
	return out
}

func (p pagesOut) find(id string) (pageOut, bool) {
	i := slices.IndexFunc(p.Pages, func(x pageOut) bool { return x.ID == id })
	if i < 0 {
		return pageOut{}, false
	}
	return p.Pages[i], true
}

// wednesday is a fixed instant: Wed 12 Mar 2025 10:00 in Berlin (CET),
// outside the default quiet windows.
var wednesday = time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC)

func fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

// closedURL is an http URL on loopback where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func oneLine(t *testing.T, what, s string) {
	t.Helper()
	if strings.Count(strings.TrimRight(s, "\n"), "\n") != 0 || strings.TrimSpace(s) == "" {
		t.Fatalf("%s: want exactly one line, got %q", what, s)
	}
}

const aliceConfig = `[user]
name = "alice"
email = "alice@example.com"
zone = "Europe/Berlin"
`

func TestAlertmanagerEndToEnd(t *testing.T) {
	am := amtest.Start(t, amtest.Options{})
	w := newWorld(t, aliceConfig)
	w.now = fixed(wednesday)

	r := w.ok("", "source", "add", "alertmanager", "--name", "am", "--url", am.URL)
	if !strings.Contains(r.stdout, "Source am added to "+w.config) || !strings.Contains(r.stdout, "Test: ok: 0 open pages") {
		t.Fatalf("source add output:\n%s", r)
	}
	if cfg := w.readConfig(); !strings.Contains(cfg, am.URL) || !strings.Contains(cfg, "name = 'alice'") || !strings.Contains(cfg, "from = '22:00'") {
		t.Fatalf("config after source add lost the source or the user:\n%s", cfg)
	}

	am.Post(t, amtest.Alert{Labels: map[string]string{"alertname": "DiskFull", "severity": "critical", "instance": "db-1"},
		Annotations: map[string]string{"summary": "Disk on db-1 is full"}})
	fp := am.Fingerprint(t, "DiskFull")
	if fp == "" {
		t.Fatal("Alertmanager does not list the alert just posted")
	}
	id := "am/" + fp

	p, ok := decodePages(t, w.ok("", "pages", "--json")).find(id)
	if !ok {
		t.Fatalf("pages --json lacks %s", id)
	}
	if p.Source != "am" || p.Kind != "alertmanager" || p.Status != "triggered" || p.Severity != "critical" || p.Urgency != "high" {
		t.Errorf("page %s: %+v", id, p)
	}
	if p.Decision != "loud" || p.Reason != "Loud: outside quiet hours" {
		t.Errorf("decision of a new critical page on Wednesday morning = %q %q, want loud / outside quiet hours", p.Decision, p.Reason)
	}

	r = w.ok("", "ack", id)
	if r.stdout != id+": ack done.\n" {
		t.Errorf("ack output:\n%s", r)
	}
	var mine []amtest.Silence
	for _, s := range am.Silences(t) {
		if s.Status.State == "active" {
			mine = append(mine, s)
		}
	}
	if len(mine) != 1 || mine[0].CreatedBy != "standby:alice" {
		t.Fatalf("active silences after ack = %+v, want one created by standby:alice", mine)
	}
	silenceID := mine[0].ID

	p, ok = decodePages(t, w.ok("", "pages", "--json")).find(id)
	if !ok || p.Status != "acknowledged" || p.AckedBy != "alice" || p.Decision != "quiet" || p.Reason != "Quiet: acked by you" {
		t.Fatalf("page after ack: %+v (found %v)", p, ok)
	}
	table := w.ok("", "pages").stdout
	if !strings.Contains(table, fp) || !strings.Contains(table, "acked by alice") {
		t.Errorf("pages table after ack:\n%s", table)
	}

	w.ok("", "unack", id)
	for _, s := range am.Silences(t) {
		if s.ID == silenceID && s.Status.State != "expired" {
			t.Fatalf("silence %s after unack is %q, want expired", s.ID, s.Status.State)
		}
	}

	r = w.ok("", "source", "test", "am")
	if !strings.HasPrefix(r.stdout, "am: ok: 1 open pages (") {
		t.Errorf("source test am:\n%s", r)
	}

	// "I'm looking" on Alertmanager is a local claim only (no notes there),
	// and a one-shot command's local claim ends with the process.
	r = w.ok("", "look", id)
	if r.stdout != "You are looking at "+id+" until 10:30.\n" {
		t.Errorf("look output (Now is 10:00 in Berlin, claims last 30 min):\n%s", r)
	}
	p, _ = decodePages(t, w.ok("", "pages", "--json")).find(id)
	if len(p.Claims) != 0 {
		t.Errorf("a local claim from an earlier command survived into a new one: %+v", p.Claims)
	}

	r = w.run("", "ack", "nosuch/1")
	if r.code != 1 || !strings.Contains(r.stderr, `no such source "nosuch"`) {
		t.Errorf("ack on an unknown source:\n%s", r)
	}

	r = w.ok("", "source", "list")
	if !strings.Contains(r.stdout, "am") || !strings.Contains(r.stdout, am.URL) {
		t.Errorf("source list:\n%s", r)
	}
}

func TestAlertmanagerUnreachable(t *testing.T) {
	down := closedURL(t)
	w := newWorld(t, aliceConfig)
	r := w.run("", "source", "add", "alertmanager", "--name", "down", "--url", down)
	if r.code != 1 {
		t.Fatalf("adding an unreachable Alertmanager should fail its test:\n%s", r)
	}
	oneLine(t, "stderr of source add", r.stderr)
	if !strings.HasPrefix(r.stderr, "standby: source down added but not working: ") {
		t.Errorf("stderr:\n%s", r)
	}
	// It was added all the same (the test is a check, not a gate).
	if !strings.Contains(w.readConfig(), down) {
		t.Errorf("source not saved:\n%s", w.readConfig())
	}
	r = w.run("", "source", "test", "down")
	if r.code != 1 {
		t.Fatalf("source test of an unreachable source:\n%s", r)
	}
	oneLine(t, "stderr of source test", r.stderr)
	if !strings.HasPrefix(r.stderr, "standby: down: ") || strings.Contains(r.stdout, "ok:") {
		t.Errorf("source test output:\n%s", r)
	}
	r = w.run("", "pages")
	if r.code != 1 || !strings.Contains(r.stderr, "source down: ") || !strings.Contains(r.stdout, "No open pages.") {
		t.Errorf("pages with an unreachable source should list nothing and fail:\n%s", r)
	}
}

func TestPagerDutyEndToEnd(t *testing.T) {
	const token = "u+PDtok-7c1f6e0a9b2d"
	pd := pdfake.New(t, token, false)
	pd.AddUser("alice", "alice@example.com")
	inc := pd.Trigger(pdfake.Incident{Title: "Checkout is down", Service: "checkout", ServiceID: "PSVC1"})
	inc2 := pd.Trigger(pdfake.Incident{Title: "Queue is backing up", Service: "orders", ServiceID: "PSVC2", Urgency: "low"})
	w := newWorld(t, aliceConfig)

	r := w.ok(token+"\n", "source", "add", "pagerduty", "--name", "pd", "--url", pd.URL, "--token-stdin")
	if !strings.Contains(r.stdout, "Test: ok: 2 open pages") {
		t.Errorf("source add:\n%s", r)
	}
	if got, err := keyring.Get(keyringService, secrets.SourceKey("pd")); err != nil || got != token {
		t.Fatalf("the token is not in the keyring (err %v)", err)
	}
	cfg := w.readConfig()
	if strings.Contains(cfg, token) || !strings.Contains(cfg, "has_token = true") || !strings.Contains(cfg, pd.URL) {
		t.Fatalf("config after source add (token must not be there, has_token must):\n%s", strings.ReplaceAll(cfg, token, "<SECRET>"))
	}

	out := decodePages(t, w.ok("", "pages", "--json"))
	p, ok := out.find("pd/" + inc)
	if !ok || p.Title != "Checkout is down" || p.Status != "triggered" || p.Decision == "" || p.Reason == "" {
		t.Fatalf("pages --json: %+v", out)
	}

	r = w.ok("", "ack", "pd/"+inc)
	var put *pdfake.Request
	for _, req := range pd.Requests() {
		if req.Method == http.MethodPut && req.Path == "/incidents" {
			put = &req
		}
	}
	if put == nil || put.Header.Get("From") != "alice@example.com" {
		t.Fatalf("ack sent no PUT /incidents with From: alice@example.com: %+v", put)
	}
	if st, _ := pd.Incident(inc); st.Status != "acknowledged" {
		t.Fatalf("incident after ack is %q", st.Status)
	}
	p, _ = decodePages(t, w.ok("", "pages", "--json")).find("pd/" + inc)
	if p.Status != "acknowledged" || p.AckedBy != "alice" {
		t.Errorf("page after ack: %+v", p)
	}

	// "I'm looking" is mirrored upstream as a note, which is what survives
	// this process: the next command reads it back as alice's claim.
	r = w.ok("", "look", "pd/"+inc2)
	if !strings.HasPrefix(r.stdout, "You are looking at pd/"+inc2+" until ") {
		t.Errorf("look output:\n%s", r)
	}
	if notes := pd.Notes(inc2); !slices.Equal(notes, []string{"standby: alice is looking"}) {
		t.Fatalf("notes on %s = %q", inc2, notes)
	}
	p, _ = decodePages(t, w.ok("", "pages", "--json")).find("pd/" + inc2)
	if len(p.Claims) != 1 || p.Claims[0].By != "alice" || p.Claims[0].Origin != "upstream" || p.Claims[0].Kind != "looking" {
		t.Fatalf("claims after look, in a new process: %+v", p.Claims)
	}
	if p.Decision != "quiet" || p.Reason != "Quiet: you are looking" {
		t.Errorf("decision after my look = %q %q", p.Decision, p.Reason)
	}

	// PagerDuty cannot un-acknowledge; the command says so and fails.
	r = w.run("", "unack", "pd/"+inc)
	if r.code != 1 {
		t.Errorf("unack on PagerDuty:\n%s", r)
	}

	list := w.ok("", "source", "list")
	if !strings.Contains(list.stdout, "in keyring") {
		t.Errorf("source list:\n%s", list)
	}
	listJSON := w.ok("", "source", "list", "--json")
	if !strings.Contains(listJSON.stdout, `"has_token":true`) {
		t.Errorf("source list --json:\n%s", listJSON)
	}
	w.never(token)
}

func TestPagerDutyWrongToken(t *testing.T) {
	const good, wrong = "good-token-1234567890", "WRONG-token-0987654321"
	pd := pdfake.New(t, good, false)
	w := newWorld(t, aliceConfig)
	r := w.run(wrong, "source", "add", "pagerduty", "--name", "pd", "--url", pd.URL, "--token-stdin")
	if r.code != 1 || !strings.Contains(r.stdout, "Test: token rejected (401)") {
		t.Fatalf("source add with a wrong token:\n%s", strings.ReplaceAll(r.String(), wrong, "<SECRET>"))
	}
	oneLine(t, "stderr", r.stderr)
	r = w.run("", "source", "test", "pd")
	if r.code != 1 || !strings.Contains(r.stdout, "pd: token rejected (401)") || r.stderr != "standby: pd: token rejected (401)\n" {
		t.Fatalf("source test with a wrong token:\n%s", strings.ReplaceAll(r.String(), wrong, "<SECRET>"))
	}
	r = w.run("", "pages", "--json")
	out := decodePages(t, r)
	if len(out.Sources) != 1 || !strings.Contains(out.Sources[0].Error, "token rejected (401)") || out.Sources[0].Health != "failing" {
		t.Errorf("pages --json sources with a wrong token: %+v", out.Sources)
	}
	// An empty stdin is refused before anything is stored.
	r = w.run("", "source", "add", "pagerduty", "--name", "pd2", "--url", pd.URL, "--token-stdin")
	if r.code != 1 || !strings.Contains(r.stderr, "standard input was empty") {
		t.Errorf("empty token:\n%s", r)
	}
	w.never(wrong)
	w.never(good)
}

// TestPagesSourceCannotStart: a source whose token cannot be read is not
// silently dropped: `pages` names it and why, and exits 1.
func TestPagesSourceCannotStart(t *testing.T) {
	const token = "tok-pd-0a1b2c3d4e5f"
	pd := pdfake.New(t, token, false)
	pd.Trigger(pdfake.Incident{Title: "Checkout is down", Service: "checkout", ServiceID: "PSVC1"})
	w := newWorld(t, aliceConfig)
	w.now = fixed(wednesday)
	w.ok(token+"\n", "source", "add", "pagerduty", "--name", "pd", "--url", pd.URL, "--token-stdin")
	for _, tc := range []struct {
		name    string
		keyring func()
		want    string
	}{
		{"token gone from the keyring", func() { keyring.MockInit() }, "no secret stored"},
		{"no keyring", func() {
			keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
		}, "no OS keyring available"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.keyring()
			r := w.run("", "pages")
			if r.code != 1 || !strings.HasPrefix(r.stderr, "standby: source pd could not start: ") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("pages with a source that cannot start:\n%s", r)
			}
			oneLine(t, "stderr", r.stderr)
			r = w.run("", "pages", "--json")
			out := decodePages(t, r)
			if r.code != 1 || len(out.Sources) != 1 || out.Sources[0].Name != "pd" || out.Sources[0].Health != "not started" || !strings.Contains(out.Sources[0].Error, tc.want) {
				t.Errorf("pages --json sources = %+v:\n%s", out.Sources, r)
			}
		})
	}
	w.never(token)
}

// rotation is a weekly rotation, handing over on Mondays 09:00 UTC: alice
// every other week (from Mon 1 Jan 2024), bob in between, plus alice as
// secondary on the first day of bob's weeks, which touches her primary week
// and so merges into one span of 8 days.
const rotation = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-CALNAME:Payments\r\n" +
	"BEGIN:VEVENT\r\nUID:alice@test\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T090000Z\r\nDTEND:20240108T090000Z\r\nRRULE:FREQ=WEEKLY;INTERVAL=2\r\nSUMMARY:On call: alice\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:bob@test\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240108T090000Z\r\nDTEND:20240115T090000Z\r\nRRULE:FREQ=WEEKLY;INTERVAL=2\r\nSUMMARY:On call: bob\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:alice2@test\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240108T090000Z\r\nDTEND:20240109T090000Z\r\nRRULE:FREQ=WEEKLY;INTERVAL=2\r\nSUMMARY:Secondary: alice\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

// aliceShift returns the start of alice's first primary week that starts
// after now.
func aliceShift(now time.Time) time.Time {
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for !start.After(now) {
		start = start.AddDate(0, 0, 14)
	}
	return start
}

type spanOut struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Schedules []string  `json:"schedules"`
	Shifts    []any     `json:"shifts"`
}

func decodeSpans(t *testing.T, r result) []spanOut {
	t.Helper()
	var spans []spanOut
	if err := json.Unmarshal([]byte(r.stdout), &spans); err != nil {
		t.Fatalf("shifts --json: %v\n%s", err, r)
	}
	return spans
}

func TestFeedFromFile(t *testing.T) {
	start := aliceShift(wednesday)
	w := newWorld(t, aliceConfig)
	ics := filepath.Join(w.dir, "rotation.ics")
	if err := os.WriteFile(ics, []byte(rotation), 0o600); err != nil {
		t.Fatal(err)
	}
	w.now = fixed(start.Add(50 * time.Hour)) // Wednesday 11:00 UTC of her week
	r := w.ok("", "feed", "add", "primary", ics, "--me", "name:alice")
	if !strings.HasPrefix(r.stdout, "Feed primary added: ") {
		t.Errorf("feed add:\n%s", r)
	}
	if cfg := w.readConfig(); !strings.Contains(cfg, ics) || strings.Contains(cfg, "secret_url") {
		t.Errorf("a file feed's path belongs in the config, not the keyring:\n%s", cfg)
	}
	// Right after a successful add the feed is fine, not "stale: ".
	if list := w.ok("", "feed", "list"); strings.Contains(list.stdout, "stale") || !strings.Contains(list.stdout, "primary") {
		t.Errorf("feed list right after add:\n%s", list)
	}

	var oc struct {
		OnCall    bool       `json:"on_call"`
		Schedule  string     `json:"schedule"`
		Until     *time.Time `json:"until"`
		NextStart *time.Time `json:"next_start"`
		NextEnd   *time.Time `json:"next_end"`
	}
	r = w.ok("", "oncall", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &oc); err != nil {
		t.Fatalf("oncall --json: %v\n%s", err, r)
	}
	wantUntil := start.AddDate(0, 0, 8) // her week plus the secondary day
	if !oc.OnCall || oc.Until == nil || !oc.Until.Equal(wantUntil) || oc.Schedule != "Payments" {
		t.Fatalf("oncall --json = %+v, want on call for Payments until %v\n%s", oc, wantUntil, r)
	}
	if oc.NextStart == nil || !oc.NextStart.Equal(start.AddDate(0, 0, 14)) || !oc.NextEnd.Equal(start.AddDate(0, 0, 22)) {
		t.Errorf("next shift = %v → %v, want %v → %v", oc.NextStart, oc.NextEnd, start.AddDate(0, 0, 14), start.AddDate(0, 0, 22))
	}

	// Bob's week: not on call.
	w.now = fixed(start.AddDate(0, 0, 10))
	r = w.ok("", "oncall")
	if !strings.HasPrefix(r.stdout, "Not on call.\nNext shift: ") {
		t.Errorf("oncall in bob's week:\n%s", r)
	}

	from, to := start.Add(-time.Hour), start.AddDate(0, 0, 28)
	spans := decodeSpans(t, w.ok("", "shifts", "--json", "--from", from.Format(time.RFC3339), "--to", to.Format(time.RFC3339)))
	want := []struct{ start, end time.Time }{
		{start, start.AddDate(0, 0, 8)},
		{start.AddDate(0, 0, 14), start.AddDate(0, 0, 22)},
	}
	if len(spans) != len(want) {
		t.Fatalf("shifts --json: %d spans, want %d: %+v", len(spans), len(want), spans)
	}
	for i, sp := range spans {
		if !sp.Start.Equal(want[i].start) || !sp.End.Equal(want[i].end) || len(sp.Shifts) != 2 || !slices.Equal(sp.Schedules, []string{"Payments"}) {
			t.Errorf("span %d = %v → %v (%d shifts, %v), want %v → %v, 2 merged shifts", i, sp.Start, sp.End, len(sp.Shifts), sp.Schedules, want[i].start, want[i].end)
		}
	}
}

// icsServer serves the rotation until it is told to fail.
type icsServer struct {
	mu   sync.Mutex
	fail bool
	hits int
}

func (s *icsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	if s.fail {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar")
	fmt.Fprint(w, rotation)
}

func TestFeedFromURLKeepsLastGoodCopy(t *testing.T) {
	srv := &icsServer{}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	const secretPath = "/private/feedtoken-5f2e9c/oncall.ics"
	feedURL := hs.URL + secretPath

	start := aliceShift(wednesday)
	w := newWorld(t, aliceConfig)
	w.now = fixed(start.Add(50 * time.Hour))
	w.ok("", "feed", "add", "primary", feedURL, "--me", "name:alice")
	if got, err := keyring.Get(keyringService, secrets.FeedKey("primary")); err != nil || got != feedURL {
		t.Fatalf("feed URL not in the keyring (err %v)", err)
	}
	if cfg := w.readConfig(); !strings.Contains(cfg, "secret_url = true") || strings.Contains(cfg, hs.URL) {
		t.Fatalf("config must say the URL is in the keyring and not hold it:\n%s", cfg)
	}
	args := []string{"shifts", "--json", "--from", start.Format(time.RFC3339), "--to", start.AddDate(0, 0, 1).Format(time.RFC3339)}
	if spans := decodeSpans(t, w.ok("", args...)); len(spans) != 1 {
		t.Fatalf("shifts before the failure: %+v", spans)
	}
	hits := srv.hits

	srv.mu.Lock()
	srv.fail = true
	srv.mu.Unlock()
	r := w.run("", "feed", "refresh")
	if r.code != 1 || !strings.Contains(r.stderr, "primary: ") || !strings.Contains(r.stderr, "500") || !strings.Contains(r.stderr, "keeping the last good copy") {
		t.Fatalf("feed refresh against a failing server:\n%s", r)
	}
	if srv.hits != hits+1 {
		t.Errorf("feed refresh fetched %d times, want once", srv.hits-hits)
	}
	// The last good copy still answers, as JSON and as a table; both say
	// the feed is stale on stderr and exit 1.
	r = w.run("", args...)
	if r.code != 1 || !strings.Contains(r.stderr, "feed primary is stale") {
		t.Fatalf("shifts --json with a stale feed:\n%s", r)
	}
	if spans := decodeSpans(t, r); len(spans) != 1 || !spans[0].Start.Equal(start) {
		t.Fatalf("shifts after a failed refresh: %+v", spans)
	}
	r = w.run("", "shifts", "--from", start.Format(time.RFC3339), "--to", start.AddDate(0, 0, 1).Format(time.RFC3339))
	if r.code != 1 || !strings.Contains(r.stdout, "Payments") || !strings.Contains(r.stderr, "feed primary is stale") || !strings.Contains(r.stderr, "500") {
		t.Errorf("shifts with a stale feed:\n%s", r)
	}
	list := w.ok("", "feed", "list")
	if !strings.Contains(list.stdout, "stale: ") {
		t.Errorf("feed list:\n%s", list)
	}
	w.never("feedtoken-5f2e9c")
}

// TestShiftsAnyRange asks for shifts two years after the clock: they come
// from the cached calendar, not only from the days kept around now.
func TestShiftsAnyRange(t *testing.T) {
	w := newWorld(t, aliceConfig)
	ics := filepath.Join(w.dir, "rotation.ics")
	if err := os.WriteFile(ics, []byte(rotation), 0o600); err != nil {
		t.Fatal(err)
	}
	w.now = fixed(wednesday)
	w.ok("", "feed", "add", "primary", ics, "--me", "name:alice")
	r := w.ok("", "shifts", "--from", "2027-03-01", "--to", "2027-05-01")
	if strings.Contains(r.stdout, "No shifts") {
		t.Fatalf("shifts two years ahead:\n%s", r)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2027, 3, 1, 0, 0, 0, 0, berlin), time.Date(2027, 5, 1, 0, 0, 0, 0, berlin)
	var want []time.Time // alice's primary weeks (plus the secondary day) touching the range
	for s := aliceShift(from.AddDate(0, 0, -14)); s.Before(to); s = s.AddDate(0, 0, 14) {
		if s.AddDate(0, 0, 8).After(from) {
			want = append(want, s)
		}
	}
	spans := decodeSpans(t, w.ok("", "shifts", "--json", "--from", "2027-03-01", "--to", "2027-05-01"))
	if len(spans) != len(want) || len(want) < 4 {
		t.Fatalf("shifts --json in Mar–Apr 2027: %d spans, want %d: %+v", len(spans), len(want), spans)
	}
	for i, sp := range spans {
		if !sp.Start.Equal(want[i]) || !sp.End.Equal(want[i].AddDate(0, 0, 8)) {
			t.Errorf("span %d = %v → %v, want %v → %v", i, sp.Start, sp.End, want[i], want[i].AddDate(0, 0, 8))
		}
	}
}

func TestICSExpandGolden(t *testing.T) {
	w := newWorld(t, "")
	ics := filepath.Join(w.dir, "rotation.ics")
	if err := os.WriteFile(ics, []byte(rotation), 0o600); err != nil {
		t.Fatal(err)
	}
	r := w.ok("", "ics", "expand", ics, "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "--max", "5")
	want, err := os.ReadFile(filepath.Join("testdata", "rotation-expand.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if r.stdout != string(want) {
		t.Errorf("ics expand:\n%s\nwant:\n%s", r.stdout, want)
	}
	if r.stderr != "" {
		t.Errorf("warnings on a clean calendar: %s", r.stderr)
	}
	r = w.run("", "ics", "expand", filepath.Join(w.dir, "missing.ics"), "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z")
	if r.code != 2 {
		t.Errorf("a missing file:\n%s", r)
	}
}

func TestQuiet(t *testing.T) {
	w := newWorld(t, aliceConfig)
	w.now = fixed(wednesday) // 10:00 in Berlin, outside the quiet windows

	type status struct {
		Quiet   bool      `json:"quiet"`
		Until   time.Time `json:"until"`
		Summary string    `json:"summary"`
	}
	get := func() status {
		t.Helper()
		r := w.ok("", "quiet", "status", "--json")
		var st status
		if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
			t.Fatalf("quiet status --json: %v\n%s", err, r)
		}
		return st
	}
	if st := get(); st.Quiet {
		t.Fatalf("quiet on a Wednesday morning with default windows: %+v", st)
	}
	r := w.ok("", "quiet", "for", "2h")
	if r.stdout != "Quiet until 12:00 — not on call: pages wait for the digest\n" {
		t.Errorf("quiet for 2h:\n%s", r)
	}
	if st := get(); !st.Quiet || !st.Until.Equal(wednesday.Add(2*time.Hour)) {
		t.Errorf("after quiet for 2h: %+v, want quiet until %v", st, wednesday.Add(2*time.Hour))
	}
	w.ok("", "quiet", "off")
	if st := get(); st.Quiet {
		t.Errorf("after quiet off: %+v", st)
	}
	r = w.run("", "quiet", "for", "-1h")
	if r.code == 0 {
		t.Errorf("quiet for a negative duration:\n%s", r)
	}

	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"after 07:00: tomorrow", wednesday, time.Date(2025, 3, 13, 7, 0, 0, 0, berlin)},
		{"before 07:00 in Berlin (but after 07:00 in UTC+…): today", time.Date(2025, 3, 12, 5, 30, 0, 0, time.UTC), time.Date(2025, 3, 12, 7, 0, 0, 0, berlin)},
		{"summer time", time.Date(2025, 7, 2, 4, 30, 0, 0, time.UTC), time.Date(2025, 7, 2, 7, 0, 0, 0, berlin)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.now = fixed(tc.now)
			w.ok("", "quiet", "until", "07:00")
			if st := get(); !st.Quiet || !st.Until.Equal(tc.want) {
				t.Errorf("quiet until 07:00 at %v: %+v, want until %v", tc.now, st, tc.want)
			}
			w.ok("", "quiet", "off")
		})
	}
}

// TestBrokenConfig: every command that reads a config file that cannot be
// read exits 1 with one line naming the line and the key (never answering
// from defaults or demo data with exit 0), and leaves the file alone.
func TestBrokenConfig(t *testing.T) {
	// Line 3 has a key Standby does not know.
	const broken = "[user]\nname = \"alice\"\nnickname = \"al\"\n"
	w := newWorld(t, broken)
	w.now = fixed(wednesday)
	for _, args := range [][]string{
		{"source", "list"},
		{"quiet", "status"},
		{"quiet", "for", "1h"},
		{"oncall"},
		{"shifts"},
		{"feed", "list"},
		{"pages"},
		{"pages", "--json"},
		{"ack", "demo/demo-0000"},
		{"team", "status"},
		{"source", "add", "alertmanager", "--name", "am", "--url", "http://127.0.0.1:9", "--no-test"},
		{"feed", "add", "primary", "/nonexistent.ics"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := w.run("", args...)
			if r.code != 1 || r.stdout != "" {
				t.Errorf("want exit 1 and nothing on stdout:\n%s", r)
			}
			oneLine(t, "stderr", r.stderr)
			if !strings.Contains(r.stderr, "line 3") || !strings.Contains(r.stderr, `"user.nickname"`) {
				t.Errorf("stderr does not name line 3 and the key user.nickname:\n%s", r)
			}
			if got := w.readConfig(); got != broken {
				t.Fatalf("the broken file was changed:\n%s", got)
			}
		})
	}
	// Doctor fails the config check with the reason and goes on with the
	// other checks.
	r := w.run("", "doctor")
	if r.code != 1 || !strings.Contains(r.stdout, "✗ config") || !strings.Contains(r.stdout, "line 3") || !strings.Contains(r.stdout, "keyring") {
		t.Errorf("doctor with a broken config:\n%s", r)
	}
	if strings.Contains(r.stdout, "✓ config") {
		t.Errorf("doctor says the broken config is fine:\n%s", r)
	}
}

func TestBrokenConfigTokenNotStored(t *testing.T) {
	w := newWorld(t, "[user\n")
	const token = "tok-should-not-be-kept-42"
	r := w.run(token, "source", "add", "pagerduty", "--name", "pd", "--url", "http://127.0.0.1:9", "--token-stdin", "--no-test")
	if r.code != 1 {
		t.Fatalf("source add on a broken file:\n%s", r)
	}
	if _, err := keyring.Get(keyringService, secrets.SourceKey("pd")); err == nil {
		t.Errorf("the token of a source that was refused stays in the keyring")
	}
	if w.readConfig() != "[user\n" {
		t.Errorf("broken file changed")
	}
	w.never(token)
}

func TestMeta(t *testing.T) {
	w := newWorld(t, "")
	for _, tc := range []struct {
		args       []string
		code       int
		stdout     string // prefix
		stderrPart string
	}{
		{[]string{"--help"}, 0, "Usage: standby", ""},
		{[]string{"pages", "--help"}, 0, "Usage: standby pages", ""},
		{[]string{"version"}, 0, "standby ", ""},
		{[]string{"frobnicate", "now"}, 2, "", "unexpected argument frobnicate"},
		{[]string{"quiet", "for", "soon"}, 2, "", "standby:"},
		{[]string{"ack"}, 2, "", "expected \"<id>\""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := w.run("", tc.args...)
			if r.code != tc.code || !strings.HasPrefix(r.stdout, tc.stdout) || !strings.Contains(r.stderr, tc.stderrPart) {
				t.Errorf("want exit %d, stdout starting %q, stderr containing %q:\n%s", tc.code, tc.stdout, tc.stderrPart, r)
			}
		})
	}
	// Without a GUI in this build, the default command says so.
	r := w.run("")
	if r.code != 1 || !strings.Contains(r.stderr, "no desktop app") {
		t.Errorf("no command:\n%s", r)
	}
}
