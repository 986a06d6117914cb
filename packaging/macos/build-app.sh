#!/usr/bin/env bash
# Assembles Hemicycle.app from a release build. On a Mac with the Rust
# toolchain (rust-toolchain.toml pins the version):
#   bash packaging/macos/build-app.sh
# The bundle is written to $CARGO_TARGET_DIR/macos/Hemicycle.app (target/ when
# CARGO_TARGET_DIR is not set), for this Mac's architecture. SKIP_BUILD=1 uses
# the release binary already built. The bundle is signed ad hoc, not with a
# Developer ID, and not notarized: see packaging/README.md.
# Written on Linux and not run there: macOS only.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { printf 'build-app.sh: FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(uname -s)" = "Darwin" ] || fail "this builds a macOS app bundle; run it on a Mac"

target_dir="${CARGO_TARGET_DIR:-target}"
# The package version: the first `version = "..."` line is the [package] one.
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
[ -n "$version" ] || fail "could not read the version from Cargo.toml"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  echo "== cargo build --release --locked"
  cargo build --release --locked || fail "cargo build failed"
fi
binary="$target_dir/release/hemicycle"
[ -x "$binary" ] || fail "no release binary at $binary"

app="$target_dir/macos/Hemicycle.app"
echo "== assembling $app (version $version)"
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "$binary" "$app/Contents/MacOS/hemicycle"
cp packaging/macos/Info.plist "$app/Contents/Info.plist"
printf 'APPL????' > "$app/Contents/PkgInfo"
cp packaging/icons/hemicycle.icns "$app/Contents/Resources/hemicycle.icns"
cp LICENSE "$app/Contents/Resources/LICENSE.txt"
# The data credits of the bundled MEP directory (ODbL: keep with any copy).
cp assets/directory/README.md "$app/Contents/Resources/MEP-DIRECTORY.md"

# Info.plist carries the version of Cargo.toml.
/usr/libexec/PlistBuddy -c "Set :CFBundleShortVersionString $version" "$app/Contents/Info.plist"
/usr/libexec/PlistBuddy -c "Set :CFBundleVersion $version" "$app/Contents/Info.plist"
plutil -lint "$app/Contents/Info.plist" || fail "Info.plist is not valid"

# An ad-hoc signature seals the bundle so that it runs on this Mac (Apple
# Silicon requires signed code). Distribution needs a Developer ID and
# notarization instead.
codesign --force --sign - "$app" || fail "codesign failed"
codesign --verify --verbose "$app" || fail "the bundle's signature does not verify"

"$app/Contents/MacOS/hemicycle" --version || fail "the bundled binary does not run"
echo "build-app.sh: OK: $app"
