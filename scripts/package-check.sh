#!/usr/bin/env bash
# Installs the .debs that `make package` built into build/, checks them the
# way a user and a distribution would, and removes them again.
# Usage: scripts/package-check.sh VERSION   (root, or sudo for dpkg)
set -euo pipefail
version=${1:?usage: package-check.sh VERSION}
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
fail() { echo "package-check: $*" >&2; exit 1; }

debs=(build/standby_"${version}"_*.deb build/standby-hub_"${version}"_*.deb)
for d in "${debs[@]}"; do [ -f "$d" ] || fail "missing $d (run make package)"; done
purge() { $SUDO dpkg --purge standby standby-hub >/dev/null 2>&1 || true; }
trap purge EXIT
$SUDO dpkg -i "${debs[@]}" >/dev/null

out=$(/usr/bin/standby version)
[[ $out == "standby ${version} "* ]] || fail "standby version printed '$out', want version ${version}"
echo "package-check: $out"

desktop-file-validate /usr/share/applications/dev.standby.Standby.desktop
appstreamcli validate --no-net /usr/share/metainfo/dev.standby.Standby.metainfo.xml >/dev/null \
	|| fail "appstreamcli validate failed on the installed metainfo"
for s in 16 22 24 32 48 64 128 256; do
	[ -s "/usr/share/icons/hicolor/${s}x${s}/apps/dev.standby.Standby.png" ] || fail "no ${s}x${s} icon"
done
[ -s /usr/share/icons/hicolor/scalable/apps/dev.standby.Standby.svg ] || fail "no scalable icon"
man_out=$(MANWIDTH=80 man --warnings -l /usr/share/man/man1/standby.1.gz 2>&1 >/dev/null) || fail "man failed"
[ -z "$man_out" ] || fail "man warns: $man_out"

# systemd-analyze verify reports bad values on stderr but still exits 0.
verify=$(systemd-analyze verify /usr/lib/systemd/system/standby-hub.service 2>&1) \
	|| fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify: $verify"
getent passwd standby-hub >/dev/null || fail "the hub package did not create its user"
/usr/bin/standby-hub --help >/dev/null || fail "standby-hub --help failed"

tmp=$(mktemp -d)
trap 'purge; rm -rf "$tmp"' EXIT
tar -xJf build/standby-"${version}"-linux-*.tar.xz -C "$tmp"
[[ $("$tmp"/*/usr/local/bin/standby version) == "standby ${version} "* ]] || fail "the tarball's standby does not run"
desktop-file-validate "$tmp"/*/usr/local/share/applications/dev.standby.Standby.desktop

# A purge takes away what the packages made: the hub's user and group.
$SUDO dpkg --purge standby standby-hub >/dev/null
! getent passwd standby-hub >/dev/null || fail "purging standby-hub left its user behind"
! getent group standby-hub >/dev/null || fail "purging standby-hub left its group behind"
[ ! -e /var/lib/standby-hub ] || fail "purging standby-hub left /var/lib/standby-hub behind"
echo "package-check: ok (deb, tarball, desktop file, metainfo, icons, man page, hub unit, purge)"
