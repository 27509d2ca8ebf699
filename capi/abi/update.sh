#!/bin/sh
# update.sh [LIB]: rewrites the ABI baseline capi/abi/libcampaign.so.1.abi from
# a built libcampaign.so.1 (default: build/lib/libcampaign.so.1). Run it on
# purpose only: at a release, or after a reviewed addition to campaign.h.
# Never to make the capi_abi test pass after an unplanned change.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lib=${1:-"$here/../../build/lib/libcampaign.so.1"}
[ -f "$lib" ] || { echo "no $lib: build campaign_shared first" >&2; exit 1; }

# Only what campaign.h declares (49+ functions and their types), without
# build paths, so the file is small and the same on every machine.
abidw --headers-dir "$here/../include" --drop-private-types --exported-interfaces-only \
  --no-corpus-path --no-comp-dir-path --short-locs \
  --out-file "$here/libcampaign.so.1.abi" "$lib"
echo "wrote $here/libcampaign.so.1.abi from $lib"
