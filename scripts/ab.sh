#!/usr/bin/env bash
# scripts/ab.sh: an A/B of two copies of our server in one bench-paired run, with the raw binding
# as the reference. The full bench compares targets round by round; a change that is worth a point
# or two needs both variants measured side by side, wave by wave, on the same machine state.
# The experiments in docs/DECISIONS.md ("Our threads at nice 0", "Receive barrier (tried,
# removed)", "Side probes", "C1 only") were run this way.
#
#   A and B: JAR_A / JAR_B (default: target/worker-llamacpp.jar for both), extra JVM options
#            JVM_A / JVM_B, probe intervals PROBE_A_MS / PROBE_B_MS (/metrics and /v1/models
#            during that copy's waves; default 250 and 250, 0 = none), and RENICE_A_SLOTS=N or
#            RENICE_B_SLOTS=N to renice that copy's slot threads once it is ready (0 = leave them).
#   load:    N streams and slots (default 4), REQ measured requests per target (default 16, whole
#            waves of N), PROMPT (96) and MAX_TOKENS (128); ORDER=K the turn order (bench-paired
#            --turn-order: 0 = raw, A, B; 1 = A, B, raw; 2 = B, raw, A; 3 = B, A, raw; default 0).
#   OUT:     the results folder (default target/ab/<UTC time>): A.json, B.json, raw.json, each server's log.
# Swap the copies between runs (A/B, then B/A), and vary ORDER: in the A/B runs of 2026-12-06 copy
# A, in the middle place, was the faster one in 8 of 12 runs, whichever variant it ran.
# Both copies stay loaded for the whole run; an idle copy costs memory, not CPU. Loopback only;
# both servers are stopped with SIGTERM when the run ends.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
JAR=target/worker-llamacpp.jar
JAR_A=${JAR_A:-$JAR}
JAR_B=${JAR_B:-$JAR}
MODEL=${BENCH_MODEL:-models/bench-qwen2.5-0.5b-q4_k_m.gguf}
N=${N:-4}
REQ=${REQ:-16}
PROMPT=${PROMPT:-96}
MAX_TOKENS=${MAX_TOKENS:-128}
PROBE_A_MS=${PROBE_A_MS:-250}
PROBE_B_MS=${PROBE_B_MS:-250}
RENICE_A_SLOTS=${RENICE_A_SLOTS:-0}
RENICE_B_SLOTS=${RENICE_B_SLOTS:-0}
OUT=${OUT:-target/ab/$(date -u +%Y%m%dT%H%M%SZ)}
read -r -a RUN_JVM <<< "${BENCH_JVM_OPTS:-$(cat scripts/jvm-options)}"
read -r -a JVM_A <<< "${JVM_A:-}"
read -r -a JVM_B <<< "${JVM_B:-}"

for jar in "$JAR_A" "$JAR_B"; do [ -f "$jar" ] || { echo "error: $jar not found (make build)" >&2; exit 2; }; done
[ -f "$MODEL" ] || { echo "error: $MODEL not found (make bench-model)" >&2; exit 2; }
mkdir -p "$OUT/native"

# shellcheck source=scripts/servers.sh
. scripts/servers.sh
trap stop_servers EXIT INT TERM

start_copy() { # name jar jvm-options...; sets pid_NAME and port_NAME
  local name=$1 jar=$2 port
  shift 2
  port=$(free_port)
  start_server "$name" "$port" env MODEL_PATH="$MODEL" HOST=127.0.0.1 PORT="$port" N_PARALLEL="$N" N_THREADS=2 \
    N_CTX=2048 "$JAVA" "${RUN_JVM[@]}" "$@" "-Dde.kherud.llama.tmpdir=$OUT/native/$name" -jar "$jar" || exit 1
  printf -v "pid_$name" '%s' "$started_pid"
  printf -v "port_$name" '%s' "$port"
}
start_copy A "$JAR_A" ${JVM_A[@]+"${JVM_A[@]}"}
start_copy B "$JAR_B" ${JVM_B[@]+"${JVM_B[@]}"}
slot_threads() { # pid
  local t
  for t in /proc/"$1"/task/*; do [[ $(cat "$t/comm" 2>/dev/null) == slot-* ]] && basename "$t"; done
}
[ "$RENICE_A_SLOTS" = 0 ] || renice -n "$RENICE_A_SLOTS" -p $(slot_threads "$pid_A") > /dev/null
[ "$RENICE_B_SLOTS" = 0 ] || renice -n "$RENICE_B_SLOTS" -p $(slot_threads "$pid_B") > /dev/null
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  git: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "A: $JAR_A ${JVM_A[*]:-} probes every ${PROBE_A_MS} ms$([ "$RENICE_A_SLOTS" != 0 ] && echo ", slot threads at nice $RENICE_A_SLOTS")"
  echo "B: $JAR_B ${JVM_B[*]:-} probes every ${PROBE_B_MS} ms$([ "$RENICE_B_SLOTS" != 0 ] && echo ", slot threads at nice $RENICE_B_SLOTS")"
  echo "load: $N streams, $REQ requests per target, $PROMPT tokens in, $MAX_TOKENS out, turn order ${ORDER:-0}"
} | tee "$OUT/info"

status=0
"$JAVA" "${RUN_JVM[@]}" --enable-native-access=ALL-UNNAMED "-Dde.kherud.llama.tmpdir=$OUT/native/client" \
  -cp "$JAR" io.inventiv.worker.tools.ToolsMain bench-paired \
  --url "http://127.0.0.1:$port_A" --label A --other-url "http://127.0.0.1:$port_B" --other-label B \
  --other-report "$OUT/B.json" --model "$MODEL" --n-threads 2 --n-ctx 2048 --n-parallel "$N" -c "$N" \
  --prompt-tokens "$PROMPT" --max-tokens "$MAX_TOKENS" --warmup "$N" --warmup-max-tokens 64 \
  --requests "$REQ" --repeats 1 --json --no-progress \
  --probe-interval-ms "$PROBE_A_MS" --other-probe-interval-ms "$PROBE_B_MS" \
  --turn-order "${ORDER:-0}" \
  --raw-report "$OUT/raw.json" --server-report "$OUT/A.json" 2> "$OUT/client.log" || status=$?

# CPU time (user + system, clock ticks) of each copy and of its slot threads.
for name in A B; do
  pid_var="pid_$name"; pid=${!pid_var}
  echo "$name cpu_ticks $(awk '{print $14 + $15}' /proc/"$pid"/stat) slot_threads $(for t in $(slot_threads "$pid"); do
    awk '{printf "%d ", $14 + $15}' /proc/"$pid"/task/"$t"/stat; done)"
done | tee -a "$OUT/info"
if command -v jq > /dev/null; then
  for name in raw A B; do
    jq -r --arg n "$name" '.repeats[0] | "\($n): aggregate \(.aggregate_tok_per_s * 100 | round / 100) tok/s, decode p50 \(.stream_decode_tok_per_s.p50 * 100 | round / 100) tok/s, ITL p95 \(.itl_ms.p95 * 100 | round / 100) ms"' \
      "$OUT/$name.json"
  done | tee -a "$OUT/info"
fi
echo "results: $OUT (exit $status)"
exit "$status"
