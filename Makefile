# Standby — the two commands of the README's quick start are `make run` and
# `make test`; each installs what it needs first (Debian/Ubuntu, via apt).
SHELL := /bin/bash
GO ?= go
export LANG ?= C.UTF-8

# System packages: Fyne needs gcc and the GL/X11 headers; the tests also run
# the app under Xvfb with a D-Bus session and a notification daemon, a real
# Alertmanager, and validate the AppStream metadata.
RUN_PKGS  := gcc libgl1-mesa-dev xorg-dev
TEST_PKGS := $(RUN_PKGS) xvfb xauth dbus dunst imagemagick appstream prometheus-alertmanager

.PHONY: run test deps-run deps-test build build-hub bench clean

run: deps-run
	$(GO) run ./cmd/standby

test: deps-test
	$(GO) vet ./...
	$(GO) test -race -timeout 20m ./...
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/standby-hub
	appstreamcli validate --no-net packaging/linux/dev.standby.Standby.metainfo.xml

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
	rm -rf bin
