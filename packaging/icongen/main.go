// Command icongen writes the app icon in the freedesktop hicolor sizes,
// scaled from assets/icons/app.png, plus the SVG as the scalable icon:
//
//	go run ./packaging/icongen -o build/pkg/usr/share/icons/hicolor
//
// It writes DIR/NxN/apps/ID.png for each size and DIR/scalable/apps/ID.svg.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"

	"github.com/standby-oncall/standby/assets"
	"github.com/standby-oncall/standby/internal/appid"
)

// Sizes are the hicolor sizes the package ships.
var Sizes = []int{16, 22, 24, 32, 48, 64, 128, 256}

func main() {
	out := flag.String("o", "", "hicolor directory to write into (required)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "icongen: -o DIR is required")
		os.Exit(2)
	}
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "icongen:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	src, err := png.Decode(bytes.NewReader(assets.AppIconPNG))
	if err != nil {
		return fmt.Errorf("decoding the app icon: %w", err)
	}
	for _, n := range Sizes {
		if n > src.Bounds().Dx() {
			return fmt.Errorf("the app icon is %dpx wide, smaller than the %dpx asked for", src.Bounds().Dx(), n)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, scale(src, n)); err != nil {
			return fmt.Errorf("encoding the %dpx icon: %w", n, err)
		}
		if err := put(filepath.Join(dir, fmt.Sprintf("%dx%d", n, n), "apps", appid.ID+".png"), buf.Bytes()); err != nil {
			return err
		}
	}
	return put(filepath.Join(dir, "scalable", "apps", appid.ID+".svg"), assets.AppIconSVG)
}

// scale resamples src to n×n with Catmull-Rom, which keeps small icons sharp.
func scale(src image.Image, n int) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, n, n))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	return dst
}

func put(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
