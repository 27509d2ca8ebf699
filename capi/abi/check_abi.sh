#!/bin/sh
# check_abi.sh LIB: compares LIB (a freshly built libcampaign.so.1) with the
# baseline libcampaign.so.1.abi beside this script. See capi/README.md.
#
# abidiff's exit status is a bit set: 1 error, 2 usage error, 4 ABI change,
# 8 incompatible change (something removed). The policy:
#  - allowed: added functions (--no-added-syms) and members appended to the
#    size-prefixed structs (suppressions.ini);
#  - anything else fails, bit 4 included: a changed parameter type or a
#    member inserted mid-struct breaks callers even though nothing was removed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
lib=$1
headers="$here/../include"

# abidiff takes the types from the library's DWARF; without it (no -g) it
# compares symbol names only and would pass a changed struct. Exit 77: ctest
# counts it as skipped only where the build type has no -g (tests/capi).
if ! abidw --headers-dir "$headers" --exported-interfaces-only "$lib" 2>/dev/null |
    grep -q "<function-decl name='campaign_"; then
  echo "NOT CHECKED: $lib has no debug info for the functions of campaign.h (built"
  echo "without -g?), and abidiff would compare symbol names only"
  exit 77
fi

abidiff --headers-dir1 "$headers" --headers-dir2 "$headers" \
  --exported-interfaces-only --no-added-syms --suppressions "$here/suppressions.ini" \
  "$here/libcampaign.so.1.abi" "$lib"
rc=$?
if [ $rc -eq 0 ]; then
  echo "ABI compatible with capi/abi/libcampaign.so.1.abi"
  exit 0
fi
[ $((rc & 3)) -ne 0 ] && echo "abidiff failed (exit status $rc)"
[ $((rc & 8)) -ne 0 ] && echo "INCOMPATIBLE: functions or types were removed"
[ $((rc & 4)) -ne 0 ] && echo "ABI CHANGE outside the policy (only additions are allowed)"
echo "If this break is intended, it needs a new SONAME (CAMPAIGN_ABI_MAJOR);"
echo "if the change is an allowed addition, refresh the baseline: capi/abi/update.sh"
exit 1
