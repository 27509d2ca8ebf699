#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, tests and demos with.
# Idempotent: silent and quick when everything is already there.
# Usage: scripts/deps.sh [core|all]   (default: all)
set -euo pipefail

core=(
  build-essential cmake pkg-config git
  libboost1.81-dev libboost-url1.81-dev libboost-test1.81-dev libboost-json1.81-dev
  libsimdjson-dev libssl-dev openssl libcli11-dev
)
extra=(
  python3 python3-pytest python3-pytest-timeout python3-venv python3-pip python3-setuptools golang-go
  valgrind abigail-tools
)

want=("${core[@]}")
[ "${1:-all}" = all ] && want+=("${extra[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
