package settings

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/standby-oncall/standby/internal/config"
	"github.com/standby-oncall/standby/internal/secrets"
)

// memKeyring is a Secrets in memory that can be told to fail.
type memKeyring struct {
	mu   sync.Mutex
	m    map[string]string
	fail error
}

func newMem() *memKeyring { return &memKeyring{m: map[string]string{}} }

func (k *memKeyring) Get(_ context.Context, key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[key]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(_ context.Context, key, value string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail != nil {
		return k.fail
	}
	k.m[key] = value
	return nil
}

func (k *memKeyring) Delete(_ context.Context, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, key)
	return nil
}

func (k *memKeyring) has(key string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[key]
	return v, ok
}

func open(t *testing.T) (*Settings, *memKeyring) {
	t.Helper()
	kr := newMem()
	return Open(filepath.Join(t.TempDir(), "config.toml"), kr), kr
}

var pd = config.Source{Name: "pd", Kind: "pagerduty", URL: "https://api.pagerduty.com"}

// TestConcurrentEditsAreAllKept: the Quiet grid, the Settings form and the
// CLI saving at once each keep their edit (read-modify-write under one lock).
func TestConcurrentEditsAreAllKept(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := s.Update(ctx, func(c *config.Config) error {
				c.Feeds = append(c.Feeds, config.Feed{Name: fmt.Sprintf("f%d", i), URL: "/tmp/x.ics"})
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := len(s.Config().Feeds); got != n {
		t.Fatalf("%d feeds live after %d concurrent adds", got, n)
	}
	res, err := config.Load(s.Path())
	if err != nil || len(res.Config.Feeds) != n {
		t.Fatalf("%d feeds in the file (%v), want %d", len(res.Config.Feeds), err, n)
	}
}

// TestInvalidSourceStoresNoToken: the draft is validated before the token
// goes to the keyring; a rejected source neither adds nor overwrites one.
func TestInvalidSourceStoresNoToken(t *testing.T) {
	s, kr := open(t)
	ctx := context.Background()
	bad := config.Source{Name: "am", Kind: "alertmanager", URL: "ftp://nope"}
	if err := s.AddSource(ctx, bad, "tok-1"); err == nil || !strings.Contains(err.Error(), "url") {
		t.Fatalf("bad source: %v", err)
	}
	if _, ok := kr.has(secrets.SourceKey("am")); ok {
		t.Fatal("the token of a rejected source was stored")
	}
	if err := s.AddSource(ctx, pd, "good"); err != nil {
		t.Fatal(err)
	}
	broken := pd
	broken.Kind = "nosuch"
	if err := s.AddSource(ctx, broken, "evil"); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if v, _ := kr.has(secrets.SourceKey("pd")); v != "good" {
		t.Fatalf("a rejected replacement overwrote the token: %q", v)
	}
	if sc, _ := s.Config().SourceByName("pd"); sc.Kind != "pagerduty" || !sc.HasToken {
		t.Fatalf("live source = %+v", sc)
	}
}

// TestSaveFailureRestoresTheToken: when the file cannot be written the old
// token is put back and the live configuration is unchanged.
func TestSaveFailureRestoresTheToken(t *testing.T) {
	dir := t.TempDir()
	kr := newMem()
	s := Open(filepath.Join(dir, "sub", "config.toml"), kr)
	ctx := context.Background()
	if err := s.AddSource(ctx, pd, "old"); err != nil {
		t.Fatal(err)
	}
	// Make the directory unusable: replace it by a file.
	if err := os.RemoveAll(filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSource(ctx, pd, "new"); err == nil {
		t.Fatal("saved into a file path")
	}
	if v, _ := kr.has(secrets.SourceKey("pd")); v != "old" {
		t.Fatalf("token after a failed save = %q, want the old one", v)
	}
	other := config.Source{Name: "pd2", Kind: "pagerduty"}
	if err := s.AddSource(ctx, other, "x"); err == nil {
		t.Fatal("saved into a file path")
	}
	if _, ok := kr.has(secrets.SourceKey("pd2")); ok {
		t.Fatal("a failed save left a new token behind")
	}
}

// TestRemoveSourceDropsTokenAndSession: a GoAlert source's session goes
// with it.
func TestRemoveSourceDropsTokenAndSession(t *testing.T) {
	s, kr := open(t)
	ctx := context.Background()
	ga := config.Source{Name: "ga", Kind: "goalert", URL: "https://goalert.example.com", Username: "alice"}
	if err := s.AddSource(ctx, ga, "pw"); err != nil {
		t.Fatal(err)
	}
	if err := s.KeepSecret(ctx, SessionKey("ga"), "sess"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveSource(ctx, "ga"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{secrets.SourceKey("ga"), SessionKey("ga")} {
		if _, ok := kr.has(k); ok {
			t.Errorf("%s left in the keyring", k)
		}
	}
	if err := s.RemoveSource(ctx, "ga"); err == nil || !strings.Contains(err.Error(), `no source named "ga"`) {
		t.Errorf("removing twice: %v", err)
	}
}

// TestBrokenFileIsNeverOverwritten: no change is saved over a file that
// could not be read, and no secret is stored for it.
func TestBrokenFileIsNeverOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	const broken = "[user]\nnickname = \"al\"\n"
	if err := os.WriteFile(path, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	kr := newMem()
	s := Open(path, kr)
	if s.LoadErr() == nil {
		t.Fatal("broken file loaded")
	}
	err := s.AddFeed(context.Background(), "cal", "https://example.com/private/tok.ics", "all")
	if err == nil || !strings.Contains(err.Error(), "not saving") {
		t.Fatalf("AddFeed on a broken file: %v", err)
	}
	if _, ok := kr.has(secrets.FeedKey("cal")); ok {
		t.Fatal("feed URL stored for a refused change")
	}
	if got, _ := os.ReadFile(path); string(got) != broken {
		t.Fatalf("file changed:\n%s", got)
	}
}

// TestKeyringFailureSavesNothing: a token the keyring refuses is not
// referred to by the file.
func TestKeyringFailureSavesNothing(t *testing.T) {
	s, kr := open(t)
	kr.fail = errors.New("locked")
	if err := s.AddSource(context.Background(), pd, "tok"); err == nil {
		t.Fatal("saved although the keyring failed")
	}
	if _, ok := s.Config().SourceByName("pd"); ok {
		t.Fatal("source live although its token was not stored")
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file written: %v", err)
	}
}

// TestWatchSeesCommittedChanges: watchers get every committed config, and
// Config hands out copies.
func TestWatchSeesCommittedChanges(t *testing.T) {
	s, _ := open(t)
	var seen []string
	s.Watch(func(c config.Config) { seen = append(seen, c.User.Name) })
	for _, name := range []string{"alice", "bob"} {
		if err := s.Update(context.Background(), func(c *config.Config) error { c.User.Name = name; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(seen, ",") != "alice,bob" {
		t.Fatalf("watchers saw %v", seen)
	}
	c := s.Config()
	c.Team.URLs = append(c.Team.URLs, "nats://x")
	if len(s.Config().Team.URLs) != 0 {
		t.Fatal("Config shares its slices with the live config")
	}
}

// TestFeedURLCheckedBeforeTheKeyring: a calendar URL that cannot be
// fetched is refused before it is stored (it would be hidden in the
// keyring, where validation of the file never sees it).
func TestFeedURLCheckedBeforeTheKeyring(t *testing.T) {
	s, kr := open(t)
	ctx := context.Background()
	for _, bad := range []string{"ftp://example.com/cal.ics", "https:///no-host.ics"} {
		if err := s.AddFeed(ctx, "cal", bad, "all"); err == nil || !strings.HasPrefix(err.Error(), "feed url: ") {
			t.Fatalf("AddFeed(%q) = %v, want a feed url error", bad, err)
		}
		if _, ok := kr.has(secrets.FeedKey("cal")); ok {
			t.Fatalf("%q stored in the keyring", bad)
		}
	}
	if err := s.AddFeed(ctx, "cal", "webcal://example.com/private/tok/cal.ics", "email:a@example.com"); err != nil {
		t.Fatal(err)
	}
	if v, _ := kr.has(secrets.FeedKey("cal")); v != "webcal://example.com/private/tok/cal.ics" {
		t.Fatalf("keyring has %q", v)
	}
	f, _ := s.Config().FeedByName("cal")
	if f.URL != "" || !f.SecretURL {
		t.Fatalf("feed in the file = %+v", f)
	}
	if err := s.AddFeed(ctx, "cal", "/home/alice/cal.ics", "all"); err != nil {
		t.Fatal(err)
	}
	if _, ok := kr.has(secrets.FeedKey("cal")); ok {
		t.Fatal("the old URL stays in the keyring after the feed became a file")
	}
}
