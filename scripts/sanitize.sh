#!/usr/bin/env bash
# Builds and runs the test suite under a sanitizer.
#   scripts/sanitize.sh asan    AddressSanitizer + UndefinedBehaviorSanitizer (build/asan)
#   scripts/sanitize.sh tsan    ThreadSanitizer (build/tsan)
# Left to the default build, by label (the list is printed when it runs):
#   python    an uninstrumented interpreter cannot load an instrumented .so
#   go        `go test -race` is its own race detector (default build)
#   valgrind  another memory checker; it cannot run under a sanitizer
#   abi       abidiff and the export check read the binary, they run nothing
# (install_consumers and cli_memcheck are not even configured under a sanitizer.)
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
left_out="python|go|valgrind|abi"
echo "sanitize.sh $san: every ctest test except labels $left_out (see the header of this script for why)"
ctest --preset "$san" -j"$jobs" -LE "$left_out"
