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

// WatchSlots is how many consumers a member may hold on each stream: every
// watch (and every one-shot read) of every app of that member takes one.
const WatchSlots = 8

// Subjects members send their writes to; the hub's Service stores them.
// The last token is the member, so the server enforces who writes what.
const (
	claimRequestPrefix    = "standby.claim."
	presenceRequestPrefix = "standby.presence."
)

// WatchSlot is the name of member's consumer slot n (0 <= n < WatchSlots).
// Consumer names are one subject token of the JetStream API, so the server
// can bind them to the member.
func WatchSlot(member string, n int) string { return fmt.Sprintf("%s@%d", member, n) }

// parseWatchSlot returns the member owning a consumer name, if it is a slot.
func parseWatchSlot(name string) (string, bool) {
	member, n, ok := strings.Cut(name, "@")
	if !ok || ValidMember(member) != nil || len(n) != 1 && len(n) != 2 {
		return "", false
	}
	return member, true
}

// SlotOwner returns the member owning consumer name, or "" when the name is
// not a member's watch slot.
func SlotOwner(name string) string {
	m, _ := parseWatchSlot(name)
	return m
}

// MemberPermissions returns the least privilege a member's app needs. The
// server enforces it:
//
//   - publish standby.claim.<member>, standby.presence.<member> and
//     standby.team.<member> (incidents, weekly load, handoffs): requests
//     to the hub's Service, which validates them (sizes, quota, TTLs) and
//     stores them. Members cannot publish to any stream, so no header
//     (Nats-Rollup, KV-Operation, Nats-TTL, Nats-Expected-*) and no size
//     of theirs ever reaches JetStream;
//   - publish $JS.API.CONSUMER.CREATE.<stream>.<member>@<n>.>,
//     $JS.API.CONSUMER.MSG.NEXT.<stream>.<member>@<n> and
//     $JS.API.CONSUMER.DELETE.<stream>.<member>@<n> for n < WatchSlots on
//     the four streams: a member holds at most WatchSlots consumers per
//     stream, cannot pull from or delete a teammate's, and cannot use
//     DURABLE.CREATE, STREAM.* or any other API;
//   - subscribe _INBOX.<member>.> (their own replies only).
func MemberPermissions(member string) Permissions {
	p := Permissions{
		Publish:   []string{claimRequestPrefix + member, presenceRequestPrefix + member, teamRequestPrefix + member},
		Subscribe: []string{InboxPrefix(member) + ".>"},
	}
	for _, s := range []string{ClaimsStream, PresenceStream, PagesStream, TeamStream} {
		for n := range WatchSlots {
			slot := WatchSlot(member, n)
			p.Publish = append(p.Publish,
				"$JS.API.CONSUMER.CREATE."+s+"."+slot+".>",
				"$JS.API.CONSUMER.MSG.NEXT."+s+"."+slot,
				"$JS.API.CONSUMER.DELETE."+s+"."+slot)
		}
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
