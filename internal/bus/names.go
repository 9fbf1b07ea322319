package bus

import (
	"encoding/base32"
	"fmt"
	"regexp"
	"strings"

	"github.com/standby-oncall/standby/internal/page"
)

// Names of the JetStream assets every Standby team uses. A team that runs its
// own NATS cluster creates them with Provision.
const (
	// ClaimsBucket is the KV bucket holding claims, keyed page.<pageKey>.<member>.
	ClaimsBucket = "standby-claims"
	// PresenceBucket is the KV bucket holding presence heartbeats, keyed <member>.
	PresenceBucket = "standby-presence"
	// PagesStream is the stream of pages, subjects pages.<source>.<pageKey>.
	PagesStream = "standby-pages"

	// ClaimsStream and PresenceStream are the streams behind the buckets.
	ClaimsStream   = "KV_" + ClaimsBucket
	PresenceStream = "KV_" + PresenceBucket

	claimsPrefix   = "$KV." + ClaimsBucket + "."
	presencePrefix = "$KV." + PresenceBucket + "."
	pagesPrefix    = "pages."
)

var (
	memberRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	sourceRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	keyEnc   = base32.HexEncoding.WithPadding(base32.NoPadding)
)

// ValidMember reports whether name is usable as a member name: 1–32 of
// a-z 0-9 _ -, starting with a letter or digit. Member names become subject
// tokens, so the server can enforce per-member permissions on them.
func ValidMember(name string) error {
	if !memberRe.MatchString(name) {
		return fmt.Errorf("member name %q: use 1-32 characters a-z 0-9 _ - starting with a letter or digit", name)
	}
	return nil
}

// ValidSource reports whether name is usable as a page source on the bus
// (it becomes a subject token of pages.<source>.<pageKey>).
func ValidSource(name string) error {
	if !sourceRe.MatchString(name) {
		return fmt.Errorf("source name %q: use 1-64 characters A-Z a-z 0-9 _ -", name)
	}
	return nil
}

// PageKey encodes a page ID as one subject token: base32 (extended hex
// alphabet, no padding) of "source/upstream". Upstream ids may hold dots,
// slashes or spaces, which NATS keys cannot; the encoding is reversible and
// deterministic, so every app derives the same key.
func PageKey(id page.ID) string {
	return keyEnc.EncodeToString([]byte(id.String()))
}

// ParsePageKey reverses PageKey.
func ParsePageKey(key string) (page.ID, error) {
	raw, err := keyEnc.DecodeString(key)
	if err != nil {
		return page.ID{}, fmt.Errorf("decoding page key %q: %w", key, err)
	}
	return page.ParseID(string(raw))
}

// claimKey is the KV key of member's claim on id.
func claimKey(id page.ID, member string) string {
	return "page." + PageKey(id) + "." + member
}

// parseClaimSubject splits a claims subject into page ID and member.
func parseClaimSubject(subject string) (page.ID, string, bool) {
	rest, ok := strings.CutPrefix(subject, claimsPrefix+"page.")
	if !ok {
		return page.ID{}, "", false
	}
	pk, member, ok := strings.Cut(rest, ".")
	if !ok || ValidMember(member) != nil {
		return page.ID{}, "", false
	}
	id, err := ParsePageKey(pk)
	if err != nil {
		return page.ID{}, "", false
	}
	return id, member, true
}

// PageSubject is the subject a page is published on: pages.<source>.<pageKey>.
func PageSubject(id page.ID) (string, error) {
	if err := ValidSource(id.Source); err != nil {
		return "", err
	}
	if err := CheckPageID(id); err != nil {
		return "", err
	}
	return pagesPrefix + id.Source + "." + PageKey(id), nil
}

// InboxPrefix is the reply-subject prefix of member's connections. Members
// may subscribe only under their own prefix, so no member can read replies
// (claims, pages, errors) meant for another.
func InboxPrefix(member string) string { return "_INBOX." + member }

// Permissions lists the subjects a member may publish and subscribe to.
type Permissions struct {
	Publish   []string
	Subscribe []string
}

// MemberPermissions returns the least privilege a member's app needs. The
// server enforces it, so a member can write claims and presence only under
// their own name and cannot write pages:
//
//   - publish $KV.standby-claims.page.*.<member> and $KV.standby-presence.<member>
//     (claims and presence under their own name only);
//   - publish $JS.API.CONSUMER.CREATE.<stream>.*.> and
//     $JS.API.CONSUMER.MSG.NEXT.<stream>.* for the three streams (ephemeral
//     pull consumers; the filtered create form is the only one allowed, and
//     DURABLE.CREATE, DELETE, STREAM.* and everything else is refused);
//   - subscribe _INBOX.<member>.> (their own replies only).
//
// CONSUMER.CREATE cannot tell an ephemeral from a durable consumer, so the
// hub caps what a member can do with it: stream ConsumerLimits force an
// inactive threshold on every consumer (durables included, so they vanish
// once idle) and the account's JetStream limits cap the number of consumers.
func MemberPermissions(member string) Permissions {
	p := Permissions{
		Publish: []string{
			claimsPrefix + "page.*." + member,
			presencePrefix + member,
		},
		Subscribe: []string{InboxPrefix(member) + ".>"},
	}
	for _, s := range []string{ClaimsStream, PresenceStream, PagesStream} {
		p.Publish = append(p.Publish,
			"$JS.API.CONSUMER.CREATE."+s+".*.>",
			"$JS.API.CONSUMER.MSG.NEXT."+s+".*")
	}
	return p
}

// Bounds of a page ID on the bus. They keep every subject (pages, claims)
// far below the server's 4 KiB protocol line: a longer subject makes the
// server close the publishing connection.
const (
	// MaxSourceLen bounds page.ID.Source in bytes.
	MaxSourceLen = 64
	// MaxUpstreamLen bounds page.ID.Upstream in bytes.
	MaxUpstreamLen = 256
)

// CheckPageID reports whether id can travel on the bus: both parts set and
// within MaxSourceLen and MaxUpstreamLen.
func CheckPageID(id page.ID) error {
	switch {
	case id.Source == "" || id.Upstream == "":
		return fmt.Errorf("page id %q: source and id are required", id.String())
	case len(id.Source) > MaxSourceLen:
		return fmt.Errorf("page source is %d bytes; at most %d", len(id.Source), MaxSourceLen)
	case len(id.Upstream) > MaxUpstreamLen:
		return fmt.Errorf("page id is %d bytes; at most %d", len(id.Upstream), MaxUpstreamLen)
	}
	return nil
}
