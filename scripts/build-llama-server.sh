#!/usr/bin/env bash
# scripts/build-llama-server.sh: what `make llama-server` runs. Builds llama.cpp's own llama-server
# from the very build tree of the native engine (scripts/build-native.sh): the same pinned release,
# the same flags (NATIVE_FLAVOR, default cpu-native), so that `make bench LLAMA_SERVER_BIN=...`
# compares the servers and not the compilers' targets. Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."

FLAVOR=${NATIVE_FLAVOR:-cpu-native}
CACHE=${WORKER_LLAMACPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/worker-llamacpp}
release=$(sed -n 's/^PIN_TAG=\([^ ]*\).*/\1/p' scripts/fetch-llama-cpp.sh)
BIN="$CACHE/native-$release-$FLAVOR/build/bin/llama-server"

NATIVE_TARGETS=llama-server bash scripts/build-native.sh >&2
[ -x "$BIN" ] || { echo "error: the build did not produce $BIN" >&2; exit 1; }
echo "$BIN"
