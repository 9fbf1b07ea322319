package logging

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestRedactsSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, slog.LevelDebug)
	log.Info("source added", "name", "pd", "token", "u+abc123", "api_key", "k-999", slog.Group("auth", "Authorization", "Token token=zzz"))
	out := buf.String()
	for _, secret := range []string{"u+abc123", "k-999", "zzz"} {
		if strings.Contains(out, secret) {
			t.Fatalf("secret %q in log: %s", secret, out)
		}
	}
	if !strings.Contains(out, `"name":"pd"`) {
		t.Fatalf("ordinary attribute lost: %s", out)
	}
}

func TestOpenWritesFile(t *testing.T) {
	dir := t.TempDir()
	log, c, err := Open(dir, slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hello")
	c.Close()
	if d, _ := Dir(); d == "" {
		t.Fatal("Dir is empty")
	}
}
