#!/usr/bin/env bash
# The vendored crates (vendor/<crate>) are the crate as published on
# crates.io plus Hemicycle's numbered patch series
# (vendor/patches/<crate>/NNNN-what.patch, each saying its reason and test).
# vendor/patches/<crate>/UPSTREAM names the version and the sha256 of the
# published .crate file.
#
#   scripts/vendor.sh            rebuild every vendor/<crate> folder
#   scripts/vendor.sh hayagriva  rebuild one
#   scripts/vendor.sh --check    verify that each folder is exactly the
#                                published crate plus its patches
#
# The .crate file is taken from cargo's cache (~/.cargo/registry/cache) or
# downloaded with `cargo fetch` in a scratch project. To upgrade a crate:
# change `version` in its UPSTREAM file and delete the `sha256` line, run
# the script, and see which patches no longer apply (it stops at the first,
# naming it); the new sha256 is printed to record.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

check=0
crates=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "vendor.sh: unknown option $arg (use --check, or name crates)" >&2; exit 2 ;;
    *) crates+=("$arg") ;;
  esac
done
if [ "${#crates[@]}" -eq 0 ]; then
  for d in vendor/patches/*/; do crates+=("$(basename "$d")"); done
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# field NAME FILE: the value of "NAME = value" in FILE.
field() { sed -n "s/^$1 *= *//p" "$2" | head -n1; }

# The published .crate file of $1 at version $2, from cargo's cache or
# downloaded into it.
crate_file() {
  local name="$1" version="$2" found
  found="$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$name-$version.crate" 2>/dev/null | head -n1 || true)"
  if [ -z "$found" ]; then
    mkdir -p "$WORK/fetch/src"
    printf '[package]\nname = "vendor-fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n' \
      "$name" "$version" >"$WORK/fetch/Cargo.toml"
    : >"$WORK/fetch/src/lib.rs"
    (cd "$WORK/fetch" && cargo fetch --quiet) >&2
    found="$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$name-$version.crate" 2>/dev/null | head -n1 || true)"
  fi
  [ -n "$found" ] || { echo "vendor.sh: cannot find or download $name $version from crates.io" >&2; exit 1; }
  echo "$found"
}

# build NAME: the published crate with its patches, in $WORK/NAME-VERSION.
build() {
  local name="$1" upstream="vendor/patches/$1/UPSTREAM" version sha file actual dir
  [ -f "$upstream" ] || { echo "vendor.sh: $upstream is missing (it names the version and sha256)" >&2; exit 1; }
  version="$(field version "$upstream")"
  sha="$(field sha256 "$upstream")"
  file="$(crate_file "$name" "$version")"
  actual="$(sha256sum "$file" | cut -d' ' -f1)"
  if [ -z "$sha" ]; then
    echo "vendor.sh: $name $version has sha256 $actual; record it in $upstream (sha256 = $actual)" >&2
  elif [ "$sha" != "$actual" ]; then
    echo "vendor.sh: $file has sha256 $actual, but $upstream records $sha" >&2
    exit 1
  fi
  tar -xzf "$file" -C "$WORK"
  dir="$WORK/$name-$version"
  for patch in "vendor/patches/$name"/[0-9][0-9][0-9][0-9]-*.patch; do
    [ -e "$patch" ] || continue
    if ! (cd "$dir" && git apply --whitespace=nowarn "$ROOT/$patch"); then
      echo "vendor.sh: $patch does not apply to $name $version; rework it or drop it" >&2
      exit 1
    fi
  done
  echo "$dir"
}

status=0
for name in "${crates[@]}"; do
  dir="$(build "$name")"
  if [ "$check" -eq 1 ]; then
    if diff -r "$dir" "vendor/$name" >"$WORK/$name.diff"; then
      echo "vendor/$name: the published crate plus $(ls vendor/patches/"$name"/*.patch | wc -l) patches, unchanged"
    else
      echo "vendor/$name differs from the published crate plus its patches (scripts/vendor.sh $name rebuilds it; an intended change goes in a new patch):" >&2
      head -n 40 "$WORK/$name.diff" >&2
      status=1
    fi
  else
    rm -rf "vendor/$name"
    mv "$dir" "vendor/$name"
    echo "vendor/$name rebuilt: $(field version "vendor/patches/$name/UPSTREAM") and $(ls vendor/patches/"$name"/*.patch | wc -l) patches"
  fi
done
exit "$status"
