#!/bin/sh
# standby-hub .deb: on purge, remove what postinstall and the service made:
# the hub's state directory and its system user and group. A plain remove
# keeps them, so that reinstalling finds the team's hub as it was.
set -e
if [ "$1" = purge ]; then
	rm -rf /var/lib/standby-hub
	if getent passwd standby-hub >/dev/null; then
		if command -v userdel >/dev/null 2>&1; then
			userdel standby-hub
		else
			deluser --system --quiet standby-hub
		fi
	fi
	if getent group standby-hub >/dev/null; then
		if command -v groupdel >/dev/null 2>&1; then
			groupdel standby-hub
		else
			delgroup --system --quiet standby-hub
		fi
	fi
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload || true
fi
