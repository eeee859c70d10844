# scripts/free-port.sh: sourced by bench.sh and ab.sh.

# Prints a port on 127.0.0.1 that nothing listens on (connecting to it is refused).
free_port() {
  for _ in $(seq 50); do
    local port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "error: no free port found" >&2; return 1
}
