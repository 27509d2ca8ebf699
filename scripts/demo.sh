#!/usr/bin/env bash
# The README's demo: from a fresh Debian 12 machine to a dashboard and a
# 100,000-ID batch against the bundled mock API, in one command.
#
#   scripts/demo.sh            (from any directory)
#
# Installs the build dependencies (scripts/deps.sh core, with sudo if not
# root), builds the `campaign` CLI and `campaign-mock` in build/, starts the
# mock on a free port, and runs the CLI against it. Everything it writes
# outside build/ goes to a temporary directory that is removed at the end,
# and the mock is stopped however the script ends.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

ids=100000           # IDs in the batch
concurrency=64       # batch requests in flight

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
  step() { printf '\n==> %s\n' "$*"; }
fi

step "Dependencies (scripts/deps.sh core)"
scripts/deps.sh core

step "Build (Release) -> build/bin/campaign, build/bin/campaign-mock"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target campaign campaign-mock

cli="$root/build/bin/campaign"
mock="$root/build/bin/campaign-mock"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/campaign-demo.XXXXXX")"
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Start campaign-mock: $ids synthetic campaigns on a free port"
# --advance 25: every GET moves 25 pending calls to completed, so campaigns
# make progress while we watch them.
"$mock" --port 0 --generate "$ids" --api-key demo-key --advance 25 \
  >"$tmp/mock.out" 2>"$tmp/mock.err" &
mock_pid=$!
line=""
for _ in $(seq 1 300); do  # up to 30 s
  if [ -s "$tmp/mock.out" ]; then
    IFS= read -r line <"$tmp/mock.out" || true
    case "$line" in "listening on "*) break ;; esac
  fi
  if ! kill -0 "$mock_pid" 2>/dev/null; then
    echo "campaign-mock exited early:" >&2
    cat "$tmp/mock.err" >&2
    exit 1
  fi
  sleep 0.1
done
case "$line" in
  "listening on "*) ;;
  *) echo "campaign-mock did not report its address" >&2; exit 1 ;;
esac
export CAMPAIGN_BASE_URL="${line#listening on }/v1"
export CAMPAIGN_API_KEY=demo-key
echo "CAMPAIGN_BASE_URL=$CAMPAIGN_BASE_URL  (key in CAMPAIGN_API_KEY)"

step "Dashboard: campaign get cmp_000042 --format table"
"$cli" get cmp_000042 --format table

step "As canonical JSON (fetched again: the mock moved it on): campaign get cmp_000042 --format json"
"$cli" get cmp_000042 --format json

step "Batch: $ids IDs (every 997th unknown, a few invalid), $concurrency at once"
# cmp_000000.. with some unknown IDs, some invalid ones and a blank line: each
# non-blank line gives exactly one NDJSON result, in input order.
awk -v n="$ids" 'BEGIN {
  for (i = 0; i < n; i++) {
    if (i % 997 == 500)        printf "cmp_unknown_%d\n", i
    else if (i % 24989 == 7)   printf "not a valid id %d\n", i
    else                       printf "cmp_%06d\n", i
    if (i == 50000) print ""
  }
}' >"$tmp/ids.txt"
echo "input: $(wc -l <"$tmp/ids.txt") lines in $tmp/ids.txt"
rc=0
"$cli" batch "$tmp/ids.txt" --concurrency "$concurrency" >"$tmp/results.ndjson" || rc=$?
case "$rc" in
  0) echo "exit code 0: every ID succeeded" ;;
  9) echo "exit code 9: some IDs failed, as planned (each failure is a line of its own)" ;;
  *) echo "exit code $rc: unexpected" >&2; exit "$rc" ;;
esac

step "Results ($tmp/results.ndjson)"
echo "first lines:"
head -n 2 "$tmp/results.ndjson" | cut -c1-150
echo "last lines:"
tail -n 2 "$tmp/results.ndjson" | cut -c1-150
echo "a failure:"
grep -m1 '"ok":false' "$tmp/results.ndjson" || true
echo "counts:"
printf '  %-18s %s\n' "lines" "$(wc -l <"$tmp/results.ndjson")"
printf '  %-18s %s\n' "ok" "$(grep -c '"ok":true' "$tmp/results.ndjson" || true)"
grep -o '"ok":false,"error":{"kind":"[a-z_]*"' "$tmp/results.ndjson" |
  sed 's/.*"kind":"\([a-z_]*\)"/\1/' | sort | uniq -c |
  while read -r count kind; do printf '  %-18s %s\n' "$kind" "$count"; done

step "List: the paused campaigns (all pages), the first 5 as rows"
"$cli" list --status paused --format table --max 5
echo "paused campaigns in all: $("$cli" list --status paused --ids | wc -l)"

step "Call logs of one campaign: campaign calls cmp_000049 --format table --max 3"
"$cli" calls cmp_000049 --format table --max 3

step "Watch a running campaign until it completes"
# The running campaign with the fewest pending calls among the first 300.
watch_id="$(seq -f 'cmp_%06g' 0 299 | "$cli" batch 2>/dev/null |
  sed -nE 's/^\{"id":"([^"]+)".*"status":"running".*"pending_calls":([0-9]+),.*/\2 \1/p' |
  sort -n | head -n 1 | cut -d' ' -f2 || true)"
if [ -n "$watch_id" ]; then
  echo "campaign watch $watch_id --interval 0.3   (Ctrl-C stops it)"
  "$cli" watch "$watch_id" --interval 0.3 --avg-call-seconds 120
else
  echo "(no running campaign found to watch)"
fi

step "Done: the mock is stopped and $tmp removed on exit"
