#!/usr/bin/env bash
# scripts/build-native.sh: what `make native` runs. Builds the native engine's library
# (native/, over the pinned llama.cpp that scripts/fetch-llama-cpp.sh obtains) and copies it, with
# llama.cpp's own libraries, into target/native/, where the server looks for it.
#
# NATIVE_FLAVOR picks the flags:
#   cpu-native    (default) CPU kernels for this machine's instruction set (-march=native);
#   cpu-variants  every x86/ARM CPU variant as a loadable backend, picked at run time
#                 (GGML_CPU_ALL_VARIANTS + GGML_BACKEND_DL, as llama.cpp's own images): the Docker image;
#   cuda          NVIDIA GPUs (needs nvcc);
#   metal         Apple GPUs (macOS only; llama.cpp's default there).
# The build lives outside the clone, in WORKER_LLAMACPP_CACHE/native-<release>-<flavor>, so every
# clone, test run and CI run of the same release and flavor reuses it: the first build compiles
# llama.cpp (about 10 minutes on 2 cores); later ones recompile only what changed in native/.
# Needs cmake, a C++17 compiler, git, and npm when GitHub is out of reach.
set -euo pipefail
cd "$(dirname "$0")/.."

FLAVOR=${NATIVE_FLAVOR:-cpu-native}
OUT=${NATIVE_OUT:-target/native}
TARGETS=${NATIVE_TARGETS:-worker_llama}
CACHE=${WORKER_LLAMACPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/worker-llamacpp}
JDK=${JAVA_HOME:-$(bash scripts/find-jdk.sh)}

for tool in cmake c++ git; do
  command -v "$tool" > /dev/null \
    || { echo "error: $tool is missing (Debian: apt-get install -y cmake g++ git; macOS: xcode-select --install && brew install cmake)" >&2; exit 1; }
done
case "$FLAVOR" in
  cpu-native)   flags=(-DGGML_NATIVE=ON -DGGML_METAL=OFF) ;;
  cpu-variants) flags=(-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DGGML_METAL=OFF) ;;
  cuda)         flags=(-DGGML_NATIVE=ON -DGGML_CUDA=ON) ;;
  metal)        flags=(-DGGML_NATIVE=ON -DGGML_METAL=ON -DGGML_METAL_EMBED_LIBRARY=ON) ;;
  *) echo "error: NATIVE_FLAVOR must be cpu-native, cpu-variants, cuda or metal, not '$FLAVOR'" >&2; exit 1 ;;
esac

LLAMA=$(bash scripts/fetch-llama-cpp.sh)
release=$(sed -n 's/^PIN_TAG=\([^ ]*\).*/\1/p' scripts/fetch-llama-cpp.sh)
commit=$(git -C "$LLAMA" rev-parse --short HEAD)
work="$CACHE/native-$release-$FLAVOR"
mkdir -p "$work/src/jni" "$OUT"
# A fixed source folder: CMake's build tree is tied to its source path, and every clone's differs.
# Files are copied only when they changed, so an unchanged file is not recompiled.
for file in native/CMakeLists.txt native/jni/*; do
  cmp -s "$file" "$work/src/${file#native/}" || cp "$file" "$work/src/${file#native/}"
done
for stale in "$work"/src/jni/*; do
  [ -e "native/jni/$(basename "$stale")" ] || rm -f "$stale"
done

if [ ! -f "$work/build/CMakeCache.txt" ]; then
  echo "configuring llama.cpp $release ($commit), flavor $FLAVOR, in $work/build" >&2
fi
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CPP_DIR="$LLAMA" -DJDK_HOME="$JDK" \
  "${flags[@]}" > "$work/cmake.log" 2>&1 \
  || { echo "error: cmake failed, see $work/cmake.log" >&2; tail -20 "$work/cmake.log" >&2; exit 1; }
echo "building $TARGETS (llama.cpp $release, $FLAVOR) in $work/build" >&2
cmake --build "$work/build" --target $TARGETS -j "$(nproc 2>/dev/null || sysctl -n hw.ncpu)" > "$work/build.log" 2>&1 \
  || { echo "error: the build failed, see $work/build.log" >&2; grep -m 20 -E 'error|Error' "$work/build.log" >&2; exit 1; }

case "$TARGETS" in *worker_llama*)
  rm -f "$OUT"/lib*.so* "$OUT"/lib*.dylib
  # -P: llama.cpp's versioned names stay symlinks to one file each.
  find "$work/build/lib" "$work/build/bin" -maxdepth 1 \( -name 'lib*.so*' -o -name 'lib*.dylib' \) -exec cp -P {} "$OUT"/ \;
  printf 'release=%s\ncommit=%s\nflavor=%s\n' "$release" "$commit" "$FLAVOR" > "$OUT/build-info.properties"
  echo "native engine: $OUT (llama.cpp $release $commit, $FLAVOR)" >&2 ;;
esac
