#!/usr/bin/env bash
# Installs the benchmark peers from Debian's archive. Idempotent and quiet
# when everything is already there. Run as root (or with sudo available).
set -euo pipefail

pkgs=(wrk libcurl4-openssl-dev golang-go nlohmann-json3-dev rapidjson-dev
      libboost-json1.81-dev libsimdjson-dev)
# nginx: any of the Debian flavours will do; nginx-light is the smallest.
have_nginx=0
for n in nginx-light nginx nginx-core nginx-full; do
  if dpkg-query -W -f='${Status}' "$n" 2>/dev/null | grep -q 'install ok installed'; then
    have_nginx=1
  fi
done
[ -x /usr/sbin/nginx ] && have_nginx=1
[ "$have_nginx" = 1 ] || pkgs+=(nginx-light)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  # One by one, so one unavailable peer does not block the others.
  for p in "${missing[@]}"; do
    $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 \
      || echo "deps.sh: could not install $p (its benchmarks will be skipped)" >&2
  done
fi
# The Debian nginx package enables and starts a system service; the
# benchmark runs its own instance, so stop the service if it came up.
if [ "$have_nginx" = 0 ] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl stop nginx >/dev/null 2>&1 || true
fi
exit 0
