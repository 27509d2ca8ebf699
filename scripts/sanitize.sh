#!/usr/bin/env bash
# Builds and runs the test suite under a sanitizer.
#   scripts/sanitize.sh asan    AddressSanitizer + UndefinedBehaviorSanitizer (build/asan)
#   scripts/sanitize.sh tsan    ThreadSanitizer (build/tsan)
# Tests that run foreign interpreters on the instrumented library (Python) or
# another checker (valgrind, abidiff) are left to the default build.
set -euo pipefail
cd "$(dirname "$0")/.."
san="${1:?usage: scripts/sanitize.sh asan|tsan}"
jobs="$(nproc)"

cmake --preset "$san" -DCAMPAIGN_BUILD_BENCHMARKS=OFF -DCAMPAIGN_BUILD_EXAMPLES=OFF >/dev/null
cmake --build --preset "$san" -j"$jobs"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# die_after_fork=0: the fork tests start a client's threads in the child of a
# threaded process on purpose; TSan would otherwise refuse to go on.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0"
ctest --preset "$san" -j"$jobs" -LE "python|go|valgrind|abi|no_sanitizer"
