#!/usr/bin/env bash
# Renders the app icon from its SVG sources into every file the packages use:
#   hemicycle-{16,24,32,48,64,128,256,512}.png  (Linux hicolor theme sizes)
#   hemicycle.ico                               (Windows: 16 to 256 px)
#   hemicycle.icns                              (macOS: 16 to 512 px)
# 16 and 24 px come from hemicycle-small.svg (drawn for small sizes), the
# others from hemicycle.svg. The rendered files are committed: run this only
# after changing an SVG, then look at the PNGs. CI does not run it.
#
#   bash packaging/icons/render.sh
#
# Needs (Debian packages): librsvg2-bin (rsvg-convert), imagemagick
# (convert), icnsutils (png2icns).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
for tool in rsvg-convert:librsvg2-bin convert:imagemagick png2icns:icnsutils; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "render.sh: missing tools; install the Debian packages: ${missing[*]}" >&2
  exit 1
fi

sizes=(16 24 32 48 64 128 256 512)
for size in "${sizes[@]}"; do
  src=hemicycle.svg
  [ "$size" -le 24 ] && src=hemicycle-small.svg
  rsvg-convert --width "$size" --height "$size" --format png \
    --output "hemicycle-$size.png" "$src"
  echo "wrote hemicycle-$size.png (from $src)"
done

# Windows: one .ico with every size up to 256 px (larger ones are not allowed).
convert hemicycle-16.png hemicycle-24.png hemicycle-32.png hemicycle-48.png \
  hemicycle-64.png hemicycle-128.png hemicycle-256.png hemicycle.ico
echo "wrote hemicycle.ico"

# macOS: png2icns takes the sizes the .icns format has (16, 32, 48, 128, 256, 512).
png2icns hemicycle.icns hemicycle-16.png hemicycle-32.png hemicycle-48.png \
  hemicycle-128.png hemicycle-256.png hemicycle-512.png >/dev/null
echo "wrote hemicycle.icns"

# The window icon the app sets itself (raw 64×64 RGBA, included in the binary
# by src/ui/mod.rs, so that no PNG decoder is needed).
convert hemicycle-64.png -depth 8 rgba:../../assets/hemicycle-64.rgba
echo "wrote ../../assets/hemicycle-64.rgba"
