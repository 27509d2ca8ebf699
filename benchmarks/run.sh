#!/usr/bin/env bash
# campaign benchmarks: installs the peers, builds (Release preset), runs
# decode, fetch, scale and ratelimit, prints one table and writes it as JSON to
# benchmarks/results/latest.json.
#
#   benchmarks/run.sh           full run (about 15 minutes on 2 cores)
#   benchmarks/run.sh --smoke   each benchmark for a second or two (CI)
#
# Environment: CAMPAIGN_BENCH_SKIP_DEPS=1 skips deps.sh, CAMPAIGN_BENCH_SKIP_BUILD=1
# skips the build, CAMPAIGN_BENCH_OUT=FILE writes the JSON elsewhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
mode=()
target=campaign-benchmarks
for arg in "$@"; do
  case "$arg" in
    --smoke) mode=(--smoke); target=campaign-benchmarks-core ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done

if [ "${CAMPAIGN_BENCH_SKIP_DEPS:-0}" != 1 ]; then
  "$here/deps.sh" || echo "run.sh: deps.sh failed; peers that are missing will be skipped" >&2
fi

cd "$repo"
if [ "${CAMPAIGN_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "run.sh: building (cmake --preset release) ..." >&2
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  # Only what the benchmarks need (the benchmark programs, campaign,
  # campaign-mock, libcampaign.so for the Python binding), not the tests;
  # --smoke leaves out the -march=haswell decode variant.
  if ! { cmake --preset release && cmake --build --preset release -j2 --target "$target"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "run.sh: the build failed" >&2
    exit 1
  fi
fi

out="${CAMPAIGN_BENCH_OUT:-$here/results/latest.json}"
python=python3
command -v "$python" >/dev/null || python=/usr/bin/python3
"$python" "$here/bench.py" --bin "$repo/build/release/bin" --out "$out" "${mode[@]}"
