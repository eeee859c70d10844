#!/usr/bin/env bash
# scripts/bench.sh: what `make bench` runs. On the benchmark model (Qwen2.5-0.5B's shapes and
# Q4_K_M encodings, random weights), runs the same streamed load against
#   raw     de.kherud:llama in process, no HTTP: the baseline
#   engine  our engine in process, no HTTP (only with BENCH_ENGINE=1)
#   ours    our server over HTTP on 127.0.0.1
#   llama-server  when LLAMA_SERVER_BIN points to one, with the same file, threads, slots, context
# for 1 stream (1 slot) and 4 streams (4 slots), plus a short-prompt TTFT scenario on 1 slot, in
# rounds; raw, ours and llama-server take turns inside one client (bench-paired), two waves each,
# because this machine's speed drifts. Then prints one table with ratio columns.
# Results: target/bench/<UTC time>/ (JSON + table.md).
# Every server listens on 127.0.0.1 only and is stopped with SIGTERM by this script.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
JAR=target/worker-llamacpp.jar
MODEL=${BENCH_MODEL:-models/bench-qwen2.5-0.5b-q4_k_m.gguf}
THREADS=${BENCH_THREADS:-2}
N_CTX=${BENCH_N_CTX:-2048}              # per slot, as the server's N_CTX
PROMPT_TOKENS=${BENCH_PROMPT_TOKENS:-96}
MAX_TOKENS=${BENCH_MAX_TOKENS:-128}
STREAMS=${BENCH_STREAMS:-"1 4"}
ROUNDS=${BENCH_ROUNDS:-3}
# Sampling sent with every request: greedy top-k 1 by default; BENCH_TEMPERATURE=0.7 BENCH_TOP_K=0
# samples as the OpenAI SDKs do (no top-k, top-p 1).
TEMPERATURE=${BENCH_TEMPERATURE:-0}
TOP_K=${BENCH_TOP_K:-1}
WARMUP_TOKENS=${BENCH_WARMUP_TOKENS:-64}
ENGINE=${BENCH_ENGINE:-0}
# Which engine our server runs: ENGINE=auto|native|binding (auto: native when target/native has it).
OURS_ENGINE=${BENCH_OURS_ENGINE:-auto}
LLAMA_SERVER_BIN=${LLAMA_SERVER_BIN:-}
# /metrics and /v1/models are timed during multi-stream loads only: a scrape costs the server CPU
# that llama.cpp's threads then lack, so the 1-stream decode and TTFT figures are taken without
# side traffic, as the raw baseline has none. Each is timed every 250 ms: once a second gave a
# round only ~37 samples, so its "p99" was its largest one.
PROBE_MS=${BENCH_PROBE_MS:-250}
# TTFT is judged on short prompts too: our overhead is a few fixed milliseconds per request, and
# a 96-token prefill varies by ±50 ms from run to run here. 1 stream, TTFT_PROMPT_TOKENS in,
# 4 tokens out, TTFT_REQUESTS measured requests; run right after each 1-slot target's main run
# (against the same server). BENCH_TTFT_PROMPT_TOKENS=0 skips it.
TTFT_PROMPT_TOKENS=${BENCH_TTFT_PROMPT_TOKENS:-16}
TTFT_REQUESTS=${BENCH_TTFT_REQUESTS:-24}
OUT=${BENCH_OUT:-target/bench/$(date -u +%Y%m%dT%H%M%SZ)}
NATIVE="$OUT/native"                    # each JVM extracts libjllama.so below it, in its own folder

# The same JVM flags as `make run` for everything that generates: our server, and bench-paired,
# whose JVM holds the raw baseline and is also the HTTP client of the other targets. C1 only
# (docs/DECISIONS.md, "C1 only") also keeps that client light: on 2 cores every cycle it spends
# is taken from llama.cpp's threads. bench-table's JVM (CLIENT_JVM) generates nothing.
read -r -a RUN_JVM <<< "${BENCH_JVM_OPTS:-$(cat scripts/jvm-options)}"   # make run's JVM_OPTS
GEN_JVM=("${RUN_JVM[@]}" --enable-native-access=ALL-UNNAMED "-Dde.kherud.llama.tmpdir=$NATIVE")
# Our server runs with -jar, whose manifest enables native access. It starts from a class-data
# archive, as `make run` does from its second start on (CDS_OPTS in the Makefile) and the Docker
# image always does: one start and stop of our server writes it before the rounds (cds_archive).
# BENCH_CDS=0 measures every start without one.
CDS=${BENCH_CDS:-1}
SERVER_JVM=("${RUN_JVM[@]}" "-Dde.kherud.llama.tmpdir=$NATIVE")
[ "$CDS" = 1 ] && SERVER_JVM+=("-XX:SharedArchiveFile=$OUT/ours.jsa" -XX:+AutoCreateSharedArchive -Xlog:cds=off)
CLIENT_JVM=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m)
# Extra JVM options for our server only, e.g. BENCH_SERVER_JVM_OPTS="-Xms16m" to try heap sizing.
read -r -a SERVER_JVM_EXTRA <<< "${BENCH_SERVER_JVM_OPTS:-}"
BENCH_MAIN=io.inventiv.worker.tools.ToolsMain   # the tools' entry point (the jar's own main only serves)

mkdir -p "$OUT" "$NATIVE"
exec > >(tee "$OUT/run.log") 2>&1
[ -f "$JAR" ] || JAVA_HOME="$JAVA_HOME" ./mvnw -B -q package -DskipTests
if [ ! -f "$MODEL" ]; then
  echo "writing the benchmark model $MODEL (about 395 MB)"
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" "$BENCH_MAIN" bench-model --output "$MODEL"
fi
if [ -n "$LLAMA_SERVER_BIN" ] && [ ! -x "$LLAMA_SERVER_BIN" ]; then
  echo "error: LLAMA_SERVER_BIN=$LLAMA_SERVER_BIN is not executable" >&2
  exit 2
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "llama-server: ${LLAMA_SERVER_BIN:-not given}"
  echo "our server's JVM: ${SERVER_JVM[*]} ${BENCH_SERVER_JVM_OPTS:-}"
  echo "our server's engine: ENGINE=$OURS_ENGINE$([ -f target/native/build-info.properties ] && echo " (target/native: $(tr '\n' ' ' < target/native/build-info.properties))")"
  echo "settings: threads=$THREADS n_ctx=$N_CTX prompt=$PROMPT_TOKENS max_tokens=$MAX_TOKENS temperature=$TEMPERATURE top_k=$TOP_K streams='$STREAMS' rounds=$ROUNDS warm-up=2 requests (1 stream) or 1 wave (N streams) × $WARMUP_TOKENS tokens ttft_prompt=$TTFT_PROMPT_TOKENS ttft_requests=$TTFT_REQUESTS"
} | tee "$OUT/machine.txt"

# shellcheck source=scripts/servers.sh
. scripts/servers.sh
trap stop_servers EXIT INT TERM

# Busy share of all CPUs over half a second, from /proc/stat: anything else running now
# competes with llama.cpp's threads, so it is written down next to each result.
cpu_busy_pct() {
  local a b
  a=($(head -1 /proc/stat)); sleep 0.5; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

# Waits (up to BENCH_QUIET_WAIT_S, default 120 s) until other processes leave the CPUs mostly
# idle, then prints the busy share it last saw: a concurrent build or test run would otherwise
# slow one target and not the other.
QUIET_WAIT_S=${BENCH_QUIET_WAIT_S:-120}
QUIET_BUSY_PCT=${BENCH_QUIET_BUSY_PCT:-25}
wait_quiet() {
  local deadline=$((SECONDS + QUIET_WAIT_S)) busy
  busy=$(cpu_busy_pct)
  while [ "$busy" -gt "$QUIET_BUSY_PCT" ] && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 1; busy=$(cpu_busy_pct)
  done
  echo "$busy"
}

# Common load options: N streams, a warm-up of WARMUP_TOKENS-token requests (2 for 1 stream, one
# wave of N for N streams: N × WARMUP_TOKENS tokens through the server either way), then 4
# (1 stream) or 2 per stream measured requests, each exactly PROMPT_TOKENS in and MAX_TOKENS out.
# The warm-up lets the JIT compile the per-token path of whatever runs in Java (a server lives for
# hours; a benchmark that measures its first seconds measures the interpreter): with 16 tokens,
# our server still had 0.5 s of C2 compilation going on inside the measured requests.
load_args() {
  local n=$1 requests=$(( $1 == 1 ? 4 : 2 * $1 )) warmup=$(( $1 == 1 ? 2 : $1 ))
  echo "-c $n --prompt-tokens $PROMPT_TOKENS --max-tokens $MAX_TOKENS --warmup $warmup --warmup-max-tokens $WARMUP_TOKENS --requests $requests --repeats 1 --temperature $TEMPERATURE --top-k $TOP_K --json --no-progress"
}

# The short-prompt TTFT scenario: 1 stream, a warm-up of 2 requests, then TTFT_REQUESTS.
ttft_args() {
  echo "-c 1 --prompt-tokens $TTFT_PROMPT_TOKENS --max-tokens 4 --warmup 2 --warmup-max-tokens 4 --requests $TTFT_REQUESTS --repeats 1 --temperature $TEMPERATURE --top-k $TOP_K --json --no-progress"
}
ttft_enabled() { # n
  [ "$1" = 1 ] && [ "$TTFT_PROMPT_TOKENS" -gt 0 ]
}

failures=0
# A server that did not start: counted as a failure, and the round's other server stopped.
server_failed() { failures=$((failures + 1)); stop_servers; }
run_in_process() { # via label n round [ttft]
  local via=$1 label=$2 n=$3 round=$4 name="$2-s$3-r$4" args busy suffix=""
  args=$(load_args "$n")
  if [ "${5:-}" = ttft ]; then name="$label-ttft-s$n-r$round"; args=$(ttft_args); suffix=" (TTFT)"; fi
  busy=$(wait_quiet)
  printf '  %-13s %d stream(s)%s: ' "$label" "$n" "$suffix"
  local start=$SECONDS
  if "$JAVA" "${GEN_JVM[@]}" -cp "$JAR" "$BENCH_MAIN" bench-raw --via "$via" --label "$label" \
      --model "$MODEL" --n-threads "$THREADS" --n-ctx "$N_CTX" --n-parallel "$n" $args \
      > "$OUT/$name.json" 2> "$OUT/$name.log"; then
    echo "done in $((SECONDS - start)) s (other CPU use before: $busy%)"
  else
    echo "FAILED (see $OUT/$name.log)"; failures=$((failures + 1))
  fi
}

# Our server, the raw binding (and llama-server when given) are measured by one client that
# rotates between them wave by wave (bench-paired; a wave is N requests started together): the raw
# binding is loaded in the client's JVM, so each wave runs on the same machine state as its
# neighbours. Run as separate processes one after the other, two targets differed by up to 20% on
# this machine's drift alone. Round r uses turn order r - 1 (PairedRunner): the targets' places in a
# block rotate from round to round, so that over 3 rounds each target takes each place once, and
# from round 4 on (or round 3 without llama-server) they go in reverse.
bench_paired() { # n round main|ttft load-args
  local n=$1 round=$2 kind=$3 args=$4 infix="" other=()
  [ "$kind" = ttft ] && infix="-ttft"
  local log="$OUT/paired$infix-s$n-r$round.log"
  if [ -n "$llama_port" ]; then
    other=(--other-url "http://127.0.0.1:$llama_port" --other-label llama-server
      --other-report "$OUT/llama-server$infix-s$n-r$round.json")
  fi
  if ! "$JAVA" "${GEN_JVM[@]}" -cp "$JAR" "$BENCH_MAIN" bench-paired --url "http://127.0.0.1:$ours_port" --label ours \
      --model "$MODEL" --n-threads "$THREADS" --n-ctx "$N_CTX" --n-parallel "$n" $args \
      --probe-interval-ms $(( n == 1 ? 0 : PROBE_MS )) --turn-order $((round - 1)) ${other[@]+"${other[@]}"} \
      --raw-report "$OUT/raw$infix-s$n-r$round.json" --server-report "$OUT/ours$infix-s$n-r$round.json" 2> "$log"; then
    echo -n "bench-paired ($kind) reported errors (see $log); "; failures=$((failures + 1))
  fi
}

# Writes NAME.proc.json for a running server: its model load time (ours logs it), start-to-ready
# time, peak RSS (VmHWM) and CPU time (utime + stime, fields 14 and 15 of /proc/PID/stat).
record_process() { # name pid ready_ms
  local name=$1 pid=$2 ready_ms=$3 rss cpu load_ms
  rss=$(awk '/VmHWM/ {print $2 * 1024}' "/proc/$pid/status" 2>/dev/null || echo -1)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || echo null)
  load_ms=$(sed -n 's/.*model loaded in \([0-9]*\) ms.*/\1/p' "$OUT/$name.server.log" | head -1)
  printf '{"load_millis": %s, "ready_millis": %s, "peak_rss_bytes": %s, "cpu_seconds": %s}\n' "${load_ms:-null}" \
    "$ready_ms" "${rss:--1}" "${cpu:-null}" > "$OUT/$name.proc.json"
}

# Starts our server as the rounds measure it, on N slots (see start_server).
start_ours() { # name port slots
  start_server "$1" "$2" env ENGINE="$OURS_ENGINE" MODEL_PATH="$MODEL" HOST=127.0.0.1 PORT="$2" N_PARALLEL="$3" N_THREADS="$THREADS" \
    N_CTX="$N_CTX" "$JAVA" "${SERVER_JVM[@]}" ${SERVER_JVM_EXTRA[@]+"${SERVER_JVM_EXTRA[@]}"} -jar "$JAR"
}

# One round of one scenario for the servers: starts ours with N slots (and llama-server with the
# same file, threads, slots and context per slot), runs bench-paired (which also measures raw),
# then the TTFT scenario on 1 slot, records each server's process facts, and stops them.
ours_port=""
llama_port=""
run_servers() { # n round
  local n=$1 round=$2 busy start=$SECONDS ours_pid llama_pid="" ours_ready llama_ready=""
  busy=$(wait_quiet)
  printf '  %-28s %d stream(s): ' "ours + raw$([ -n "$LLAMA_SERVER_BIN" ] && echo ' + llama-server')" "$n"
  llama_port=""
  if [ -n "$LLAMA_SERVER_BIN" ]; then
    llama_port=$(free_port)
    start_server "llama-server-s$n-r$round" "$llama_port" "$LLAMA_SERVER_BIN" --host 127.0.0.1 \
      --port "$llama_port" -m "$MODEL" -t "$THREADS" -tb "$THREADS" -c $(( N_CTX * n )) -np "$n" --metrics \
      || { server_failed; return; }
    llama_pid=$started_pid llama_ready=$started_ready_ms
  fi
  ours_port=$(free_port)
  start_ours "ours-s$n-r$round" "$ours_port" "$n" || { server_failed; return; }
  ours_pid=$started_pid ours_ready=$started_ready_ms
  bench_paired "$n" "$round" main "$(load_args "$n")"
  # Peak RSS and CPU over the main scenario; the TTFT scenario's short requests change neither much.
  record_process "ours-s$n-r$round" "$ours_pid" "$ours_ready"
  [ -n "$llama_pid" ] && record_process "llama-server-s$n-r$round" "$llama_pid" "$llama_ready"
  if ttft_enabled "$n"; then
    bench_paired "$n" "$round" ttft "$(ttft_args)"
  fi
  stop_servers
  echo "done in $((SECONDS - start)) s, ready after ${ours_ready} ms$([ -n "$llama_ready" ] && echo " (llama-server: $llama_ready ms)") (other CPU use before: $busy%)"
}

# Writes our server's class-data archive: one start on 1 slot, a scrape and a short stream, then
# SIGTERM, as the JVM writes the archive when it exits.
cds_archive() {
  [ "$CDS" = 1 ] || return 0
  local port
  port=$(free_port)
  printf '  %-28s ' "class-data archive"
  start_ours "cds-archive" "$port" 1 || { server_failed; return; }
  curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" || true
  curl -sf -o /dev/null "http://127.0.0.1:$port/v1/completions" -H 'Content-Type: application/json' \
    -d '{"prompt": "Hello", "max_tokens": 4, "stream": true}' || true
  stop_servers
  if [ -s "$OUT/ours.jsa" ]; then
    echo "written, $(( $(stat -c %s "$OUT/ours.jsa") / 1048576 )) MB"
  else
    echo "not written: ours starts without one"
  fi
}
echo "before the rounds"
cds_archive

targets=() # raw (and llama-server, when given) are measured with ours, by bench-paired
[ "$ENGINE" = 1 ] && targets+=(engine)
targets+=(servers)

for round in $(seq "$ROUNDS"); do
  # Interleaved, and in reverse order every other round, so drift hits every target alike.
  order=("${targets[@]}")
  if [ $((round % 2)) = 0 ]; then
    order=(); for ((i=${#targets[@]}-1; i>=0; i--)); do order+=("${targets[i]}"); done
  fi
  echo "round $round/$ROUNDS"
  for n in $STREAMS; do
    for target in "${order[@]}"; do
      case "$target" in
        engine) run_in_process engine engine "$n" "$round"
             if ttft_enabled "$n"; then run_in_process engine engine "$n" "$round" ttft; fi ;;
        servers) run_servers "$n" "$round" ;;
      esac
    done
  done
done

echo
"$JAVA" "${CLIENT_JVM[@]}" -cp "$JAR" "$BENCH_MAIN" bench-table "$OUT"
rm -rf "$NATIVE" "$OUT/ours.jsa"
echo
echo "results: $OUT (table.md, summary.json, one JSON per run)"
[ -z "$LLAMA_SERVER_BIN" ] && echo "llama-server: not run (make bench LLAMA_SERVER_BIN=\$(make -s llama-server) adds it)"
if [ "$failures" -gt 0 ]; then
  echo "$failures run(s) failed or reported errors" >&2
  exit 1
fi
