#!/usr/bin/env bash
# Runs every test: installs what is missing (Debian packages), builds into
# build/, runs the whole suite with ctest (C++, C, CLI, Python, install),
# then the sanitizer passes.
#
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh quick      the default build's suite only
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-all}"
jobs="$(nproc)"

scripts/deps.sh all

step() { printf '\n== %s\n' "$*"; }

step "build (build/)"
cmake --preset default >/dev/null
cmake --build --preset default -j"$jobs"

step "tests"
ctest --preset default -j"$jobs"

[ "$mode" = quick ] && exit 0

for san in asan tsan; do
  if [ -x scripts/sanitize.sh ]; then
    step "tests under $san"
    scripts/sanitize.sh "$san"
  fi
done
