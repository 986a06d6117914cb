#!/usr/bin/env bash
# Everything CI runs, on a fresh Debian machine or a developer's: installs what
# the tests need, then checks formatting, lints and runs every test.
#   bash scripts/check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# A cold build of this dependency set is long on a small machine: keep the
# build outside the checkout so that CI runs on the same machine reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hemicycle-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# Debian packages the tests use (one per line in scripts/debian-packages.txt).
missing=()
while read -r pkg; do
  [ -z "$pkg" ] || [ "${pkg:0:1}" = "#" ] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < scripts/debian-packages.txt
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python tools (scripts/python-requirements.txt) in a virtual environment of
# their own: aiosmtpd runs the real SMTP server the send tests talk to.
VENV="${HEMICYCLE_VENV:-$HOME/.cache/hemicycle-venv}"
if ! "$VENV/bin/python" -c "import aiosmtpd, mailmerge, translate.storage.xliff" 2>/dev/null; then
  echo "Installing Python tools into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/python-requirements.txt
fi
export HEMICYCLE_TEST_PYTHON="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"

# citeproc-js (the CSL processor Zotero uses), the reference that
# tests/citeproc.rs compares every bundled style with, from npm into a cache
# folder of its own; pinned, so its figures do not move under the test.
CITEPROC_VERSION=2.4.63
if ! command -v npm >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
NODE_DIR="${HEMICYCLE_NODE_DIR:-$HOME/.cache/hemicycle-node}"
if [ "$(node -p "require('$NODE_DIR/node_modules/citeproc/package.json').version" 2>/dev/null)" != "$CITEPROC_VERSION" ]; then
  echo "Installing citeproc-js $CITEPROC_VERSION into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --no-save "citeproc@$CITEPROC_VERSION"
fi
export HEMICYCLE_NODE_MODULES="$NODE_DIR/node_modules"

echo "== packaging files: desktop entry and AppStream metainfo"
desktop-file-validate packaging/linux/*.desktop
appstreamcli validate --no-net packaging/linux/*.metainfo.xml

echo "== vendor/: the crates.io sources plus the patch series"
bash scripts/vendor.sh --check

echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets -- -D warnings
echo "== cargo test"
cargo test --locked --all-targets

# The Debian package: built with cargo-deb, installed with dpkg (through
# apt-get, which also installs its dependencies), and the installed program
# run. SKIP_PACKAGE=1 leaves it out (a release build takes long the first time).
if [ "${SKIP_PACKAGE:-0}" != "1" ]; then
  echo "== Debian package"
  bash scripts/package-deb.sh
fi
