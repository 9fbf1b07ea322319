package main

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/standby-oncall/standby/internal/appid"
)

func TestWritesEverySize(t *testing.T) {
	dir := t.TempDir()
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	for _, n := range Sizes {
		path := filepath.Join(dir, fmt.Sprintf("%dx%d", n, n), "apps", appid.ID+".png")
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if b := img.Bounds(); b.Dx() != n || b.Dy() != n {
			t.Errorf("%s is %v, want %dx%d", path, b, n, n)
		}
		// The icon must not have scaled to nothing: its centre is opaque.
		if _, _, _, a := img.At(n/2, n/2).RGBA(); a == 0 {
			t.Errorf("%s: centre pixel is transparent", path)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "scalable", "apps", appid.ID+".svg")); err != nil {
		t.Errorf("no scalable icon: %v", err)
	}
}
