#!/usr/bin/env bash
# Builds the fuzz targets (into build/fuzz) and runs each for a while.
#
#   fuzz/run.sh [SECONDS] [options]     SECONDS per target (default 60: a short run)
#
#   fuzz/run.sh 20                      CI smoke: ~2-3 minutes in all on 2 cores, build included
#   fuzz/run.sh 3600 --jobs 1           the release run: one CPU-hour per target
#
# Options:
#   --targets "a b"   only these (names with or without the fuzz_ prefix)
#   --jobs N          targets run N at a time (default: nproc)
#   --merge           afterwards, merge inputs with new coverage into fuzz/corpus/<target>/
#   --keep            keep the work directory (printed at the end)
#   --no-build        use the binaries already in the build directory
#
# Environment: FUZZ_BUILD_DIR (default build/fuzz), CAMPAIGN_ROOT (tree to fuzz,
# default this repository), CC/CXX (default clang-14/clang++-14).
#
# Each target runs on a copy of its committed corpus in a temporary directory,
# so the committed corpora change only with --merge. A failing input is saved
# as build/fuzz/artifacts/<target>/crash-* (or leak-, timeout-, oom-); copy it
# to tests/regression/inputs/<target>/ once understood. Exit status: 0 when no
# target failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds=60
jobs="$(nproc)"
merge=0
keep=0
build=1
all_targets="fuzz_decode fuzz_differential fuzz_http_response fuzz_error_body fuzz_validation"
targets="$all_targets"

while [ $# -gt 0 ]; do
  case "$1" in
    --targets) targets="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --merge) merge=1 ;;
    --keep) keep=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    [0-9]*) seconds="$1" ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
norm=""
for t in $targets; do norm="$norm fuzz_${t#fuzz_}"; done
targets="$norm"

# Per target: input size limit and dictionary.
max_len() {
  case "$1" in
    fuzz_validation) echo 512 ;;
    fuzz_error_body) echo 2048 ;;
    fuzz_http_response) echo 8192 ;;
    *) echo 4096 ;;
  esac
}
dict() {
  case "$1" in
    fuzz_http_response) echo "$here/dict/http.dict" ;;
    fuzz_validation) echo "$here/dict/validation.dict" ;;
    *) echo "$here/dict/json.dict" ;;
  esac
}

build_dir="${FUZZ_BUILD_DIR:-$root/build/fuzz}"
export CC="${CC:-clang-14}" CXX="${CXX:-clang++-14}"

if [ "$build" = 1 ]; then
  if ! command -v "$CXX" >/dev/null || ! command -v ld.lld >/dev/null ||
     ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    echo "== installing clang-14, libclang-rt-14-dev, lld" >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev lld >/dev/null
  fi
  "$root/scripts/deps.sh" core 2>/dev/null || true
  echo "== build ($build_dir)"
  start=$SECONDS
  mkdir -p "$build_dir"
  if ! cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=Fuzz \
         ${CAMPAIGN_ROOT:+-DCAMPAIGN_ROOT="$CAMPAIGN_ROOT"} >"$build_dir/configure.log" 2>&1 ||
     ! cmake --build "$build_dir" -j"$(nproc)" --target $targets >"$build_dir/build.log" 2>&1; then
    cat "$build_dir/configure.log" "$build_dir/build.log" 2>/dev/null | grep -v '^\[' | tail -n 40 >&2
    echo "run.sh: the build failed (logs in $build_dir)" >&2
    exit 1
  fi
  echo "   built in $((SECONDS - start)) s"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/campaign-fuzz.XXXXXX")"
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT

run_one() {
  local t="$1" dir="$work/$1"
  mkdir -p "$dir/corpus" "$build_dir/artifacts/$t"
  cp -r "$here/corpus/$t/." "$dir/corpus/" 2>/dev/null || true
  local rc=0
  "$build_dir/$t" "$dir/corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
    -max_len="$(max_len "$t")" -dict="$(dict "$t")" \
    -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$t/" \
    >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}

echo "== fuzzing: $seconds s per target, $jobs at a time"
pids=()
for t in $targets; do
  run_one "$t" &
  pids+=($!)
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
wait

failed=0
printf '\n%-20s %12s %10s %8s  %s\n' target executions exec/s corpus result
for t in $targets; do
  dir="$work/$t"
  execs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$dir/log" | awk '{print $2}' | tail -n 1)"
  rate="$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$dir/log" | awk '{print $2}' | tail -n 1)"
  files="$(find "$dir/corpus" -type f | wc -l)"
  rc="$(cat "$dir/rc")"
  result=ok
  if [ "$rc" != 0 ]; then
    failed=1
    artifact="$(grep -o "Test unit written to [^ ]*" "$dir/log" | tail -n 1 | sed 's/Test unit written to //')"
    result="FAILED (exit $rc) ${artifact:-see log}"
  fi
  printf '%-20s %12s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$files" "$result"
done
for t in $targets; do
  if [ "$(cat "$work/$t/rc")" != 0 ]; then
    echo; echo "== $t: what failed"
    grep -E -A4 'property failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer: (timeout|out-of-memory))|runtime error' \
      "$work/$t/log" | grep -v '^ *#[0-9]' | head -n 12
    grep -o 'Test unit written to .*' "$work/$t/log" | tail -n 1
  fi
done

if [ "$merge" = 1 ]; then
  echo; echo "== merging new coverage into fuzz/corpus/"
  for t in $targets; do
    before="$(find "$here/corpus/$t" -type f | wc -l)"
    "$build_dir/$t" -merge=1 -max_len="$(max_len "$t")" "$here/corpus/$t" "$work/$t/corpus" \
      >"$work/$t/merge.log" 2>&1 || echo "   $t: merge failed (see $work/$t/merge.log)"
    echo "   $t: $before -> $(find "$here/corpus/$t" -type f | wc -l) files"
  done
fi
[ "$keep" = 1 ] && echo "work directory: $work"
exit "$failed"
