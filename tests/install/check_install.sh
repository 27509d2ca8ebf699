#!/usr/bin/env bash
# Installs the build into a temporary prefix, then uses it from outside:
# a CMake project with find_package(campaign), and a C program built with
# pkg-config; then a project that add_subdirectory()s the source tree.
#   check_install.sh <build dir> <source dir of this test> <project source dir>
set -euo pipefail
build="$1"; here="$2"; root="$3"
prefix="$(mktemp -d)"; work="$(mktemp -d)"
trap 'rm -rf "$prefix" "$work"' EXIT

cmake --install "$build" --prefix "$prefix" > /dev/null

cmake -S "$here/consumer" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" > /dev/null
cmake --build "$work/cmake" > /dev/null
out="$("$work/cmake/consumer")"
[ "$out" = "cmp_xyz789 paused 0.25" ] || { echo "find_package consumer printed: $out"; exit 1; }
echo "ok: find_package(campaign) consumer: $out"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig"
flags="$(pkg-config --cflags --libs campaign)"
cc -std=c99 -Wall -Werror "$here/consumer.c" -o "$work/c_consumer" $flags
libdir="$(pkg-config --variable=libdir campaign)"
out="$(LD_LIBRARY_PATH="$libdir" "$work/c_consumer")"
echo "ok: pkg-config consumer: $out ($flags)"

# add_subdirectory: the libraries only, the parent's (empty) build type kept.
cmake -S "$here/subdir_consumer" -B "$work/subdir" -DCAMPAIGN_SOURCE_DIR="$root" > /dev/null
type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$work/subdir/CMakeCache.txt")"
[ -z "$type" ] || { echo "add_subdirectory(campaign) set the parent's CMAKE_BUILD_TYPE to '$type'"; exit 1; }
cmake --build "$work/subdir" --target consumer -j"$(nproc)" > /dev/null
out="$("$work/subdir/consumer")"
[ "$out" = "cmp_xyz789 paused 0.25" ] || { echo "add_subdirectory consumer printed: $out"; exit 1; }
echo "ok: add_subdirectory(campaign) consumer: $out"

# Go, outside the tree: a module that requires the binding (replace points at
# bindings/go) and finds the installed library through pkg-config, shared by
# default and static with -tags static.
if command -v go > /dev/null; then
  mkdir -p "$work/go"
  cp "$here/go_consumer/main.go" "$work/go/"
  printf 'module consumer\n\ngo 1.19\n\nrequire campaign.example/campaign v0.0.0\n\nreplace campaign.example/campaign => %s/bindings/go\n' \
    "$root" > "$work/go/go.mod"
  export GOPATH="$work/gopath" GOCACHE="$work/gocache" GOFLAGS=-mod=mod GOPROXY=off
  (cd "$work/go" && go build -o "$work/go_shared" . && go build -tags static -o "$work/go_static" .)
  libdir="$(pkg-config --variable=libdir campaign)"
  out="$(LD_LIBRARY_PATH="$libdir" "$work/go_shared")"
  [ "$out" = "cmp_xyz789 paused" ] || { echo "Go consumer (shared) printed: $out"; exit 1; }
  loaded="$(LD_LIBRARY_PATH="$libdir" ldd "$work/go_shared" | awk '$1 == "libcampaign.so.1" {print $3}')"
  [ -n "$loaded" ] && [ "$(realpath "$loaded")" = "$(realpath "$libdir/libcampaign.so.1")" ] ||
    { echo "Go consumer (shared) loads '${loaded}', not $libdir/libcampaign.so.1"; exit 1; }
  out="$("$work/go_static")"
  [ "$out" = "cmp_xyz789 paused" ] || { echo "Go consumer (static) printed: $out"; exit 1; }
  # Whole outputs read (no grep -q): an early exit would SIGPIPE ldd, and
  # pipefail would then report a failure that is not one.
  linked="$(ldd "$work/go_static" | awk '/libcampaign/ {print $1}')"
  [ -z "$linked" ] || { echo "Go consumer (static) loads $linked"; exit 1; }
  echo "ok: Go consumer outside the tree, shared and -tags static: $out"
fi
