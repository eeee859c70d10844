#!/usr/bin/env bash
# scripts/find-jdk.sh: prints the home of a JDK 21 or newer (Helidon 4.5 needs Java 21) on stdout.
# Looks, in this order, at
#   1. JAVA_HOME, if it is a JDK 21+;
#   2. the `java` on the PATH, if it is 21+ (its real home, through symlinks and shims);
#   3. on macOS, `/usr/libexec/java_home -v 21+`;
#   4. the usual install folders (Debian/Ubuntu, RPM, Docker images, macOS, Homebrew, SDKMAN!,
#      IntelliJ, asdf, mise), picking the newest JDK 21+ among them.
# A JDK means bin/java and bin/javac: a JRE cannot build. Otherwise exits with 1 and one line on
# stderr naming what it found and what to install. Used by the Makefile and .ci/run; works with
# macOS's bash 3.2.
# For tests (scripts/test-find-jdk.sh):
#   FIND_JDK_PATHS          colon-separated candidate homes or globs, instead of step 4's list
#   FIND_JDK_UNAME          instead of `uname -s` (Darwin enables step 3)
#   FIND_JDK_JAVA_HOME_BIN  instead of /usr/libexec/java_home
set -u

MIN=21
os=${FIND_JDK_UNAME:-$(uname -s 2>/dev/null || echo unknown)}
java_home_bin=${FIND_JDK_JAVA_HOME_BIN:-/usr/libexec/java_home}

# Follows symlinks to the real file (no `readlink -f` on older macOS); prints it.
real_path() {
  local p=$1 link n=0
  while [ -L "$p" ] && [ $n -lt 40 ]; do
    link=$(readlink "$p") || break
    case $link in
      /*) p=$link ;;
      *) p=$(dirname "$p")/$link ;;
    esac
    n=$((n + 1))
  done
  if [ -d "$(dirname "$p")" ]; then
    printf '%s/%s\n' "$(cd "$(dirname "$p")" && pwd -P)" "$(basename "$p")"
  else
    printf '%s\n' "$p"
  fi
}

# The major version of <home>/bin/java from its `-version` output: "17.0.15" -> 17, "21" -> 21,
# "25-ea" -> 25, "1.8.0_392" -> 8. Prints nothing when it cannot tell.
major_of() {
  local v
  [ -x "$1/bin/java" ] || return 1
  v=$("$1/bin/java" -version 2>&1 </dev/null | sed -n 's/^.* version "\([^"]*\)".*$/\1/p' | head -n 1)
  case $v in
    1.*) v=${v#1.} ;;
  esac
  v=${v%%[!0-9]*}
  [ -n "$v" ] || return 1
  printf '%s\n' "$v"
}

seen='|'   # homes already looked at, '|'-separated
found=''   # what was found but will not do, for the error line
note() { found="${found:+$found, }$1"; }

# check <home> <where>: returns 0 when <home> is a JDK 21+, its version in $major; otherwise
# records what it is (once per installation) and returns 1.
major=0
check() {
  local home=${1%/} where=$2 key tag
  [ -n "$home" ] || return 1
  tag=${where:+ ($where)}
  key=$home
  [ -e "$home/bin/java" ] && key=$(real_path "$home/bin/java")
  case $seen in *"|$key|"*) return 1 ;; esac
  seen="$seen$key|"
  if ! major=$(major_of "$home"); then
    [ -n "$where" ] && note "no working bin/java at $home$tag"
    return 1
  fi
  if [ "$major" -lt "$MIN" ]; then
    note "Java $major at $home$tag"
    return 1
  fi
  if [ ! -x "$home/bin/javac" ]; then
    note "Java $major without javac (a JRE) at $home$tag"
    return 1
  fi
}

# 1. JAVA_HOME
java_home_state='JAVA_HOME unset'
if [ -n "${JAVA_HOME:-}" ]; then
  java_home_state=''
  if check "$JAVA_HOME" JAVA_HOME; then
    printf '%s\n' "${JAVA_HOME%/}"
    exit 0
  fi
fi

# 2. The java on the PATH, through symlinks (Debian's alternatives) and shims (asdf, jenv): the
# JVM's own java.home says where it lives. On macOS, /usr/bin/java is a stub that would offer to
# install Java when there is none: step 3 asks java_home instead.
if path_java=$(command -v java 2>/dev/null) && [ -n "$path_java" ]; then
  real_java=$(real_path "$path_java")
  if [ "$os" = Darwin ] && [ "$real_java" = /usr/bin/java ]; then
    :
  else
    home=$("$path_java" -XshowSettings:properties -version 2>&1 </dev/null |
      sed -n 's/^ *java\.home = //p' | head -n 1)
    [ -n "$home" ] || home=$(dirname "$(dirname "$real_java")")
    # Java 8's java.home is the jre/ folder inside the JDK.
    case $home in */jre) [ -x "${home%/jre}/bin/javac" ] && home=${home%/jre} ;; esac
    if check "$home" "java on the PATH"; then
      printf '%s\n' "$home"
      exit 0
    fi
  fi
fi

# 3. macOS: java_home knows every JDK installed in /Library/Java/JavaVirtualMachines.
if [ "$os" = Darwin ] && [ -x "$java_home_bin" ]; then
  if home=$("$java_home_bin" -v "$MIN+" 2>/dev/null) && [ -n "$home" ]; then
    if check "$home" java_home; then
      printf '%s\n' "$home"
      exit 0
    fi
  fi
fi

# 4. The usual install folders; the newest JDK 21+ wins (the first one on a tie).
if [ -n "${FIND_JDK_PATHS+set}" ]; then
  patterns=$FIND_JDK_PATHS
else
  h=${HOME:-/nonexistent}
  patterns="/usr/lib/jvm/*:/usr/java/*:/opt/java/openjdk:/opt/java/*:/opt/jdk*:/opt/openjdk*"
  patterns="$patterns:/Library/Java/JavaVirtualMachines/*/Contents/Home"
  patterns="$patterns:$h/Library/Java/JavaVirtualMachines/*/Contents/Home"
  patterns="$patterns:/opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home"
  patterns="$patterns:/usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home"
  patterns="$patterns:/home/linuxbrew/.linuxbrew/opt/openjdk*/libexec"
  patterns="$patterns:$h/.sdkman/candidates/java/*:$h/.jdks/*"
  patterns="$patterns:$h/.asdf/installs/java/*:$h/.local/share/mise/installs/java/*"
fi
best='' best_major=0
old_ifs=$IFS
IFS=':'
for pattern in $patterns; do
  IFS=''   # no word splitting below, but globs still expand
  for candidate in $pattern; do
    [ -x "$candidate/bin/java" ] || continue
    # The real home, so that a symlinked folder (default-java, current) is looked at once.
    home=$(dirname "$(dirname "$(real_path "$candidate/bin/java")")")
    if check "$home" '' && [ "$major" -gt "$best_major" ]; then
      best=$home best_major=$major
    fi
  done
  IFS=':'
done
IFS=$old_ifs
if [ -n "$best" ]; then
  printf '%s\n' "$best"
  exit 0
fi

# Nothing: one line that says what there is and what to get.
[ -n "$found" ] || found='no Java at all'
[ -n "$java_home_state" ] && note "$java_home_state"
echo "error: no JDK 21 or newer found: $found. Install a JDK 21 or newer, e.g. Temurin 21: https://adoptium.net, or \`brew install openjdk@21\` on macOS." >&2
exit 1
