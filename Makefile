# Standby — the two commands of the README's quick start are `make run` and
# `make test`; each installs what it needs first (Debian/Ubuntu, via apt).
SHELL := /bin/bash
GO ?= go
export LANG ?= C.UTF-8

# System packages: Fyne needs gcc and the GL/X11 headers, the alarm (oto)
# the ALSA headers and PulseAudio's ALSA plugin; the tests also run the app
# under Xvfb with a D-Bus session and a notification daemon, play the alarm
# into a headless PulseAudio measured with sox, run a real Alertmanager, and
# validate the AppStream metadata.
RUN_PKGS  := gcc libgl1-mesa-dev xorg-dev libasound2-dev libasound2-plugins
TEST_PKGS := $(RUN_PKGS) xvfb xauth dbus dunst imagemagick appstream prometheus-alertmanager pulseaudio pulseaudio-utils sox \
	desktop-file-utils man-db x11-utils

.PHONY: run test deps-run deps-test build build-hub bench clean

run: deps-run
	$(GO) run ./cmd/standby

# Packages whose tests involve clocks, zones, quiet hours or the locale: the
# second run repeats them where it is day, in German. The whole suite (with
# -race) runs once where it is night, when the default quiet hours are on.
# internal/schedule/ical is left out of the second run: it never reads the
# machine's clock or zone (a nil zone means UTC), and its corpus takes ~100 s.
CLOCK_PKGS := ./cmd/standby/... ./internal/app/... ./internal/cli/... ./internal/quiet/... \
	./internal/schedule ./internal/schedule/export/... ./internal/feeds/... ./internal/ui/... ./internal/config/...
NIGHT_TZ := $(shell scripts/zone-at-hour.sh 3)
DAY_TZ   := $(shell scripts/zone-at-hour.sh 15)

test: deps-test
	@echo "test: $$(date -u +%T) tidy, vet, staticcheck"
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@echo "test: $$(date -u +%T) whole suite at local 03:00 (TZ=$(NIGHT_TZ))"
	TZ=$(NIGHT_TZ) $(GO) test -race -count=1 -timeout 20m ./...
	@echo "test: $$(date -u +%T) clock-sensitive packages at local 15:00 (TZ=$(DAY_TZ)), German locale"
	TZ=$(DAY_TZ) LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 $(GO) test -count=1 -timeout 10m $(CLOCK_PKGS)
	@echo "test: $$(date -u +%T) hub build and metadata"
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/standby-hub
	appstreamcli validate --no-net packaging/linux/dev.standby.Standby.metainfo.xml
	@echo "test: packages (.deb installed and checked, tarball), cross builds, darwin vet"
	$(MAKE) package-check cross vet-darwin

build:
	$(GO) build -o bin/standby ./cmd/standby

build-hub:
	CGO_ENABLED=0 $(GO) build -o bin/standby-hub ./cmd/standby-hub

bench:
	bench/run.sh

deps-run:
	@scripts/install-deps.sh $(RUN_PKGS)

deps-test:
	@scripts/install-deps.sh $(TEST_PKGS)

clean:
	rm -rf bin build

include packaging/package.mk
