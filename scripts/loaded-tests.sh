#!/usr/bin/env bash
# Runs the whole test suite again and again while other processes keep every
# core busy, as on a busy CI machine or laptop: a test that depends on timing
# (a sleep used to wait for another thread, a deadline that assumes an idle
# machine) fails here long before it fails in CI by chance.
#   bash scripts/loaded-tests.sh [RUNS] [-- TEST ARGS]
# e.g. `bash scripts/loaded-tests.sh 20` or `bash scripts/loaded-tests.sh 5 -- --test-threads=1`.
# It stops at the first failing run and shows its output.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hemicycle-target}"
export HEMICYCLE_TEST_PYTHON="${HEMICYCLE_TEST_PYTHON:-$HOME/.cache/hemicycle-venv/bin/python}"
runs="${1:-20}"
shift || true
[ "${1:-}" = "--" ] && shift
if ! command -v stress-ng >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends stress-ng
fi
cargo test --locked --all-targets --no-run -q
stress-ng --cpu "$(nproc)" --quiet &
load=$!
trap 'kill "$load" 2>/dev/null || true' EXIT
log="$(mktemp)"
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if cargo test --locked --all-targets -q -- "$@" >"$log" 2>&1; then
    echo "run $i of $runs passed with the cores loaded ($(( $(date +%s) - start )) s)"
  else
    echo "run $i of $runs FAILED with the cores loaded:"
    grep -E "panicked|FAILED|failures:" "$log" | head -40
    echo "(whole output: $log)"
    exit 1
  fi
done
echo "loaded: $runs passed, 0 failed"
