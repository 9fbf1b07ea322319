# Packaging and cross builds (issue #15), included by the Makefile.
#   make package        .deb for standby and standby-hub (nfpm), and the
#                       tarball `fyne package -os linux` makes; all in build/
#   make package-check  installs the .debs with dpkg -i and checks them
#   make cross          standby-hub for linux/windows/darwin × amd64/arm64,
#                       and standby.exe for windows/amd64 (mingw-w64)
# The tools (nfpm, fyne) are pinned in packaging/tools/go.mod, a module of
# their own so their dependencies never change the app's.

VERSION  ?= $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
DEB_ARCH ?= $(shell dpkg --print-architecture 2>/dev/null || $(GO) env GOARCH)
LDFLAGS  := -s -w -X github.com/standby-oncall/standby/internal/cli.Version=$(VERSION)
TOOLS    := build/tools
PKG      := build/pkg
PACKAGE_PKGS := desktop-file-utils appstream man-db xz-utils systemd
CROSS_PKGS   := gcc-mingw-w64-x86-64-win32
HUB_TARGETS  := linux/amd64 linux/arm64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64

.PHONY: package package-check cross cross-hub cross-windows vet-darwin deps-package deps-cross tools flatpak-sources

deps-package:
	@scripts/install-deps.sh $(PACKAGE_PKGS)

deps-cross:
	@scripts/install-deps.sh $(CROSS_PKGS)

tools:
	cd packaging/tools && $(GO) build -o ../../$(TOOLS)/ fyne.io/tools/cmd/fyne github.com/goreleaser/nfpm/v2/cmd/nfpm

package: deps-run deps-package tools
	rm -rf $(PKG) && mkdir -p $(PKG)
	$(GO) build -ldflags '$(LDFLAGS)' -o $(PKG)/standby ./cmd/standby
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o $(PKG)/standby-hub ./cmd/standby-hub
	$(GO) run ./internal/cli/mangen -version $(VERSION) | gzip -9n > $(PKG)/standby.1.gz
	$(GO) run ./packaging/icongen -o $(PKG)/icons/hicolor
	rm -f build/*.deb build/*.tar.xz
	VERSION=$(VERSION) DEB_ARCH=$(DEB_ARCH) $(TOOLS)/nfpm package -f packaging/nfpm/standby.yaml -p deb -t build/
	VERSION=$(VERSION) DEB_ARCH=$(DEB_ARCH) $(TOOLS)/nfpm package -f packaging/nfpm/standby-hub.yaml -p deb -t build/
	cp FyneApp.toml cmd/standby/FyneApp.toml
	cd cmd/standby && ../../$(TOOLS)/fyne package -os linux --release --exe ../../$(PKG)/standby \
		--name Standby --icon ../../assets/icons/app.png --app-version $(VERSION)
	mv cmd/standby/Standby.tar.xz build/standby-$(VERSION)-linux-$(DEB_ARCH).tar.xz
	@ls -l build/*.deb build/*.tar.xz

package-check: package
	scripts/package-check.sh $(VERSION)

cross: cross-hub cross-windows

cross-hub:
	for t in $(HUB_TARGETS); do \
		os=$${t%/*}; arch=$${t#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -ldflags '$(LDFLAGS)' \
			-o build/cross/standby-hub-$$os-$$arch$$ext ./cmd/standby-hub || exit 1; \
	done

# The Windows desktop app needs cgo (GLFW), hence Debian's mingw-w64; the
# Go build cache makes later runs fast (about 6 min cold on 2 cores).
cross-windows: deps-cross
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -ldflags '$(LDFLAGS) -H windowsgui' -o build/cross/standby.exe ./cmd/standby

# macOS cannot be built here (cgo needs Apple's SDK); keep what compiles
# without cgo vetted for darwin so nothing rots unseen: every non-UI package
# that has darwin files (Linux-only test helpers have none).
DARWIN := GOOS=darwin GOARCH=arm64 CGO_ENABLED=0
vet-darwin:
	$(DARWIN) $(GO) vet $$($(DARWIN) $(GO) list -f '{{if .GoFiles}}{{.ImportPath}}{{end}}' ./internal/... | grep -v /internal/ui)
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/standby-hub

# The Flatpak's Go module sources (pinned zips from the module proxy named
# by GOPROXY), written next to the manifest; not kept in git.
flatpak-sources:
	$(GO) run ./packaging/flatpak/gosources -o packaging/flatpak
