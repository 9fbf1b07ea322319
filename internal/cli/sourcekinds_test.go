package cli_test

import (
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/source/registry"
)

// TestSourceAddKindsFromRegistry: `standby source add` offers exactly the
// registry's kinds (adding one to the registry adds it here) and refuses
// a kind the registry does not know, naming them.
func TestSourceAddKindsFromRegistry(t *testing.T) {
	w := newWorld(t, "")
	help := w.run("", "source", "add", "--help")
	for _, k := range registry.Kinds() {
		if !strings.Contains(help.stdout, string(k)) {
			t.Errorf("source add --help does not offer %s:\n%s", k, help.stdout)
		}
	}
	bad := w.run("", "source", "add", "nagios", "--name", "n", "--no-test")
	if bad.code == 0 || !strings.Contains(bad.stderr, "grafana_oncall") {
		t.Errorf("an unknown kind: %s", bad)
	}
}
