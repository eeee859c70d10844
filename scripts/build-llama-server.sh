#!/usr/bin/env bash
# scripts/build-llama-server.sh: what `make llama-server` runs. Builds llama.cpp's own llama-server,
# for `make bench LLAMA_SERVER_BIN=...` to compare our server with, and prints its path.
#
# Which llama.cpp: the binding (de.kherud:llama 4.2.0) runs llama.cpp b4916. GitHub is out of
# reach on our machines, but the npm registry is not, and the npm package node-llama-cpp ships the
# llama.cpp release it builds against as a git bundle (package/llama/gitRelease.bundle). Version
# 3.7.0 ships b4980, the closest release to b4916 that npm holds (3.6.0 ships b4753). npm checks the
# tarball against the registry's SHA-512; this script checks the bundle's tag.
#
# How: with the CPU features the binding's libjllama.so reports (llama.cpp's system_info line:
# AVX, AVX2, F16C, FMA, BMI2, OpenMP, llamafile; no AVX-512), not -march=native, so that both run
# the same matrix kernels and the comparison measures the servers, not the compilers' targets.
# Needs npm, git, cmake and a C++ compiler (Debian: apt-get install -y cmake g++ git npm).
# About 3 to 6 minutes on 2 cores. Idempotent: an existing binary is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

NPM_PACKAGE=node-llama-cpp@3.7.0
TAG=b4980
DIR=${LLAMA_SERVER_DIR:-.cache/llama.cpp-$TAG}
BIN="$DIR/build/bin/llama-server"

if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi
for tool in npm git cmake c++; do
  command -v "$tool" > /dev/null || { echo "error: $tool is missing (Debian: apt-get install -y cmake g++ git npm)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching $NPM_PACKAGE (llama.cpp $TAG as a git bundle) from the npm registry" >&2
(cd "$work" && npm pack --silent "$NPM_PACKAGE" > /dev/null)
tar -xzf "$work"/node-llama-cpp-*.tgz -C "$work" package/llama/gitRelease.bundle package/llama/llama.cpp.info.json
tag=$(sed -n 's/.*"tag": *"\([^"]*\)".*/\1/p' "$work/package/llama/llama.cpp.info.json")
if [ "$tag" != "$TAG" ]; then
  echo "error: $NPM_PACKAGE holds llama.cpp '$tag', not $TAG" >&2
  exit 1
fi

rm -rf "$DIR"
mkdir -p "$(dirname "$DIR")"
git -c advice.detachedHead=false clone --quiet "$work/package/llama/gitRelease.bundle" "$DIR"
echo "building llama-server from llama.cpp $TAG ($(git -C "$DIR" rev-parse --short HEAD)) in $DIR" >&2
cmake -S "$DIR" -B "$DIR/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
  -DGGML_OPENMP=ON -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF > "$DIR/cmake.log" 2>&1 \
  || { echo "error: cmake failed, see $DIR/cmake.log" >&2; exit 1; }
cmake --build "$DIR/build" --target llama-server -j "$(nproc)" > "$DIR/build.log" 2>&1 \
  || { echo "error: the build failed, see $DIR/build.log" >&2; exit 1; }
echo "$BIN"
