#!/usr/bin/env bash
# scripts/fetch-llama-cpp.sh: obtains the llama.cpp release the native engine is pinned to, and
# prints the folder that holds its sources. Tried in this order:
#   1. LLAMA_CPP_DIR, a local git checkout;
#   2. GitHub, by tag (what users with internet get);
#   3. the npm registry's node-llama-cpp package, which ships that release as a git bundle
#      (package/llama/gitRelease.bundle): the only one of the three these offline machines reach.
# Whatever the source, its file tree must be the pinned one (git's tree hash: the npm bundle is one
# squashed commit, so commit hashes differ from GitHub's while the trees are equal).
# The sources are kept outside the clone, in WORKER_LLAMACPP_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/worker-llamacpp), so that every clone, test run and CI run reuses them.
set -euo pipefail

PIN_TAG=v0.5.0                                     # as node-llama-cpp 3.22.1 names it
PIN_TREE=fd570ef54b10ec5fecb739e7e04c8ce44a6f415a  # commit de3ff81 of 2026-09-28 in that bundle
NPM_PACKAGE=node-llama-cpp@3.22.1
GITHUB_URL=https://github.com/ggml-org/llama.cpp
CACHE=${WORKER_LLAMACPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/worker-llamacpp}
DEST="$CACHE/llama.cpp-$PIN_TAG"

tree_of() { git -C "$1" rev-parse 'HEAD^{tree}' 2>/dev/null || echo none; }

if [ -n "${LLAMA_CPP_DIR:-}" ]; then
  tree=$(tree_of "$LLAMA_CPP_DIR")
  if [ "$tree" != "$PIN_TREE" ]; then
    echo "error: LLAMA_CPP_DIR=$LLAMA_CPP_DIR is not llama.cpp $PIN_TAG (tree $tree, expected $PIN_TREE)" >&2
    exit 1
  fi
  [ -z "$(git -C "$LLAMA_CPP_DIR" status --porcelain --untracked-files=no)" ] \
    || echo "warning: LLAMA_CPP_DIR has local changes; building them" >&2
  echo "$LLAMA_CPP_DIR"
  exit 0
fi

if [ "$(tree_of "$DEST")" = "$PIN_TREE" ]; then
  echo "$DEST"
  exit 0
fi
command -v git > /dev/null || { echo "error: git is missing (Debian: apt-get install -y git)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$CACHE"

if timeout 60 git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$PIN_TAG" "$GITHUB_URL" \
    "$work/llama.cpp" 2> /dev/null && [ "$(tree_of "$work/llama.cpp")" = "$PIN_TREE" ]; then
  echo "llama.cpp $PIN_TAG from GitHub" >&2
else
  command -v npm > /dev/null || { echo "error: GitHub is out of reach and npm is missing (Debian: apt-get install -y npm)" >&2; exit 1; }
  echo "llama.cpp $PIN_TAG from the npm registry ($NPM_PACKAGE)" >&2
  rm -rf "$work/llama.cpp"
  (cd "$work" && npm pack --silent "$NPM_PACKAGE" > /dev/null)
  tar -xzf "$work"/node-llama-cpp-*.tgz -C "$work" package/llama/gitRelease.bundle
  git -c advice.detachedHead=false clone --quiet "$work/package/llama/gitRelease.bundle" "$work/llama.cpp"
  tree=$(tree_of "$work/llama.cpp")
  if [ "$tree" != "$PIN_TREE" ]; then
    echo "error: $NPM_PACKAGE holds a llama.cpp with tree $tree, not the pinned $PIN_TREE" >&2
    exit 1
  fi
fi
rm -rf "$DEST"
mv "$work/llama.cpp" "$DEST"
echo "$DEST"
