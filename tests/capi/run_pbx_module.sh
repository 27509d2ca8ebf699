#!/bin/sh
# run_pbx_module.sh MOCK PBX_MODULE: runs the PBX example against a slow
# campaign-mock, so its call timer must tick while lookups are in flight.
set -eu
mock=$1
pbx=$2
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

mkfifo "$tmp/out"
"$mock" --port 0 --generate 100 --api-key sk_canary_c_4d2e --latency-ms 300 >"$tmp/out" &
pid=$!
# Blocks until the mock prints its first line.
read -r line <"$tmp/out"
base="${line#listening on }/v1"

CAMPAIGN_BASE_URL=$base CAMPAIGN_API_KEY=sk_canary_c_4d2e \
  "$pbx" cmp_000001 cmp_000002 cmp_999999 'bad id' >"$tmp/stdout" 2>"$tmp/stderr"
cat "$tmp/stdout" "$tmp/stderr"

fail() { echo "FAIL: $*"; exit 1; }
grep -q '^cmp_000001: ".*" .*% done' "$tmp/stdout" || fail "no record for cmp_000001"
grep -q '^cmp_000002: ' "$tmp/stdout" || fail "no record for cmp_000002"
grep -q '^cmp_999999: lookup failed (not_found)' "$tmp/stdout" || fail "no not_found"
grep -q '^bad id: lookup failed (invalid_argument)' "$tmp/stdout" || fail "no invalid_argument"
grep -q '^call timer: tick 1, ' "$tmp/stdout" || fail "the call timer did not tick during lookups"
if grep -q sk_canary_c_4d2e "$tmp/stdout" "$tmp/stderr"; then fail "the API key leaked"; fi
echo "ok"
