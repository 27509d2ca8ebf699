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
