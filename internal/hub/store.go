package hub

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/nats-io/nkeys"

	"github.com/standby-oncall/standby/internal/bus"
)

// teamFile is the team file in the data dir: members with their nkey public
// keys and webhooks with the SHA-256 of their bearer tokens. It holds no
// secret: the seeds and tokens exist only in what add-member/add-webhook
// printed.
const teamFile = "team.json"

// Member is a team member as stored: name and nkey public key.
type Member struct {
	Name  string    `json:"name"`
	NKey  string    `json:"nkey"`
	Added time.Time `json:"added"`
}

// Webhook is a webhook credential as stored. Tokens are 256-bit random, so
// a plain SHA-256 is enough to make the file useless to a thief (no
// dictionary to try), and it costs microseconds per request where bcrypt
// would add ~50 ms to every Alertmanager delivery.
type Webhook struct {
	Name        string    `json:"name"`
	TokenSHA256 string    `json:"token_sha256"`
	Added       time.Time `json:"added"`
}

type team struct {
	Members  []Member  `json:"members"`
	Webhooks []Webhook `json:"webhooks"`
}

// Store is the hub's member and webhook list in its data dir. The CLI edits
// it; a running hub notices the change and reloads.
type Store struct{ dir string }

// OpenStore opens (creating if needed) the data dir at dir.
func OpenStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("hub data dir not set (--data)")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data dir: %w", err)
	}
	return &Store{dir: dir}, nil
}

func (s *Store) path() string { return filepath.Join(s.dir, teamFile) }

func (s *Store) load() (team, error) {
	var t team
	raw, err := os.ReadFile(s.path())
	if errors.Is(err, os.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return t, fmt.Errorf("reading team file: %w", err)
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return t, fmt.Errorf("parsing team file %s: %w", s.path(), err)
	}
	return t, nil
}

func (s *Store) save(t team) error {
	raw, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding team file: %w", err)
	}
	tmp, err := os.CreateTemp(s.dir, ".team-*.json")
	if err != nil {
		return fmt.Errorf("writing team file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("writing team file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing team file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing team file: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path()); err != nil {
		return fmt.Errorf("replacing team file: %w", err)
	}
	return nil
}

// Members lists the members.
func (s *Store) Members() ([]Member, error) {
	t, err := s.load()
	return t.Members, err
}

// Webhooks lists the webhooks.
func (s *Store) Webhooks() ([]Webhook, error) {
	t, err := s.load()
	return t.Webhooks, err
}

// AddMember creates a credential for name and returns the member's token
// (which holds the only copy of the secret). urls go into the token.
func (s *Store) AddMember(name string, urls []string) (bus.Token, error) {
	if err := bus.ValidMember(name); err != nil {
		return bus.Token{}, err
	}
	t, err := s.load()
	if err != nil {
		return bus.Token{}, err
	}
	if slices.ContainsFunc(t.Members, func(m Member) bool { return m.Name == name }) {
		return bus.Token{}, fmt.Errorf("member %q exists; remove-member first to issue a new token", name)
	}
	kp, err := nkeys.CreateUser()
	if err != nil {
		return bus.Token{}, fmt.Errorf("creating member key: %w", err)
	}
	defer kp.Wipe()
	pub, err := kp.PublicKey()
	if err != nil {
		return bus.Token{}, fmt.Errorf("creating member key: %w", err)
	}
	seed, err := kp.Seed()
	if err != nil {
		return bus.Token{}, fmt.Errorf("creating member key: %w", err)
	}
	tok, err := bus.NewToken(urls, name, seed)
	if err != nil {
		return bus.Token{}, err
	}
	t.Members = append(t.Members, Member{Name: name, NKey: pub, Added: time.Now().UTC()})
	return tok, s.save(t)
}

// RemoveMember revokes name. A running hub drops the member's connections
// when it reloads.
func (s *Store) RemoveMember(name string) error {
	t, err := s.load()
	if err != nil {
		return err
	}
	n := len(t.Members)
	t.Members = slices.DeleteFunc(t.Members, func(m Member) bool { return m.Name == name })
	if len(t.Members) == n {
		return fmt.Errorf("no member %q", name)
	}
	return s.save(t)
}

// AddWebhook creates a webhook credential and returns its bearer token.
// The name becomes the source of the pages it delivers.
func (s *Store) AddWebhook(name string) (string, error) {
	if err := bus.ValidSource(name); err != nil {
		return "", fmt.Errorf("webhook name: %w", err)
	}
	t, err := s.load()
	if err != nil {
		return "", err
	}
	if slices.ContainsFunc(t.Webhooks, func(w Webhook) bool { return w.Name == name }) {
		return "", fmt.Errorf("webhook %q exists; remove-webhook first to issue a new token", name)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("creating webhook token: %w", err)
	}
	token := "sbw_" + base64.RawURLEncoding.EncodeToString(raw)
	t.Webhooks = append(t.Webhooks, Webhook{Name: name, TokenSHA256: hashToken(token), Added: time.Now().UTC()})
	return token, s.save(t)
}

// RemoveWebhook revokes a webhook token.
func (s *Store) RemoveWebhook(name string) error {
	t, err := s.load()
	if err != nil {
		return err
	}
	n := len(t.Webhooks)
	t.Webhooks = slices.DeleteFunc(t.Webhooks, func(w Webhook) bool { return w.Name == name })
	if len(t.Webhooks) == n {
		return fmt.Errorf("no webhook %q", name)
	}
	return s.save(t)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// stamp identifies the team file's version, to notice edits by the CLI.
func (s *Store) stamp() string {
	fi, err := os.Stat(s.path())
	if err != nil {
		return ""
	}
	return fmt.Sprint(fi.ModTime().UnixNano(), fi.Size())
}
