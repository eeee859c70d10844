#!/usr/bin/env bash
# scripts/test-find-jdk.sh: checks scripts/find-jdk.sh, and the Makefile's use of it, against fake
# JDKs in a temporary folder (each fake bin/java prints a version to stderr, as a real one does).
# Needs no JDK. One line per case; exits with 1 if any fails. `make test` runs it first.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
find_jdk="$root/scripts/find-jdk.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-find-jdk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tmp=$(cd "$tmp" && pwd -P)   # macOS: /var is a symlink to /private/var

# fake_jdk <home> <version> [jre]: a bin/java that prints `-version` output like a real one
# (and java.home for -XshowSettings:properties), plus a bin/javac unless jre.
fake_jdk() {
  local home=$1 version=$2 kind=openjdk
  case $version in 1.*) kind=java ;; esac
  mkdir -p "$home/bin"
  cat > "$home/bin/java" <<EOF
#!/bin/sh
for a in "\$@"; do
  [ "\$a" = -XshowSettings:properties ] && printf 'Property settings:\n    java.home = %s\n    java.version = %s\n\n' '$home' '$version' >&2
done
echo '$kind version "$version" 2025-04-15' >&2
echo 'OpenJDK Runtime Environment (build $version+7)' >&2
echo 'OpenJDK 64-Bit Server VM (build $version+7, mixed mode, sharing)' >&2
EOF
  chmod +x "$home/bin/java"
  if [ "${3:-}" != jre ]; then
    printf '#!/bin/sh\necho "javac %s"\n' "$version" > "$home/bin/javac"
    chmod +x "$home/bin/javac"
  fi
}

# Installed JDKs.
fake_jdk "$tmp/jvm/java-17-openjdk" 17.0.15
fake_jdk "$tmp/jvm/temurin-21-jdk" 21.0.5
fake_jdk "$tmp/many/java-8-openjdk" 1.8.0_392
fake_jdk "$tmp/many/java-17-openjdk" 17.0.15
fake_jdk "$tmp/many/temurin-21-jdk" 21.0.5
fake_jdk "$tmp/many/jdk-25" 25
fake_jdk "$tmp/many/jdk-26-ea" 26-ea jre
ln -s "$tmp/many/java-17-openjdk" "$tmp/many/default-java"
fake_jdk "$tmp/old/java-8-openjdk" 1.8.0_392
fake_jdk "$tmp/old/java-17-openjdk" 17.0.15
fake_jdk "$tmp/old/temurin-21-jre" 21.0.5 jre
fake_jdk "$tmp/path/jdk-17" 17.0.15
fake_jdk "$tmp/path/jdk-25" 25
fake_jdk "$tmp/asdf/jdk-21" 21.0.5
fake_jdk "$tmp/mac/temurin-21.jdk/Contents/Home" 21.0.5
fake_jdk "$tmp/mac/zulu-17.jdk/Contents/Home" 17.0.15

# PATH folders with one java each: through a symlink chain, as Debian's alternatives do, or
# through a shim script, as asdf and jenv do.
mkdir -p "$tmp/bin17" "$tmp/bin25" "$tmp/shim21" "$tmp/alternatives"
ln -s "$tmp/path/jdk-17/bin/java" "$tmp/alternatives/java"
ln -s "$tmp/alternatives/java" "$tmp/bin17/java"
ln -s "$tmp/path/jdk-25/bin/java" "$tmp/bin25/java"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$tmp/asdf/jdk-21/bin/java" > "$tmp/shim21/java"
chmod +x "$tmp/shim21/java"
# A PATH without any java: the few tools find-jdk.sh and the fakes use.
mkdir -p "$tmp/tools"
for tool in sh bash sed head dirname basename readlink uname cat; do
  ln -s "$(command -v "$tool")" "$tmp/tools/$tool"
done

# Fake macOS java_home: answers `-v 21+` with the 21 (like the real one), or, as old ones did
# when nothing matches, with the default JDK (the 17).
printf '#!/bin/sh\n[ "$1 $2" = "-v 21+" ] && echo "%s"\n' "$tmp/mac/temurin-21.jdk/Contents/Home" > "$tmp/java_home"
printf '#!/bin/sh\necho "%s"\n' "$tmp/mac/zulu-17.jdk/Contents/Home" > "$tmp/java_home_old"
chmod +x "$tmp/java_home" "$tmp/java_home_old"

failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }

# run_find <PATH> [VAR=value...]: runs find-jdk.sh with a clean environment plus the given
# variables (Linux unless FIND_JDK_UNAME is given); sets out, err and rc.
run_find() {
  local path=$1
  shift
  env -i HOME="$tmp/home" PATH="$path" FIND_JDK_UNAME=Linux FIND_JDK_PATHS= \
    FIND_JDK_JAVA_HOME_BIN="$tmp/no-java_home" "$@" bash "$find_jdk" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}

# expect_home <case> <home>
expect_home() {
  if [ "$rc" = 0 ] && [ "$out" = "$2" ] && [ -z "$err" ]; then
    pass "$1 -> $out"
  else
    fail "$1" "expected $2, got rc=$rc stdout='$out' stderr='$err'"
  fi
}

# expect_error <case> <text>...: exit 1, nothing on stdout, one line on stderr holding each text.
expect_error() {
  local name=$1 text lines
  shift
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ "$rc" = 0 ] || [ -n "$out" ] || [ "$lines" != 1 ]; then
    fail "$name" "expected one error line, got rc=$rc stdout='$out' stderr='$err'"
    return
  fi
  for text in "$@"; do
    case $err in
      *"$text"*) ;;
      *) fail "$name" "the error line lacks '$text': $err"; return ;;
    esac
  done
  pass "$name -> exit $rc, one line: $err"
}

run_find "$tmp/bin17:$tmp/tools" FIND_JDK_PATHS="$tmp/jvm/*"
expect_home "(a) no JAVA_HOME, a 17 on the PATH, a 21 in a known folder" "$tmp/jvm/temurin-21-jdk"

run_find "$tmp/bin17:$tmp/tools" FIND_JDK_PATHS="$tmp/none/*:$tmp/many/*"
expect_home "(b) a 17 first on the PATH; 8, 17, 21, 25 and a 26 JRE installed: the newest JDK" \
  "$tmp/many/jdk-25"

run_find "$tmp/shim21:$tmp/tools" FIND_JDK_PATHS="$tmp/many/*"
expect_home "(b2) a 21 on the PATH through a shim script: its own java.home" "$tmp/asdf/jdk-21"

run_find "$tmp/bin25:$tmp/tools" JAVA_HOME="$tmp/jvm/temurin-21-jdk/" FIND_JDK_PATHS="$tmp/many/*"
expect_home "(c) JAVA_HOME a 21, a 25 on the PATH: JAVA_HOME" "$tmp/jvm/temurin-21-jdk"

run_find "$tmp/bin17:$tmp/tools" JAVA_HOME="$tmp/jvm/java-17-openjdk" FIND_JDK_PATHS="$tmp/jvm/*"
expect_home "(d) JAVA_HOME a 17: skipped for the 21 installed" "$tmp/jvm/temurin-21-jdk"

run_find "$tmp/bin17:$tmp/tools" FIND_JDK_PATHS="$tmp/old/*"
expect_error "(e) only 8, 17 and a 21 JRE" "JDK 21" "Java 17 at $tmp/path/jdk-17 (java on the PATH)" \
  "Java 8 at $tmp/old/java-8-openjdk" "Java 21 without javac" "JAVA_HOME unset" "https://adoptium.net"

run_find "$tmp/bin17:$tmp/tools" JAVA_HOME="$tmp/nowhere" FIND_JDK_PATHS="$tmp/old/java-17-openjdk"
expect_error "(e2) JAVA_HOME without a java" "JDK 21" "$tmp/nowhere (JAVA_HOME)"

run_find "$tmp/tools"
expect_error "(e3) no Java at all" "JDK 21" "no Java at all"

run_find "$tmp/bin17:$tmp/tools" FIND_JDK_UNAME=Darwin FIND_JDK_JAVA_HOME_BIN="$tmp/java_home"
expect_home "(f) macOS, a 17 on the PATH: java_home -v 21+" "$tmp/mac/temurin-21.jdk/Contents/Home"

run_find "$tmp/bin17:$tmp/tools" FIND_JDK_UNAME=Darwin FIND_JDK_JAVA_HOME_BIN="$tmp/java_home_old" \
  FIND_JDK_PATHS="$tmp/mac/*/Contents/Home"
expect_home "(f2) macOS, java_home answering a 17: the 21 in the JDK folder" \
  "$tmp/mac/temurin-21.jdk/Contents/Home"

run_find "$tmp/bin17:$tmp/tools" FIND_JDK_UNAME=Linux FIND_JDK_JAVA_HOME_BIN="$tmp/java_home"
expect_error "(f3) java_home is only asked on macOS" "JDK 21" "Java 17"

# The Makefile: `make java-home` prints what find-jdk.sh chose, JAVA_HOME from the environment
# or the command line goes through it too, `make help` needs no JDK, and a target that needs one
# stops with the script's line. MAKEFLAGS and MAKELEVEL are dropped so that `make test` running
# this script does not leak into these.
make_bin=$(command -v make)
run_make() { # <PATH folder> <FIND_JDK_PATHS> <make arguments...>; sets out, err and rc
  local path=$1 paths=$2
  shift 2
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u JAVA_HOME PATH="$path:$PATH" FIND_JDK_UNAME=Linux \
    FIND_JDK_JAVA_HOME_BIN="$tmp/no-java_home" FIND_JDK_PATHS="$paths" \
    "$make_bin" -s --no-print-directory -C "$root" "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}
if [ -z "$make_bin" ]; then
  fail "(m1) Makefile" "make is not installed"
else
  run_make "$tmp/bin17" "$tmp/jvm/*" java-home
  expect_home "(m1) make java-home, a 17 on the PATH, a 21 installed" "$tmp/jvm/temurin-21-jdk"

  run_make "$tmp/bin17" "$tmp/jvm/*" java-home JAVA_HOME="$tmp/path/jdk-25"
  expect_home "(m2) make java-home JAVA_HOME=<a 25>" "$tmp/path/jdk-25"

  run_make "$tmp/bin17" "$tmp/jvm/*" -n test
  case $out in
    *"bash scripts/test-find-jdk.sh"*"JAVA_HOME=\"$tmp/jvm/temurin-21-jdk\" ./mvnw -B --no-transfer-progress verify"*)
      pass "(m3) make -n test: this script, then ./mvnw verify with that JAVA_HOME" ;;
    *) fail "(m3) make -n test" "no ./mvnw verify with JAVA_HOME=$tmp/jvm/temurin-21-jdk after this script in: $out" ;;
  esac

  run_make "$tmp/bin17" "$tmp/old/*" help
  case "$rc:$err:$out" in
    0::*"make test"*) pass "(m4) make help without a JDK 21+" ;;
    *) fail "(m4) make help without a JDK 21+" "rc=$rc stderr='$err'" ;;
  esac

  run_make "$tmp/bin17" "$tmp/old/*" java-home
  first=$(printf '%s\n' "$err" | head -n 1)
  case "$rc:$out:$first" in
    [1-9]*::"error: no JDK 21 or newer found: Java 17 at $tmp/path/jdk-17 (java on the PATH), "*)
      pass "(m5) make java-home without a JDK 21+ stops with find-jdk.sh's line" ;;
    *) fail "(m5) make java-home without a JDK 21+" "rc=$rc stdout='$out' stderr='$err'" ;;
  esac
fi

if [ "$failures" -gt 0 ]; then
  echo "test-find-jdk: $failures case(s) failed" >&2
  exit 1
fi
echo "test-find-jdk: all cases passed"
