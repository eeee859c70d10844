# scripts/servers.sh: starting and stopping the servers a benchmark measures; sourced by bench.sh
# and ab.sh, which cd to the project first and set OUT (where each server's log goes).

# Prints a port on 127.0.0.1 that nothing listens on (connecting to it is refused).
free_port() {
  for _ in $(seq 50); do
    local port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "error: no free port found" >&2; return 1
}

# Every server started and not yet stopped; stop_servers ends them all with SIGTERM (SIGKILL
# after 10 s). The scripts call it from an EXIT trap too.
server_pids=()
stop_servers() {
  local pid
  for pid in ${server_pids[@]+"${server_pids[@]}"}; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  server_pids=()
}

# Starts a server command in the background, its output in $OUT/NAME.server.log, and waits for
# GET /health 200 (alone: any other server is idle). Sets started_pid and started_ready_ms;
# prints why and returns 1 if it exits or is not ready within 120 s.
start_server() { # name port command...
  local name=$1 port=$2 start=$SECONDS t0 t1
  shift 2
  t0=$(date +%s%N)
  "$@" > "$OUT/$name.server.log" 2>&1 &
  started_pid=$!
  # Not reported by bash when it ends: llama-server b4980 aborts on SIGTERM ("terminate called
  # without an active exception") once its slots are idle, which is harmless here.
  disown "$started_pid"
  server_pids+=("$started_pid")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do
    if ! kill -0 "$started_pid" 2>/dev/null || [ $((SECONDS - start)) -gt 120 ]; then
      echo "FAILED to start (see $OUT/$name.server.log)"; return 1
    fi
    sleep 0.02
  done
  t1=$(date +%s%N)
  started_ready_ms=$(( (t1 - t0) / 1000000 ))
}
