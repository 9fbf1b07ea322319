#!/bin/sh
# standby-hub .deb: stop and disable the hub before its binary goes away
# (not on upgrade: the new version's postinstall reloads systemd).
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl disable --now standby-hub.service >/dev/null 2>&1 || true
fi
