#!/usr/bin/env bash
# Builds libjllama.so with CUDA from java-llama.cpp v4.2.0 (llama.cpp b4916), using the binding's
# own CMake project with -DGGML_CUDA=ON, and copies it to OUT_DIR. The server loads it with
#   LLAMA_LIB_PATH=$OUT_DIR N_GPU_LAYERS=99 make run
# Offline builds take local source directories (FETCHCONTENT_SOURCE_DIR_*). See native/README.md.
set -euo pipefail

readonly JLLAMA_TAG=v4.2.0
readonly JLLAMA_URL=https://github.com/kherud/java-llama.cpp
readonly LLAMA_TAG=b4916
readonly JSON_TAG=v3.11.3
readonly MIN_CMAKE=3.14

NATIVE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly NATIVE_DIR

usage() {
  cat <<EOF
Usage: native/build-cuda.sh [--configure-only] [--cpu] [--clean] [--help] [-- CMAKE_ARGS...]

Builds libjllama.so from java-llama.cpp ${JLLAMA_TAG} (llama.cpp ${LLAMA_TAG}) with -DGGML_CUDA=ON
and copies it to OUT_DIR.

Options:
  --configure-only  Run only the CMake configure step. Without a usable CUDA toolkit (nvcc and
                    cuBLAS) this configures a CPU build (GGML_CUDA=OFF) instead, which checks the
                    source directories and nothing about CUDA; the script says so when it does.
  --cpu             Configure/build with GGML_CUDA=OFF (a check of the pipeline; the binding's jar
                    already ships a CPU library, so this is not needed to run the server).
  --clean           Delete the CMake build directory first.
  -h, --help        Show this help.
  -- ARGS...        Extra arguments passed to the CMake configure step.

Environment:
  JLLAMA_SRC          java-llama.cpp checkout at tag ${JLLAMA_TAG}. If unset, native/build/src/java-llama.cpp
                      is used when present, else cloned there (needs network; not with OFFLINE=1).
  LLAMA_CPP_SRC       llama.cpp checkout at tag ${LLAMA_TAG}, passed as -DFETCHCONTENT_SOURCE_DIR_LLAMA.CPP.
                      If unset, CMake downloads it (needs network).
  JSON_SRC            nlohmann/json checkout at tag ${JSON_TAG}, passed as -DFETCHCONTENT_SOURCE_DIR_JSON.
                      If unset, CMake downloads it (needs network).
  OFFLINE=1           Never use the network: all three source directories must be given.
  CUDA_ARCHITECTURES  Passed as CMAKE_CUDA_ARCHITECTURES, e.g. 90 (H100/H200), 89 (L4, RTX 40xx),
                      86 (A10, RTX 30xx), 80 (A100), 75 (T4). Default: llama.cpp's "native" when a GPU
                      is visible to nvidia-smi, otherwise a portable list (printed).
  GGML_NATIVE         ON/OFF, passed through. llama.cpp's default is ON (-march=native for the CPU
                      parts); use OFF for a library that must run on other x86-64 CPUs (AVX2 baseline).
  NVCC                nvcc to use (default: nvcc on PATH, else \$CUDA_HOME/bin/nvcc, default /usr/local/cuda/bin/nvcc).
  OUT_DIR             Where libjllama.so is copied (default: native/build/lib).
  BUILD_DIR           CMake build directory (default: native/build/cmake-cuda, or cmake-cpu).
  JOBS                Parallel build jobs (default: nproc). nvcc can need several GB of RAM per job.
EOF
}

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
warn() { printf 'warning: %s\n' "$*" >&2; }
note() { printf '==> %s\n' "$*"; }

# "3.25.1" >= "3.14" ?
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

mode=build
cuda=ON
clean=0
extra_cmake_args=()
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --configure-only) mode=configure ;;
    --cpu) cuda=OFF ;;
    --clean) clean=1 ;;
    --) shift; extra_cmake_args=("$@"); break ;;
    *) printf 'error: unknown argument: %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

[ "$(uname -s)" = Linux ] || die "this script builds the Linux CUDA library. On macOS, Metal already comes with the binding's own library: nothing to build."

case $(uname -m) in
  x86_64|amd64) os_arch=x86_64 ;;
  aarch64|arm64) os_arch=aarch64 ;;
  *) die "unsupported CPU architecture $(uname -m) (java-llama.cpp names only x86_64 and aarch64 for Linux)" ;;
esac

# ---------------------------------------------------------------- tools
command -v cmake >/dev/null 2>&1 || die "cmake is missing (need >= ${MIN_CMAKE}; Debian: apt-get install -y cmake)"
cmake_version=$(cmake --version | sed -n '1s/^cmake version \([0-9][0-9.]*\).*/\1/p')
[ -n "$cmake_version" ] || die "could not read the cmake version from 'cmake --version'"
version_ge "$cmake_version" "$MIN_CMAKE" || die "cmake ${cmake_version} is too old: java-llama.cpp needs >= ${MIN_CMAKE}"

find_compiler() { # $1 = env value, rest = candidates
  local given=$1; shift
  if [ -n "$given" ]; then command -v "$given" 2>/dev/null || true; return; fi
  local c; for c in "$@"; do command -v "$c" 2>/dev/null && return; done; true
}
cxx=$(find_compiler "${CXX:-}" c++ g++ clang++)
cc=$(find_compiler "${CC:-}" cc gcc clang)
[ -n "$cxx" ] || die "no C++ compiler found (set CXX, or Debian: apt-get install -y g++)"
[ -n "$cc" ] || die "no C compiler found (set CC, or Debian: apt-get install -y gcc)"

# ---------------------------------------------------------------- CUDA toolkit
nvcc=""
cuda_root=""
cuda_version=""
cuda_problem=""
find_cuda() {
  local cand
  if [ -n "${NVCC:-}" ]; then
    cand=$(command -v "$NVCC" 2>/dev/null || true)
    [ -n "$cand" ] || { cuda_problem="NVCC=${NVCC} is not an executable"; return; }
  else
    local root=""
    cand=$(command -v nvcc 2>/dev/null || true)
    if [ -z "$cand" ]; then
      # An explicit CUDA_HOME (or CUDA_PATH) is the only place looked at; else the usual install.
      root=${CUDA_HOME:-${CUDA_PATH:-/usr/local/cuda}}
      [ -x "$root/bin/nvcc" ] && cand=$root/bin/nvcc
    fi
    [ -n "$cand" ] || { cuda_problem="nvcc (the CUDA toolkit's compiler) was not found on PATH nor in ${root}/bin"; return; }
  fi
  cuda_version=$("$cand" --version 2>/dev/null | sed -n 's/.*release \([0-9][0-9.]*\),.*/\1/p' | head -n1)
  [ -n "$cuda_version" ] || { cuda_problem="${cand} does not run or does not print a CUDA release ('nvcc --version')"; return; }
  # The toolkit root as nvcc itself sees it ("#$ TOP=..."); /usr/local/bin/nvcc may be a wrapper.
  local top
  top=$("$cand" --dryrun -x cu -c /dev/null -o /dev/null 2>&1 | sed -n 's/^#\$ TOP=//p' | head -n1 || true)
  if [ -n "$top" ] && [ -d "$top" ]; then
    cuda_root=$(cd "$top" && pwd -P)
  else
    cuda_root=$(cd "$(dirname "$(readlink -f "$cand")")/.." && pwd -P)
  fi
  if [ -x "$cuda_root/bin/nvcc" ]; then nvcc=$cuda_root/bin/nvcc; else nvcc=$cand; fi
  # ggml-cuda links CUDA::cudart and CUDA::cublas: without cuBLAS, CMake's generate step fails.
  local multiarch d f have_hdr="" have_lib=""
  multiarch=$("$cc" -dumpmachine 2>/dev/null || echo "${os_arch}-linux-gnu")
  for d in "$cuda_root/include" "$cuda_root"/targets/*/include /usr/include; do
    [ -f "$d/cublas_v2.h" ] && { have_hdr=$d; break; }
  done
  for d in "$cuda_root/lib64" "$cuda_root/lib" "$cuda_root"/targets/*/lib "/usr/lib/$multiarch" /usr/lib64; do
    for f in "$d"/libcublas.so "$d"/libcublas.so.[0-9]*; do
      [ -e "$f" ] && { have_lib=$f; break 2; }
    done
  done
  if [ -z "$have_hdr" ] || [ -z "$have_lib" ]; then
    cuda_problem="the CUDA toolkit at ${cuda_root} (nvcc ${cuda_version}) has no cuBLAS"
    cuda_problem+=" (cublas_v2.h: ${have_hdr:-missing}; libcublas.so: ${have_lib:-missing}), which ggml-cuda links."
    cuda_problem+=" Install the full toolkit, or at least cuBLAS development files (e.g. the NVIDIA package libcublas-dev-<version>)"
    return
  fi
  version_ge "$cuda_version" 11.8 || warn "nvcc ${cuda_version} is older than 11.8; llama.cpp ${LLAMA_TAG} was not checked with it here"
}

cpu_fallback=0
if [ "$cuda" = ON ]; then
  find_cuda
  if [ -n "$cuda_problem" ]; then
    if [ "$mode" = configure ]; then
      cpu_fallback=1
      cuda=OFF
      cat >&2 <<EOF
note: ${cuda_problem}.
note: A CUDA configure needs the CUDA toolkit, so --configure-only configures a CPU build
note: (GGML_CUDA=OFF) instead. That checks the source directories and the FETCHCONTENT wiring,
note: and nothing about CUDA.
EOF
    else
      die "${cuda_problem}. A CUDA build needs the CUDA toolkit (nvcc, cudart, cuBLAS) and cmake >= 3.18 for CUDA. See native/README.md. ('--configure-only' still checks the sources with a CPU configure.)"
    fi
  else
    note "CUDA: nvcc ${cuda_version} at ${nvcc}"
    version_ge "$cmake_version" 3.18 || die "cmake ${cmake_version} is too old for ggml's CUDA backend (needs >= 3.18)"
  fi
fi

# ---------------------------------------------------------------- sources
network_ok=""
network_reachable() { # cached, one probe at most
  if [ -z "$network_ok" ]; then
    network_ok=no
    if [ "${OFFLINE:-0}" != 1 ] && command -v git >/dev/null 2>&1; then
      local t=(); command -v timeout >/dev/null 2>&1 && t=(timeout 30)
      if GIT_TERMINAL_PROMPT=0 ${t[@]+"${t[@]}"} git ls-remote --exit-code "$JLLAMA_URL" "refs/tags/${JLLAMA_TAG}" >/dev/null 2>&1; then
        network_ok=yes
      fi
    fi
  fi
  [ "$network_ok" = yes ]
}

offline_help() {
  cat >&2 <<EOF

To build offline, fetch the three sources on a machine with network access, copy them over, and
point the script at them:
  git clone --depth 1 --branch ${JLLAMA_TAG} ${JLLAMA_URL}
  git clone --depth 1 --branch ${LLAMA_TAG} https://github.com/ggml-org/llama.cpp
  git clone --depth 1 --branch ${JSON_TAG} https://github.com/nlohmann/json
  JLLAMA_SRC=\$PWD/java-llama.cpp LLAMA_CPP_SRC=\$PWD/llama.cpp JSON_SRC=\$PWD/json OFFLINE=1 native/build-cuda.sh
EOF
}

abs_dir() { (cd "$1" && pwd -P); }

default_clone=$NATIVE_DIR/build/src/java-llama.cpp
if [ -n "${JLLAMA_SRC:-}" ]; then
  [ -d "$JLLAMA_SRC" ] || die "JLLAMA_SRC=${JLLAMA_SRC} is not a directory"
  jllama_src=$(abs_dir "$JLLAMA_SRC")
elif [ -f "$default_clone/CMakeLists.txt" ]; then
  jllama_src=$default_clone
  note "JLLAMA_SRC not set: using the earlier clone in ${jllama_src}"
else
  if [ "${OFFLINE:-0}" = 1 ]; then
    printf 'error: JLLAMA_SRC is not set and OFFLINE=1: give a java-llama.cpp %s checkout.\n' "$JLLAMA_TAG" >&2
    offline_help; exit 1
  fi
  command -v git >/dev/null 2>&1 || { printf 'error: JLLAMA_SRC is not set and git is missing to clone it.\n' >&2; offline_help; exit 1; }
  if ! network_reachable; then
    printf 'error: JLLAMA_SRC is not set, and %s is not reachable (no network?), so it cannot be cloned.\n' "$JLLAMA_URL" >&2
    offline_help; exit 1
  fi
  note "cloning java-llama.cpp ${JLLAMA_TAG} into ${default_clone}"
  mkdir -p "$(dirname "$default_clone")"
  rm -rf "$default_clone.tmp"
  GIT_TERMINAL_PROMPT=0 git clone --quiet --depth 1 --branch "$JLLAMA_TAG" "$JLLAMA_URL" "$default_clone.tmp" \
    || { rm -rf "$default_clone.tmp"; die "git clone of ${JLLAMA_URL} (${JLLAMA_TAG}) failed"; }
  mv "$default_clone.tmp" "$default_clone"
  jllama_src=$default_clone
fi

if [ ! -f "$jllama_src/CMakeLists.txt" ] || [ ! -f "$jllama_src/src/main/cpp/jllama.cpp" ]; then
  die "${jllama_src} does not look like a java-llama.cpp checkout (no CMakeLists.txt or src/main/cpp/jllama.cpp)"
fi
if git -C "$jllama_src" rev-parse --git-dir >/dev/null 2>&1; then
  jtag=$(git -C "$jllama_src" describe --tags --exact-match 2>/dev/null || true)
  [ "$jtag" = "$JLLAMA_TAG" ] || warn "${jllama_src} is at '${jtag:-$(git -C "$jllama_src" rev-parse --short HEAD 2>/dev/null || echo unknown)}', not ${JLLAMA_TAG}: the library must match the de.kherud:llama 4.2.0 Java classes"
fi

# The names in the binding's FetchContent_Declare() calls decide the override variables:
# FetchContent reads FETCHCONTENT_SOURCE_DIR_<NAME IN UPPER CASE>. v4.2.0 declares "json" and "llama.cpp".
flat_cmakelists=$(tr '\n\t\r' '   ' <"$jllama_src/CMakeLists.txt")
declared=$(grep -o 'FetchContent_Declare( *[A-Za-z0-9_.+-]*' <<<"$flat_cmakelists" | sed 's/.*( *//' || true)
declared_tag() { grep -o "FetchContent_Declare( *$1 [^)]*)" <<<"$flat_cmakelists" | grep -o 'GIT_TAG *[^ )]*' | awk '{print $2}' | head -n1 || true; }
for name in llama.cpp json; do
  grep -qxF "$name" <<<"$declared" \
    || die "${jllama_src}/CMakeLists.txt declares no FetchContent '${name}' (found: $(tr '\n' ' ' <<<"$declared")); is it java-llama.cpp ${JLLAMA_TAG}?"
done
for name in $declared; do
  case $name in llama.cpp|json) ;; *) warn "CMakeLists.txt also declares FetchContent '${name}': it will be downloaded unless -DFETCHCONTENT_SOURCE_DIR_${name^^}=DIR is passed after --" ;; esac
done
want_llama_tag=$(declared_tag 'llama\.cpp'); want_llama_tag=${want_llama_tag:-$LLAMA_TAG}
want_json_tag=$(declared_tag json); want_json_tag=${want_json_tag:-$JSON_TAG}
[ "$want_llama_tag" = "$LLAMA_TAG" ] || warn "the checkout pins llama.cpp ${want_llama_tag}, not ${LLAMA_TAG}: is JLLAMA_SRC at ${JLLAMA_TAG}?"

cmake_args=()
missing=()
llama_src=""
json_src=""
if [ -n "${LLAMA_CPP_SRC:-}" ]; then
  [ -d "$LLAMA_CPP_SRC" ] || die "LLAMA_CPP_SRC=${LLAMA_CPP_SRC} is not a directory"
  llama_src=$(abs_dir "$LLAMA_CPP_SRC")
  if [ ! -f "$llama_src/CMakeLists.txt" ] || [ ! -f "$llama_src/include/llama.h" ] || [ ! -d "$llama_src/ggml" ]; then
    die "LLAMA_CPP_SRC=${llama_src} does not look like a llama.cpp checkout (no CMakeLists.txt, include/llama.h or ggml/)"
  fi
  if git -C "$llama_src" rev-parse --git-dir >/dev/null 2>&1; then
    ltag=$(git -C "$llama_src" describe --tags --exact-match 2>/dev/null || true)
    [ "$ltag" = "$want_llama_tag" ] || warn "LLAMA_CPP_SRC is at '${ltag:-$(git -C "$llama_src" rev-parse --short HEAD 2>/dev/null || echo unknown)}', not ${want_llama_tag}: jllama.cpp ${JLLAMA_TAG} is written against ${want_llama_tag}'s API"
  else
    note "LLAMA_CPP_SRC is not a git checkout: its tag cannot be checked (it must be ${want_llama_tag})"
  fi
  cmake_args+=("-DFETCHCONTENT_SOURCE_DIR_LLAMA.CPP=${llama_src}")
else
  missing+=("LLAMA_CPP_SRC (llama.cpp ${want_llama_tag})")
fi
if [ -n "${JSON_SRC:-}" ]; then
  [ -d "$JSON_SRC" ] || die "JSON_SRC=${JSON_SRC} is not a directory"
  json_src=$(abs_dir "$JSON_SRC")
  if [ ! -f "$json_src/CMakeLists.txt" ] || [ ! -f "$json_src/single_include/nlohmann/json.hpp" ]; then
    die "JSON_SRC=${json_src} does not look like an nlohmann/json checkout (no CMakeLists.txt or single_include/nlohmann/json.hpp)"
  fi
  jver=$(sed -n 's/^#define NLOHMANN_JSON_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' "$json_src/single_include/nlohmann/json.hpp" | head -n3 | paste -sd. -)
  [ "v${jver}" = "$want_json_tag" ] || warn "JSON_SRC is nlohmann/json ${jver:-of unknown version}, the binding pins ${want_json_tag}"
  cmake_args+=("-DFETCHCONTENT_SOURCE_DIR_JSON=${json_src}")
else
  missing+=("JSON_SRC (nlohmann/json ${want_json_tag})")
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${OFFLINE:-0}" = 1 ]; then
    printf 'error: OFFLINE=1 but these source directories are not set: %s\n' "${missing[*]}" >&2
    offline_help; exit 1
  fi
  if ! network_reachable; then
    printf 'error: not set: %s; CMake would have to download them, and the network is not reachable.\n' "${missing[*]}" >&2
    offline_help; exit 1
  fi
  note "not set: ${missing[*]}; CMake's FetchContent will download them"
else
  # Every dependency is local: forbid FetchContent from touching the network at all.
  cmake_args+=(-DFETCHCONTENT_FULLY_DISCONNECTED=ON)
fi

# ---------------------------------------------------------------- configure
if [ "$cuda" = ON ]; then
  default_build_dir=$NATIVE_DIR/build/cmake-cuda
else
  default_build_dir=$NATIVE_DIR/build/cmake-cpu
fi
build_dir=${BUILD_DIR:-$default_build_dir}
if [ "$clean" = 1 ] && [ -d "$build_dir" ]; then
  note "removing ${build_dir}"
  rm -rf "$build_dir"
fi
mkdir -p "$build_dir"
build_dir=$(abs_dir "$build_dir")

cmake_args=(
  -S "$jllama_src" -B "$build_dir"
  -DCMAKE_BUILD_TYPE=Release
  "-DCMAKE_C_COMPILER=${cc}" "-DCMAKE_CXX_COMPILER=${cxx}"
  "-DGGML_CUDA=${cuda}"
  # Given, so that CMake needs no Java: otherwise it runs de.kherud.llama.OSInfo from target/classes.
  -DOS_NAME=Linux "-DOS_ARCH=${os_arch}"
  -DLLAMA_CURL=OFF
  "${cmake_args[@]}"
)
# java-llama.cpp ships jni.h in .github/include/unix; fall back to the JDK's if a checkout lacks it.
if [ ! -d "$jllama_src/.github/include/unix" ] && [ -n "${JAVA_HOME:-}" ] && [ -f "$JAVA_HOME/include/jni.h" ]; then
  cmake_args+=("-DJNI_INCLUDE_DIRS=${JAVA_HOME}/include;${JAVA_HOME}/include/linux")
fi
if [ -n "${GGML_NATIVE:-}" ]; then cmake_args+=("-DGGML_NATIVE=${GGML_NATIVE}"); fi

if [ "$cuda" = ON ]; then
  cmake_args+=("-DCMAKE_CUDA_COMPILER=${nvcc}" "-DCUDAToolkit_ROOT=${cuda_root}")
  if [ -n "${CUDA_ARCHITECTURES:-}" ]; then
    cmake_args+=("-DCMAKE_CUDA_ARCHITECTURES=${CUDA_ARCHITECTURES}")
    note "CUDA architectures: ${CUDA_ARCHITECTURES}"
  else
    gpu_visible=0
    if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then gpu_visible=1; fi
    native=${GGML_NATIVE:-ON}
    if [ "$gpu_visible" = 1 ] && [ "$native" != OFF ] && [ "$native" != 0 ] && version_ge "$cmake_version" 3.24; then
      note "CUDA architectures: llama.cpp's default, 'native' (the GPUs nvidia-smi shows: $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | paste -sd, -))"
    else
      # llama.cpp b4916 would pick "native" (fails without a GPU) or its fallback list, which
      # predates CUDA 13 and includes architectures below 7.5 that CUDA 13 no longer compiles. Portable list: PTX for 7.5/8.0 (JIT-compiled on
      # newer GPUs, Blackwell included) plus machine code for the common data-centre GPUs.
      version_ge "$cuda_version" 11.8 || die "set CUDA_ARCHITECTURES (no GPU visible, nvcc ${cuda_version} < 11.8)"
      archs="75-virtual;80-virtual;86-real;89-real;90-real"
      version_ge "$cuda_version" 13 || archs="61-virtual;70-virtual;${archs}"
      cmake_args+=("-DCMAKE_CUDA_ARCHITECTURES=${archs}")
      note "CUDA architectures: ${archs} (no GPU visible or native off; set CUDA_ARCHITECTURES=90 etc. for a smaller, faster build)"
    fi
  fi
fi
cmake_args+=(${extra_cmake_args[@]+"${extra_cmake_args[@]}"})

note "configuring java-llama.cpp in ${build_dir} (GGML_CUDA=${cuda})"
printf '    cmake'; printf ' %q' "${cmake_args[@]}"; printf '\n'
configure_log=$build_dir/configure.log
if ! cmake "${cmake_args[@]}" 2>&1 | tee "$configure_log"; then
  die "CMake configure failed; full output in ${configure_log}"
fi

if [ "$mode" = configure ]; then
  echo
  if [ "$cpu_fallback" = 1 ]; then
    note "configure OK, but as a CPU build (GGML_CUDA=OFF): no CUDA toolkit with cuBLAS here."
    note "The sources and FETCHCONTENT_SOURCE_DIR_* wiring are valid; the CUDA configure was NOT checked."
  else
    note "configure OK (GGML_CUDA=${cuda}). Build with: native/build-cuda.sh$([ "$cuda" = OFF ] && printf ' --cpu')"
  fi
  exit 0
fi

# ---------------------------------------------------------------- build
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
note "building jllama (Release, -j${jobs}); on 16 cores the CUDA build took 150-190 s"
stamp=$build_dir/.build-started
touch "$stamp"
start=$SECONDS
cmake --build "$build_dir" --config Release --target jllama -j "$jobs"
note "build finished in $((SECONDS - start)) s"

# The binding's CMakeLists sets LIBRARY_OUTPUT_DIRECTORY to src/main/resources_linux_cuda/de/kherud/llama/<OS>/<arch>
# for CUDA (src/main/resources/... for CPU) and logs it as "Installing files to <dir>".
lib=""
lib_dir=$(sed -n 's/.*Installing files to \(.*\)$/\1/p' "$configure_log" | tail -n1)
if [ -n "$lib_dir" ] && [ -f "$lib_dir/libjllama.so" ]; then
  lib=$lib_dir/libjllama.so
else
  for d in "$jllama_src/src/main/resources_linux_cuda/de/kherud/llama/Linux/${os_arch}" \
           "$jllama_src/src/main/resources/de/kherud/llama/Linux/${os_arch}"; do
    [ -f "$d/libjllama.so" ] && [ "$d/libjllama.so" -nt "$stamp" ] && { lib=$d/libjllama.so; break; }
  done
  [ -n "$lib" ] || lib=$(find "$jllama_src/src/main" "$build_dir" -name libjllama.so -newer "$stamp" -print 2>/dev/null | head -n1)
fi
[ -n "$lib" ] || die "the build succeeded but no libjllama.so was found (looked in '${lib_dir:-?}', src/main/resources*/ and ${build_dir})"

out_dir=${OUT_DIR:-$NATIVE_DIR/build/lib}
mkdir -p "$out_dir"
out_dir=$(abs_dir "$out_dir")
cp -f "$lib" "$out_dir/libjllama.so"
size=$(du -h "$out_dir/libjllama.so" | cut -f1)
note "libjllama.so (${size}) -> ${out_dir}/libjllama.so"

if command -v ldd >/dev/null 2>&1; then
  needed=$(ldd "$out_dir/libjllama.so" 2>/dev/null || true)
  if [ "$cuda" = ON ]; then
    if grep -qE 'libcudart|libcublas' <<<"$needed"; then
      note "links: $(grep -oE 'lib(cudart|cublas|cublasLt|cuda)\.so[.0-9]*' <<<"$needed" | sort -u | paste -sd' ' -)"
    else
      warn "ldd shows no libcudart/libcublas: this does not look like a CUDA build"
    fi
  fi
  if grep -q 'not found' <<<"$needed"; then
    warn "libraries not found on this machine (the machine that runs the server needs them):"
    grep 'not found' <<<"$needed" >&2
  fi
fi

if [ "$cuda" = ON ]; then gpu_env=" N_GPU_LAYERS=99"; else gpu_env=""; fi
cat <<EOF

Use it (the server passes LLAMA_LIB_PATH to the binding as -Dde.kherud.llama.lib.path):
  LLAMA_LIB_PATH=${out_dir}${gpu_env} make run
or
  LLAMA_LIB_PATH=${out_dir}${gpu_env} java -jar target/worker-llamacpp.jar
EOF
if [ "$cuda" = ON ]; then
  echo "With LOG_LEVEL=debug, llama.cpp's own log names the CUDA device and the number of layers offloaded."
fi
