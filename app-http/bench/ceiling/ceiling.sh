#!/usr/bin/env bash
# The HTTP stack's own ceiling for a 16 KiB GET (Ceiling.java): a Javalin route and a bare Jetty
# handler answering from memory, each under the same wrk load as wrk-vs-nginx.sh's GET case
# (-t2 -c32, a warm-up, then the measured run), printing req/s and the server's CPU µs/request.
#   usage: app-http/bench/ceiling/ceiling.sh [SERVER_JAR]   env: WRK_WARMUP (15s) WRK_DURATION (20s)
# Needs the server jar (mvn -B -ntp -DskipTests package), java 17+, wrk. docs/benchmarks.md.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$(realpath -m "${1:-$HERE/../../target/docsgen-server.jar}")"
[ -f "$JAR" ] || { echo "no server jar at $JAR; build it: mvn -B -ntp -DskipTests package" >&2; exit 1; }
command -v wrk >/dev/null || { echo "missing: wrk (Debian: apt-get install wrk)" >&2; exit 1; }
HZ="$(getconf CLK_TCK)"
PID=""
trap '[ -z "$PID" ] || kill "$PID" 2>/dev/null' EXIT
for mode in javalin jetty; do
  port=$((20000 + RANDOM % 12000))
  java -cp "$JAR" "$HERE/Ceiling.java" "$mode" "$port" > /dev/null 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/artifacts/r/s/x.bin" && break; sleep 0.25; done
  url="http://127.0.0.1:$port/api/artifacts/r/s/x.bin"
  wrk -t2 -c32 -d"${WRK_WARMUP:-15s}" "$url" > /dev/null
  t0="$(awk '{print $14 + $15}' "/proc/$PID/stat")"
  out="$(wrk -t2 -c32 -d"${WRK_DURATION:-20s}" "$url")"
  t1="$(awk '{print $14 + $15}' "/proc/$PID/stat")"
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  secs="$(awk '/requests in/ {sub(/s,$/, "", $4); print $4}' <<<"$out")"
  awk -v m="$mode" -v r="$rps" -v t=$((t1 - t0)) -v hz="$HZ" -v s="$secs" \
    'BEGIN { printf "%-8s %10.1f req/s %6.0f µs CPU/request\n", m, r, t / hz * 1e6 / (r * s) }'
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
done
