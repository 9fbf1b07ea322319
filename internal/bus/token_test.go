package bus

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nats-io/nkeys"

	"github.com/standby-oncall/standby/internal/page"
)

func TestTokenRoundTripAndRedaction(t *testing.T) {
	kp, _ := nkeys.CreateUser()
	seed, _ := kp.Seed()
	tok, err := NewToken([]string{"nats://hub:4222"}, "alice", seed)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseToken(tok.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if back.Member != "alice" || back.URLs[0] != "nats://hub:4222" || string(back.seed) != string(seed) {
		t.Fatalf("round trip: %v", back)
	}
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok)} {
		if strings.Contains(s, string(seed)) || strings.Contains(s, tok.Encode()[9:]) {
			t.Fatalf("token printed with its secret: %s", s)
		}
	}
	for _, bad := range []string{"", "standby1:!!!", "standby1:e30", "standby0:" + tok.Encode()[9:], tok.Encode()[:40]} {
		_, err := ParseToken(bad)
		if err == nil {
			t.Fatalf("ParseToken(%q) accepted", bad)
		}
		if bad != "" && strings.Contains(err.Error(), bad) {
			t.Fatalf("error quotes the token: %v", err)
		}
	}
}

func TestPageKeyAndSubjects(t *testing.T) {
	for _, id := range []page.ID{{Source: "am", Upstream: "a3b1"}, {Source: "pd", Upstream: "P1.2/x y*>"}} {
		k := PageKey(id)
		if strings.ContainsAny(k, ".*> ") {
			t.Fatalf("key %q is not one subject token", k)
		}
		got, err := ParsePageKey(k)
		if err != nil || got != id {
			t.Fatalf("ParsePageKey(%q) = %v, %v", k, got, err)
		}
		gid, member, ok := parseClaimSubject(claimsPrefix + claimKey(id, "bob"))
		if !ok || gid != id || member != "bob" {
			t.Fatalf("claim subject round trip: %v %q %v", gid, member, ok)
		}
	}
	if _, err := PageSubject(page.ID{Source: "a.b", Upstream: "x"}); err == nil {
		t.Fatal("a dotted source must be refused")
	}
	for _, bad := range []string{"", "Alice", "a.b", "a*", "a>", "-x", strings.Repeat("a", 33)} {
		if ValidMember(bad) == nil {
			t.Fatalf("member %q accepted", bad)
		}
	}
}
