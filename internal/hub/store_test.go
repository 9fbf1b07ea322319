package hub

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/bus"
)

func TestStoreKeepsNoSecrets(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := st.AddMember("alice", []string{"nats://127.0.0.1:4222"})
	if err != nil {
		t.Fatal(err)
	}
	hook, err := st.AddWebhook("am-prod")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddMember("alice", nil); err == nil {
		t.Fatal("duplicate member accepted")
	}
	raw, err := os.ReadFile(filepath.Join(dir, teamFile))
	if err != nil {
		t.Fatal(err)
	}
	encoded := tok.Encode()
	seedPart := encoded[len("standby1:"):]
	if strings.Contains(string(raw), hook) || strings.Contains(string(raw), `"SU`) || strings.Contains(string(raw), seedPart) {
		t.Fatalf("team file holds a secret:\n%s", raw)
	}
	pub, _ := tok.PublicKey()
	ms, _ := st.Members()
	if len(ms) != 1 || ms[0].NKey != pub {
		t.Fatalf("members = %+v", ms)
	}
	parsed, err := bus.ParseToken(encoded)
	if err != nil || parsed.Member != "alice" {
		t.Fatalf("printed token does not parse: %v", err)
	}
	if err := st.RemoveMember("alice"); err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveMember("alice"); err == nil {
		t.Fatal("removing a missing member succeeded")
	}
	if fi, _ := os.Stat(filepath.Join(dir, teamFile)); fi.Mode().Perm()&0o077 != 0 {
		t.Fatalf("team file mode %v is readable by others", fi.Mode())
	}
}
