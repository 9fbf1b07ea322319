package bus

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nkeys"
)

// tokenPrefix starts every member token; the number is the format version.
const tokenPrefix = "standby1:"

// Token is a member credential: where the hub is, who the member is and the
// member's nkey seed. It is the one line `standby-hub add-member` prints.
//
// The seed is unexported and String/GoString redact it, so a Token printed
// by mistake (logs, errors, %v, %#v) never shows the secret. Encode is the
// only way to get the full line.
type Token struct {
	// URLs are the hub's client URLs (nats:// or tls://).
	URLs []string
	// Member is the member name the credential belongs to.
	Member string
	seed   []byte
}

type tokenWire struct {
	URLs   []string `json:"u"`
	Member string   `json:"m"`
	Seed   string   `json:"s"`
}

// NewToken builds a token from a user nkey seed (as made by nkeys.CreateUser).
func NewToken(urls []string, member string, seed []byte) (Token, error) {
	if err := ValidMember(member); err != nil {
		return Token{}, err
	}
	if len(urls) == 0 {
		return Token{}, errors.New("token needs at least one hub URL")
	}
	if _, err := nkeys.FromSeed(seed); err != nil {
		return Token{}, errors.New("token seed is not a valid nkey seed")
	}
	return Token{URLs: urls, Member: member, seed: append([]byte(nil), seed...)}, nil
}

// ParseToken parses the one-line form made by Encode. Errors never quote the
// input, which holds a secret.
func ParseToken(s string) (Token, error) {
	body, ok := strings.CutPrefix(strings.TrimSpace(s), tokenPrefix)
	if !ok {
		return Token{}, errors.New("not a Standby team token (want standby1:…, as printed by `standby-hub add-member`)")
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return Token{}, errors.New("team token is damaged (bad base64); copy the whole line again")
	}
	var w tokenWire
	if err := json.Unmarshal(raw, &w); err != nil {
		return Token{}, errors.New("team token is damaged (bad JSON); copy the whole line again")
	}
	t, err := NewToken(w.URLs, w.Member, []byte(w.Seed))
	if err != nil {
		return Token{}, fmt.Errorf("team token: %w", err)
	}
	return t, nil
}

// Encode returns the full one-line token, secret included.
func (t Token) Encode() string {
	raw, _ := json.Marshal(tokenWire{URLs: t.URLs, Member: t.Member, Seed: string(t.seed)})
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
}

// String describes the token without its secret.
func (t Token) String() string {
	return fmt.Sprintf("standby token for %s at %s (secret redacted)", t.Member, strings.Join(t.URLs, ","))
}

// GoString is String, so %#v does not print the seed either.
func (t Token) GoString() string { return t.String() }

// PublicKey returns the member's nkey public key (safe to store and log).
func (t Token) PublicKey() (string, error) {
	kp, err := nkeys.FromSeed(t.seed)
	if err != nil {
		return "", errors.New("token seed is not a valid nkey seed")
	}
	defer kp.Wipe()
	return kp.PublicKey()
}

// signer returns the nats.go signature callback for the token's seed.
func (t Token) signer() func([]byte) ([]byte, error) {
	seed := append([]byte(nil), t.seed...)
	return func(nonce []byte) ([]byte, error) {
		kp, err := nkeys.FromSeed(seed)
		if err != nil {
			return nil, errors.New("token seed is not a valid nkey seed")
		}
		defer kp.Wipe()
		return kp.Sign(nonce)
	}
}
