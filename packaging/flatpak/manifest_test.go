package flatpak

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
	"gopkg.in/yaml.v3"

	"github.com/standby-oncall/standby/internal/appid"
)

type manifest struct {
	AppID      string   `yaml:"app-id"`
	Runtime    string   `yaml:"runtime"`
	Command    string   `yaml:"command"`
	FinishArgs []string `yaml:"finish-args"`
	Modules    []struct {
		Name    string      `yaml:"name"`
		Sources []yaml.Node `yaml:"sources"`
	} `yaml:"modules"`
}

var (
	sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)
	commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

func readManifest(t *testing.T) manifest {
	t.Helper()
	body, err := os.ReadFile(appid.ID + ".yml")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(body, &m); err != nil {
		t.Fatalf("manifest does not parse: %v", err)
	}
	return m
}

// TestManifest: the app ID, runtime and the finish-args the app needs.
func TestManifest(t *testing.T) {
	m := readManifest(t)
	if m.AppID != appid.ID || m.Command != "standby" || m.Runtime != "org.freedesktop.Platform" {
		t.Errorf("app-id %q, command %q, runtime %q", m.AppID, m.Command, m.Runtime)
	}
	for _, want := range []string{
		"--talk-name=org.freedesktop.Notifications",
		"--talk-name=org.kde.StatusNotifierWatcher",
		"--talk-name=org.freedesktop.secrets",
		"--share=network", "--socket=x11", "--share=ipc", "--device=dri", "--socket=pulseaudio",
	} {
		if !slices.Contains(m.FinishArgs, want) {
			t.Errorf("finish-args lack %s", want)
		}
	}
}

// TestSourcesPinned: every remote source of the manifest is pinned by a
// hash; the one included file is the generated module list.
func TestSourcesPinned(t *testing.T) {
	m := readManifest(t)
	included := 0
	for _, mod := range m.Modules {
		for _, n := range mod.Sources {
			if n.Kind == yaml.ScalarNode {
				if n.Value != "go-modules.yml" {
					t.Errorf("module %s includes unknown source file %q", mod.Name, n.Value)
				}
				included++
				continue
			}
			var s map[string]any
			if err := n.Decode(&s); err != nil {
				t.Fatal(err)
			}
			checkPinned(t, s)
		}
	}
	if included != 1 {
		t.Errorf("go-modules.yml included %d times, want once", included)
	}
}

func checkPinned(t *testing.T, s map[string]any) {
	t.Helper()
	str := func(k string) string { v, _ := s[k].(string); return v }
	switch {
	case str("url") != "" && !sha256RE.MatchString(str("sha256")):
		t.Errorf("source %s is not pinned by sha256", str("url"))
	case str("type") == "git" && !commitRE.MatchString(str("commit")):
		t.Errorf("git source %s is not pinned by commit", str("url"))
	case str("url") == "" && str("path") == "" && str("type") != "git":
		t.Errorf("source %v has neither url nor path", s)
	}
}

// TestGeneratedModuleSources generates the module list as make
// flatpak-sources does and checks each archive: pinned by sha256, that
// sha256 is the cached zip's, and the zip is the one go.sum names.
func TestGeneratedModuleSources(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod vendor")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	txt, mods, err := VendorModules(root)
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := Sources("https://proxy.example/", mods, "modules.txt")
	if err != nil {
		t.Fatal(err)
	}
	body, err := yaml.Marshal(srcs)
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := yaml.Unmarshal(body, &back); err != nil {
		t.Fatalf("generated list does not parse: %v", err)
	}
	if len(back) != len(mods)+1 || len(mods) < 20 {
		t.Fatalf("%d sources for %d modules", len(back), len(mods))
	}
	for i, m := range mods {
		checkPinned(t, back[i])
		if got := back[i]["dest"]; got != "vendor/"+m.Path {
			t.Errorf("%s unpacks to %v", m.Path, got)
		}
		h, err := dirhash.HashZip(m.Zip, dirhash.Hash1)
		if err != nil || h != m.Sum {
			t.Errorf("%s@%s: zip hash %s, go.sum %s (%v)", m.Path, m.Version, h, m.Sum, err)
		}
	}
	if again, err := parseModulesTxt(txt); err != nil || len(again) != len(mods) {
		t.Errorf("modules.txt reparsed to %d modules, %v", len(again), err)
	}
	if got := back[0]["url"]; got != "https://proxy.example/"+mods[0].Path+"/@v/"+mods[0].Version+".zip" {
		t.Errorf("first url %v", got)
	}
}

func TestProxyBase(t *testing.T) {
	cases := map[string]string{
		"https://a.example,direct": "https://a.example",
		"direct|http://b.example":  "http://b.example",
		"off":                      "",
		"direct":                   "",
	}
	for in, want := range cases {
		got, err := ProxyBase(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("ProxyBase(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestModulesTxtErrors(t *testing.T) {
	for _, in := range []string{"", "# a v1 => ../a\n"} {
		if _, err := parseModulesTxt([]byte(in)); err == nil {
			t.Errorf("parseModulesTxt(%q) accepted", in)
		}
	}
}
