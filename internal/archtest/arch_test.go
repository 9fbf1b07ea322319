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

const module = Module

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

// TestRules checks every package of the module, with its tests, against
// the table in rules.txt.
func TestRules(t *testing.T) {
	f, err := os.Open("rules.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rules, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 8 {
		t.Fatalf("only %d rules read from rules.txt", len(rules))
	}
	pkgs := listWithTests(t)
	if len(pkgs) < 30 {
		t.Fatalf("only %d packages listed", len(pkgs))
	}
	for _, v := range Check(rules, pkgs) {
		t.Error(v)
	}
}

// listWithTests lists the module's packages with the dependencies of the
// package and of its tests (internal and external test files).
func listWithTests(t *testing.T) []Package {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-test", "-json=ImportPath,Deps", "./...")
	cmd.Dir = root(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	byPath := map[string]*Package{}
	var order []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(p.ImportPath, ".test") {
			continue // the generated test main: Go's own test runner (it runs fuzzers with os/exec)
		}
		path := underTest(p.ImportPath)
		if path != module && !strings.HasPrefix(path, module+"/") {
			continue
		}
		if byPath[path] == nil {
			byPath[path] = &Package{Path: path, Deps: map[string]bool{}, CodeDeps: map[string]bool{}}
			order = append(order, path)
		}
		code := p.ImportPath == path // not a test variant
		for _, d := range p.Deps {
			if d = underTest(d); d != path {
				byPath[path].Deps[d] = true
				if code {
					byPath[path].CodeDeps[d] = true
				}
			}
		}
	}
	var pkgs []Package
	for _, path := range order {
		pkgs = append(pkgs, *byPath[path])
	}
	return pkgs
}

// underTest maps go list's test variants ("p [p.test]", "p_test [p.test]")
// to the package p they belong to.
func underTest(path string) string {
	path, _, _ = strings.Cut(path, " [")
	path = strings.TrimSuffix(path, ".test")
	return strings.TrimSuffix(path, "_test")
}

// TestRulesCatchViolations feeds the checker made-up packages that break
// each kind of rule, so a table that silently matches nothing is noticed.
func TestRulesCatchViolations(t *testing.T) {
	rules, err := Parse(strings.NewReader(`
part ui internal/ui/...
part vendors internal/source/a/... internal/source/b/...
only fyne.io/... <- ui
never internal/quiet/... -> net/http/... # the domain does no I/O
never-in-code internal/quiet/... -> os/exec
apart vendors
`))
	if err != nil {
		t.Fatal(err)
	}
	dep := func(path string, deps ...string) Package {
		p := Package{Path: module + "/" + path, Deps: map[string]bool{}}
		for _, d := range deps {
			p.Deps[d] = true
		}
		return p
	}
	for _, tt := range []struct {
		pkg  Package
		want int
	}{
		{dep("internal/ui/tray", "fyne.io/fyne/v2"), 0},
		{dep("internal/engine", "fyne.io/fyne/v2"), 1},
		{dep("internal/quiet", "net/http/httptest", "fmt"), 1},
		{dep("internal/quiet", "net/url"), 0},
		{Package{Path: module + "/internal/quiet", Deps: map[string]bool{"os/exec": true}, CodeDeps: map[string]bool{}}, 0},
		{dep("internal/quiet", "os/exec"), 1},
		{dep("internal/source/a/afake", module+"/internal/source/b"), 1},
		{dep("internal/source/a", module+"/internal/source/a/afake", module+"/internal/source"), 0},
	} {
		if got := Check(rules, []Package{tt.pkg}); len(got) != tt.want {
			t.Errorf("%s with %v: %d violations %q, want %d", tt.pkg.Path, tt.pkg.Deps, len(got), got, tt.want)
		}
	}
	for _, bad := range []string{"apart nosuchpart", "never x", "only a -> b", "frob x"} {
		if _, err := Parse(strings.NewReader(bad)); err == nil {
			t.Errorf("Parse(%q) accepted a broken line", bad)
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
