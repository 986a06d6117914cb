#!/usr/bin/env bash
# Builds the Debian package of Hemicycle with cargo-deb, installs it on this
# machine and checks the installed program and files:
#   bash scripts/package-deb.sh
# Needs a Debian or Ubuntu machine with the Rust toolchain, root or sudo, and
# time: it makes a release build (tens of minutes on 2 cores the first time).
# Set SKIP_INSTALL=1 to build the package only.
# The package is written to $CARGO_TARGET_DIR/debian/. See packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0
APP_ID=eu.hemicycle.Hemicycle

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hemicycle-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'package-deb.sh: FAILED: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || fail "not root and no sudo: cannot install Debian packages"
  SUDO="sudo"
fi

step "Debian tools for packaging and checks"
# dpkg-dev: dpkg-shlibdeps, which cargo-deb runs for depends = "$auto".
need=(dpkg-dev desktop-file-utils appstream)
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || fail "could not install ${missing[*]}"
else
  echo "present: ${need[*]}"
fi

step "cargo-deb $CARGO_DEB_VERSION"
if [ "$(cargo deb --version 2>/dev/null || true)" != "cargo-deb $CARGO_DEB_VERSION" ]; then
  echo "Installing cargo-deb $CARGO_DEB_VERSION"
  cargo install cargo-deb --locked --version "$CARGO_DEB_VERSION" \
    || fail "could not install cargo-deb $CARGO_DEB_VERSION"
fi
cargo deb --version

step "cargo deb --locked (release build in $CARGO_TARGET_DIR)"
# cargo-deb prints the path of the package it wrote as its last line.
deb="$(cargo deb --locked | tail -n 1)" || fail "cargo deb failed"
[ -f "$deb" ] || fail "cargo deb did not report a package file (got: '$deb')"
echo "package: $deb"
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"

if [ "${SKIP_INSTALL:-0}" = "1" ]; then
  echo "SKIP_INSTALL=1: not installing."
  exit 0
fi

step "Install $deb"
# apt-get (not plain dpkg -i) so that the package's Depends are installed too;
# it hands the file to dpkg. The path must contain a slash for apt-get.
case "$deb" in /*) ;; *) deb="./$deb" ;; esac
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends --reinstall "$deb" \
  || fail "could not install $deb"
dpkg-query -W -f='installed: ${Package} ${Version}\n' hemicycle

step "The installed program"
[ -x /usr/bin/hemicycle ] || fail "/usr/bin/hemicycle is missing or not executable"
# A fresh home, so that the bundled directory and defaults are used and
# nothing of this user's Hemicycle files is read or written.
tmp_home="$(mktemp -d)"
trap 'rm -rf "$tmp_home"' EXIT
run_installed() {
  env -u HEMICYCLE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME \
    -u XDG_STATE_HOME -u DISPLAY -u WAYLAND_DISPLAY HOME="$tmp_home" /usr/bin/hemicycle "$@"
}
version="$(dpkg-deb --field "$deb" Version)"
version="${version%-*}"
out="$(run_installed --version)" || fail "/usr/bin/hemicycle --version exited with an error"
echo "hemicycle --version: $out"
case "$out" in *"$version"*) ;; *) fail "--version says '$out', the package is $version" ;; esac
count="$(run_installed meps --count)" || fail "/usr/bin/hemicycle meps --count exited with an error"
echo "hemicycle meps --count: $count"
[[ "$count" =~ ^[0-9]+$ && "$count" -gt 0 ]] || fail "meps --count printed '$count', not a number of MEPs"

step "The installed desktop entry, AppStream metadata and icons"
desktop="/usr/share/applications/$APP_ID.desktop"
metainfo="/usr/share/metainfo/$APP_ID.metainfo.xml"
desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
echo "desktop-file-validate $desktop: ok"
# AppStream 1.0 and newer warn "url-homepage-missing": Hemicycle has no public
# homepage yet (packaging/README.md). That warning is the only one accepted.
set +e
as_out="$(appstreamcli validate --no-net "$metainfo" 2>&1)"
as_rc=$?
set -e
printf '%s\n' "$as_out"
if [ "$as_rc" -ne 0 ]; then
  other="$(printf '%s\n' "$as_out" | grep -E '^[EW]:' | grep -v 'url-homepage-missing' || true)"
  if [ -n "$other" ] || ! printf '%s\n' "$as_out" | grep -qE '^W:.*url-homepage-missing'; then
    fail "appstreamcli validate --no-net $metainfo"
  fi
  echo "(only url-homepage-missing: accepted, see packaging/README.md)"
fi
for size in 16 24 32 48 64 128 256 512; do
  icon="/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
  [ -f "$icon" ] || fail "icon missing: $icon"
done
[ -f "/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg" ] || fail "scalable icon missing"
echo "icons: ok"
for doc in copyright README.md MEP-DIRECTORY.md; do
  [ -f "/usr/share/doc/hemicycle/$doc" ] || fail "missing /usr/share/doc/hemicycle/$doc"
done
echo "docs: ok"

printf '\npackage-deb.sh: OK: %s built, installed and checked.\n' "$deb"
