#!/bin/sh
# check_exports.sh LIB HEADER: the dynamic symbols LIB defines are exactly
# the functions HEADER declares with CAMPAIGN_API (plus the version node
# CAMPAIGN_1 of campaign.map): no C++, Boost, OpenSSL or simdjson symbol.
set -eu
lib=$1
header=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "0000000000012345 T campaign_get@@CAMPAIGN_1" -> campaign_get
nm -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$tmp/exported"
grep -o 'CAMPAIGN_API[^(]*(' "$header" | sed -E 's/.*[ *]([A-Za-z_0-9]+)\($/\1/' |
  grep '^campaign_' | sort -u >"$tmp/declared"

status=0
if grep -v -e '^campaign_' -e '^CAMPAIGN_1$' "$tmp/exported" >"$tmp/foreign"; then
  echo "exported symbols outside campaign_*:"
  cat "$tmp/foreign"
  status=1
fi
if ! diff -u "$tmp/declared" "$tmp/exported" | grep '^[-+]campaign_' >"$tmp/diff"; then :; fi
if [ -s "$tmp/diff" ]; then
  echo "header (-) and library (+) disagree:"
  cat "$tmp/diff"
  status=1
fi
echo "$(grep -c '^campaign_' "$tmp/exported") campaign_* functions exported"
exit $status
