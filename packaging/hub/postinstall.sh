#!/bin/sh
# standby-hub .deb: create the hub's user; the unit is left disabled until
# the admin has configured it (see the README).
set -e
if command -v systemd-sysusers >/dev/null 2>&1; then
	systemd-sysusers standby-hub.conf
elif ! getent passwd standby-hub >/dev/null; then
	adduser --system --group --home /var/lib/standby-hub --no-create-home standby-hub
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload || true
fi
