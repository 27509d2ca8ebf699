#!/usr/bin/env bash
# Runs every test: installs what is missing (Debian packages), then
#   1. builds into build/ and runs the whole suite with ctest (C++, C under
#      valgrind, CLI, Python, Go, ABI and export checks, soak, torture);
#   2. the same suite under ASan+UBSan (build/asan) and TSan (build/tsan);
#   3. every fuzz target for 20 seconds on its committed corpus (build/fuzz);
#   4. every benchmark for a second or two (build/release): a smoke test, the
#      figures are not judged here.
# This is what CI runs (.ci/run); about 35 minutes on 2 cores from scratch.
#
#   scripts/test.sh            all of it
#   scripts/test.sh --quick    step 1 only (about 11 minutes)
#   scripts/test.sh --only default|asan|tsan|fuzz|bench   one step
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
steps="default asan tsan fuzz bench"
case "${1:-}" in
  "") ;;
  --quick) steps="default" ;;
  --only) steps="${2:?usage: scripts/test.sh --only default|asan|tsan|fuzz|bench}" ;;
  --sanitizers) steps="default asan tsan" ;;  # the older spelling
  -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
  *) echo "test.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

scripts/deps.sh all

summary=()
run_step() {
  local name="$1"; shift
  local start=$SECONDS
  printf '\n== %s\n' "$name"
  "$@"
  summary+=("$(printf '%-8s passed in %4d s' "$name" $((SECONDS - start)))")
}

default_suite() {
  cmake --preset default >/dev/null
  cmake --build --preset default -j"$jobs"
  ctest --preset default -j"$jobs"
}

for step in $steps; do
  case "$step" in
    default) run_step default default_suite ;;
    asan|tsan) run_step "$step" scripts/sanitize.sh "$step" ;;
    fuzz) run_step fuzz fuzz/run.sh 20 ;;
    bench) run_step bench benchmarks/run.sh --smoke ;;
    *) echo "test.sh: unknown step '$step'" >&2; exit 2 ;;
  esac
done

printf '\n== summary\n'
printf '%s\n' "${summary[@]}"
