// Package flatpak builds the Go module sources of Standby's Flatpak
// manifest (dev.standby.Standby.yml): flatpak-builder builds offline, so
// every module the build needs is listed as an archive pinned by the
// sha256 of its zip, unpacked into vendor/, with the vendor/modules.txt
// that `go mod vendor` writes. The list is generated from go.mod and the
// module cache by gosources and checked in CI.
package flatpak

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
)

// Source is one flatpak-builder source entry.
type Source struct {
	Type            string `yaml:"type"`
	URL             string `yaml:"url,omitempty"`
	Path            string `yaml:"path,omitempty"`
	SHA256          string `yaml:"sha256,omitempty"`
	StripComponents int    `yaml:"strip-components,omitempty"`
	Dest            string `yaml:"dest,omitempty"`
	DestFilename    string `yaml:"dest-filename,omitempty"`
}

// Module is one vendored module with its zip in the module cache.
type Module struct {
	Path, Version string
	Zip           string // local path of the zip in the module cache
	Sum           string // go.sum's h1: hash of the zip's contents
}

// VendorModules runs `go mod vendor` for the module at root into a
// temporary directory and returns its modules.txt and the modules listed.
func VendorModules(root string) ([]byte, []Module, error) {
	tmp, err := os.MkdirTemp("", "standby-vendor-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	vendor := filepath.Join(tmp, "vendor")
	cmd := exec.Command("go", "mod", "vendor", "-o", vendor)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("go mod vendor: %w\n%s", err, out)
	}
	txt, err := os.ReadFile(filepath.Join(vendor, "modules.txt"))
	if err != nil {
		return nil, nil, err
	}
	mods, err := parseModulesTxt(txt)
	if err != nil {
		return nil, nil, err
	}
	return txt, mods, download(root, mods)
}

// parseModulesTxt reads the "# path version" lines of modules.txt.
func parseModulesTxt(txt []byte) ([]Module, error) {
	var mods []Module
	sc := bufio.NewScanner(bytes.NewReader(txt))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || f[0] != "#" {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("modules.txt: replaced module not supported: %s", sc.Text())
		}
		mods = append(mods, Module{Path: f[1], Version: f[2]})
	}
	if len(mods) == 0 {
		return nil, errors.New("modules.txt lists no modules")
	}
	return mods, sc.Err()
}

// download fills in each module's zip and go.sum hash (go mod download
// fetches what the cache lacks and verifies it against go.sum).
func download(root string, mods []Module) error {
	args := []string{"mod", "download", "-json"}
	for _, m := range mods {
		args = append(args, m.Path+"@"+m.Version)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go mod download: %w", err)
	}
	byKey := map[string]*Module{}
	for i := range mods {
		byKey[mods[i].Path+"@"+mods[i].Version] = &mods[i]
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var d struct{ Path, Version, Zip, Sum, Error string }
		if err := dec.Decode(&d); err != nil {
			return fmt.Errorf("reading go mod download: %w", err)
		}
		if d.Error != "" {
			return fmt.Errorf("go mod download %s@%s: %s", d.Path, d.Version, d.Error)
		}
		if m := byKey[d.Path+"@"+d.Version]; m != nil {
			m.Zip, m.Sum = d.Zip, d.Sum
		}
	}
	for _, m := range mods {
		if m.Zip == "" {
			return fmt.Errorf("go mod download gave no zip for %s@%s", m.Path, m.Version)
		}
	}
	return nil
}

// Sources returns the flatpak-builder sources for mods: one zip archive
// per module from the module proxy at base, pinned by sha256 and unpacked
// into vendor/<module path>, then modulesTxt as vendor/modules.txt.
func Sources(base string, mods []Module, modulesTxt string) ([]Source, error) {
	base = strings.TrimRight(base, "/")
	var srcs []Source
	for _, m := range mods {
		sum, err := fileSHA256(m.Zip)
		if err != nil {
			return nil, err
		}
		ep, err := module.EscapePath(m.Path)
		if err != nil {
			return nil, err
		}
		ev, err := module.EscapeVersion(m.Version)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, Source{
			Type:            "archive",
			URL:             fmt.Sprintf("%s/%s/@v/%s.zip", base, ep, ev),
			SHA256:          sum,
			StripComponents: len(strings.Split(m.Path+"@"+m.Version, "/")),
			Dest:            "vendor/" + m.Path,
		})
	}
	srcs = append(srcs, Source{Type: "file", Path: modulesTxt, Dest: "vendor", DestFilename: "modules.txt"})
	return srcs, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ProxyBase returns the first HTTP(S) proxy of a GOPROXY value.
func ProxyBase(goproxy string) (string, error) {
	for _, p := range strings.FieldsFunc(goproxy, func(r rune) bool { return r == ',' || r == '|' }) {
		if strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://") {
			return p, nil
		}
	}
	return "", fmt.Errorf("GOPROXY %q names no HTTP module proxy to download from", goproxy)
}
