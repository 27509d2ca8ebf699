#!/bin/sh
# run_pbx_module.sh MOCK PBX_MODULE: runs the PBX example against a slow
# campaign-mock, so its call timer must tick while lookups are in flight; then
# against a mock that never answers, stopped by SIGTERM mid-lookup: it must
# leave within a bound, every lookup answered (cancelled).
set -eu
mock=$1
pbx=$2
tmp=$(mktemp -d)
pid=
ppid_=
cleanup() {
  if [ -n "$ppid_" ]; then kill -9 "$ppid_" 2>/dev/null || true; fi
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
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# Polls for a condition, at most $1 tenths of a second.
wait_for() {
  n=$1; shift
  while ! "$@"; do
    n=$((n - 1))
    [ "$n" -gt 0 ] || return 1
    sleep 0.1
  done
}

mkfifo "$tmp/out2"
"$mock" --port 0 --generate 100 --api-key sk_canary_c_4d2e --fault hang >"$tmp/out2" &
pid=$!
read -r line <"$tmp/out2"
base="${line#listening on }/v1"
CAMPAIGN_BASE_URL=$base CAMPAIGN_API_KEY=sk_canary_c_4d2e \
  "$pbx" cmp_000001 cmp_000002 >"$tmp/stdout2" 2>"$tmp/stderr2" &
ppid_=$!
# Two ticks: both lookups are on the wire, unanswered.
wait_for 100 grep -q '^call timer: tick 2, 2 lookup' "$tmp/stdout2" || fail "no ticks while hanging"
kill -TERM "$ppid_"
# Its last line; a zombie still answers kill -0, so the line is the signal.
wait_for 50 grep -q '^stopped: ' "$tmp/stdout2" || fail "did not stop within 5 s of SIGTERM"
wait "$ppid_" || fail "exit status $? after SIGTERM"
ppid_=
cat "$tmp/stdout2" "$tmp/stderr2"
grep -q '^stopping: 2 lookup(s) in flight' "$tmp/stdout2" || fail "stop not seen with 2 in flight"
grep -q '^cmp_000001: lookup failed (cancelled)' "$tmp/stdout2" || fail "cmp_000001 not cancelled"
grep -q '^cmp_000002: lookup failed (cancelled)' "$tmp/stdout2" || fail "cmp_000002 not cancelled"
grep -q '^stopped: 0 lookup(s) unanswered' "$tmp/stdout2" || fail "lookups left unanswered"
echo "ok"
