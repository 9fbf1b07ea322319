// Package archtest holds tests that enforce the architecture: Fyne only
// under internal/ui and cmd, everything else pure Go without cgo, and one
// application ID everywhere.
package archtest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/standby-oncall/standby/internal/appid"
)

const module = "github.com/standby-oncall/standby"

type pkg struct {
	ImportPath string
	Deps       []string
}

func listPackages(t *testing.T, env ...string) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", "./...")
	cmd.Dir = root(t)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func uiOrCmd(path string) bool {
	rel := strings.TrimPrefix(path, module+"/")
	// bench/app/floor is the bare Fyne window the app is measured against;
	// it is a benchmark peer, not part of Standby.
	return strings.HasPrefix(rel, "internal/ui") || strings.HasPrefix(rel, "cmd/") || rel == "bench/app/floor"
}

// TestFyneOnlyInUIAndCmd checks every package's full dependency list.
func TestFyneOnlyInUIAndCmd(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("only %d packages listed", len(pkgs))
	}
	for _, p := range pkgs {
		if uiOrCmd(p.ImportPath) {
			continue
		}
		for _, d := range p.Deps {
			if strings.HasPrefix(d, "fyne.io/") {
				t.Errorf("%s depends on %s; Fyne belongs in internal/ui and cmd only", p.ImportPath, d)
				break
			}
		}
	}
}

// TestPureGoWithoutCgo builds every non-UI package with CGO_ENABLED=0.
func TestPureGoWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every package")
	}
	var paths []string
	for _, p := range listPackages(t) {
		if !uiOrCmd(p.ImportPath) || strings.HasSuffix(p.ImportPath, "/cmd/standby-hub") {
			paths = append(paths, p.ImportPath)
		}
	}
	cmd := exec.Command("go", append([]string{"build", "-o", os.DevNull}, paths...)...)
	cmd.Dir = root(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 build failed: %v\n%s", err, out)
	}
}

// TestOneAppID checks FyneApp.toml, the .desktop file and the metainfo.
func TestOneAppID(t *testing.T) {
	r := root(t)
	toml, err := os.ReadFile(filepath.Join(r, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*ID\s*=\s*"([^"]+)"`).FindSubmatch(toml)
	if m == nil || string(m[1]) != appid.ID {
		t.Fatalf("FyneApp.toml ID = %q, want %q", m, appid.ID)
	}
	desktop := filepath.Join(r, "packaging", "linux", appid.ID+".desktop")
	if _, err := os.Stat(desktop); err != nil {
		t.Fatalf("no desktop file named after the app ID: %v", err)
	}
	meta, err := os.ReadFile(filepath.Join(r, "packaging", "linux", appid.ID+".metainfo.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(meta, []byte("<id>"+appid.ID+"</id>")) || !bytes.Contains(meta, []byte(appid.ID+".desktop")) {
		t.Fatal("metainfo id or launchable does not match the app ID")
	}
}

// TestNoTestingInProduction makes sure no production package imports testing.
func TestNoTestingInProduction(t *testing.T) {
	for _, p := range listPackages(t) {
		for _, d := range p.Deps {
			if d == "testing" && !strings.Contains(p.ImportPath, "test") && !strings.HasSuffix(p.ImportPath, "fake") {
				t.Errorf("%s imports testing", p.ImportPath)
			}
		}
	}
}
