#!/usr/bin/env bash
# Runs every test: installs what is missing (Debian packages), builds into
# build/ and runs the whole suite with ctest (C++, C under valgrind, CLI,
# Python, Go, ABI and export checks).
#
#   scripts/test.sh                 every test (what CI runs)
#   scripts/test.sh --sanitizers    and then the same suite under ASan+UBSan and TSan
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
jobs="$(nproc)"

scripts/deps.sh all

step() { printf '\n== %s\n' "$*"; }

step "build (build/)"
cmake --preset default >/dev/null
cmake --build --preset default -j"$jobs"

step "tests"
ctest --preset default -j"$jobs"

[ "$mode" = --sanitizers ] || exit 0

for san in asan tsan; do
  step "tests under $san"
  scripts/sanitize.sh "$san"
done
