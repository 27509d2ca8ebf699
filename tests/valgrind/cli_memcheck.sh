#!/usr/bin/env bash
# valgrind memcheck over the CLI against campaign-mock: get (success and
# failure), a batch with failures, and the exit codes they keep.
#   cli_memcheck.sh <campaign> <campaign-mock>
set -euo pipefail
cli="$1"; mock="$2"
work="$(mktemp -d)"
trap 'kill "$mock_pid" 2>/dev/null; wait "$mock_pid" 2>/dev/null; rm -rf "$work"' EXIT

"$mock" --port 0 --generate 500 --api-key sk_vg > "$work/mock.out" 2>/dev/null &
mock_pid=$!
for _ in $(seq 1 200); do
  [ -s "$work/mock.out" ] && break
  read -t 0.05 < /dev/zero || true  # wait for the first line without a busy loop
done
base="$(head -n1 "$work/mock.out" | sed 's/^listening on //')/v1"

vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect)
export CAMPAIGN_BASE_URL="$base" CAMPAIGN_API_KEY=sk_vg NO_COLOR=1

run() {  # expected-exit-code command...
  local want="$1"; shift
  set +e; "${vg[@]}" "$@" > "$work/out" 2> "$work/err"; local got=$?; set -e
  if [ "$got" != "$want" ]; then
    echo "FAIL: $* exited $got (want $want)"; cat "$work/err"; exit 1
  fi
  echo "ok: $* -> $got"
}

run 0 "$cli" get cmp_000001 --format json
run 0 "$cli" get cmp_000002 --format table
run 3 "$cli" get cmp_nope
run 2 "$cli" get "bad/id"
seq -f "cmp_%06g" 0 299 > "$work/ids"; echo cmp_unknown >> "$work/ids"
run 9 "$cli" batch "$work/ids" --concurrency 8
echo "valgrind: CLI clean (no errors, no leaks)"
