#!/usr/bin/env bash
# Writes packaging/windows/License.rtf (the licence page of the Windows
# installer) from LICENSE, line for line in a monospaced font so the text
# keeps its layout. Run it after LICENSE changes; the RTF is committed.
#   bash packaging/windows/make-license-rtf.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

# LICENSE is plain ASCII; RTF needs \, { and } escaped.
if LC_ALL=C grep -q '[^ -~]' LICENSE; then
  echo "make-license-rtf.sh: LICENSE has non-ASCII characters; escape them for RTF first" >&2
  exit 1
fi
{
  printf '{\\rtf1\\ansi\\ansicpg1252\\deff0\n'
  printf '{\\fonttbl{\\f0\\fmodern\\fcharset0 Courier New;}}\n'
  printf '\\f0\\fs16\n'
  sed -e 's/\\/\\\\/g' -e 's/{/\\{/g' -e 's/}/\\}/g' -e 's/$/\\par/' LICENSE
  printf '}\n'
} > packaging/windows/License.rtf
echo "wrote packaging/windows/License.rtf"
