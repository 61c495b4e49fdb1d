#!/usr/bin/env bash
# Holds the DocsGen server side by side with nginx under wrk, on one machine over 127.0.0.1:
#   nginx-put    nginx WebDAV PUT (dav_methods PUT) of a 16 KiB body, a new path per request
#   docsgen-put  DocsGen PUT /api/artifacts/<run>/phase1/..., a new path per request (a create:
#                201), on the embedded default (filesystem + SQLite); DocsGen answers only once
#                the write is durable (fsync), nginx does not fsync
#   nginx-get    nginx static file, 16 KiB, sendfile on
#   docsgen-get  DocsGen GET of one stored 16 KiB artifact (bearer token)
# Each case first gets an uncounted warm-up run (the JVM needs its JIT), then `sync` so no case
# starts with another's dirty pages, then the measured run, then a timed `sync` (what nginx left
# to the kernel to write; DocsGen has already synced its files).
# Prints a table (req/s, latency p50/p99, status counts, server CPU per request) and the ratios
# docsgen/nginx for PUT (aim >= 0.8) and GET (aim >= 0.7). A benchmark, never a test.
#
#   usage: app-http/bench/wrk-vs-nginx.sh [SERVER_JAR]     (default app-http/target/docsgen-server.jar)
#   env:   WRK_THREADS (2) WRK_CONNECTIONS (16) WRK_DURATION (20s)
#          WRK_WARMUP (DocsGen cases, 60s: after 5 s the JVM is still compiling and spends over
#          twice the CPU per PUT) WRK_WARMUP_NGINX (5s: nginx has nothing to warm, and a long
#          PUT warm-up only piles up gigabytes of dirty pages)
#          BODY_BYTES (16384)
#          CASES ("nginx-put docsgen-put nginx-get docsgen-get"; a subset runs only those)
#          DATA_DIR (parent of the temporary directory holding both servers' data; default
#                    $TMPDIR or /tmp: put it on the disk you mean to measure)
#          JAVA_OPTS (DocsGen JVM options, e.g. a JFR recording)
#          BENCH_TOKEN (the writer token given to DocsGen; a fixed default)
#          KEEP_DIR (if set, the server logs, nginx.conf and wrk outputs are copied there)
#          On a shared machine: WAIT_QUIET (0; else wait up to that many seconds before each
#          measured run until the CPUs are at most QUIET_BUSY (10) % busy) and BUSY_RETRIES (0;
#          else measure a case again, up to that many times, while other processes took more than
#          OTHERS_MAX (10) % of the CPUs during its run; the table's oth% column shows it)
# Needs: the server jar (mvn -B -ntp -DskipTests package), java, wrk, nginx (Debian: apt-get
# install wrk nginx-light), curl, ss. Results and caveats: docs/benchmarks.md § HTTP (app-http).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="$(realpath -m "${1:-$ROOT/app-http/target/docsgen-server.jar}")"
THREADS="${WRK_THREADS:-2}"
CONNS="${WRK_CONNECTIONS:-16}"
DURATION="${WRK_DURATION:-20s}"
WARMUP="${WRK_WARMUP:-60s}"
NGINX_WARMUP="${WRK_WARMUP_NGINX:-5s}"
BYTES="${BODY_BYTES:-16384}"
CASES="${CASES:-nginx-put docsgen-put nginx-get docsgen-get}"
TOKEN="${BENCH_TOKEN:-wrk-bench-writer-token-0001}"
WAIT_QUIET="${WAIT_QUIET:-0}"
QUIET_BUSY="${QUIET_BUSY:-10}"
BUSY_RETRIES="${BUSY_RETRIES:-0}"
OTHERS_MAX="${OTHERS_MAX:-10}"
CLK_TCK="$(getconf CLK_TCK)"

for tool in java wrk nginx curl ss getconf; do
  command -v "$tool" >/dev/null || {
    echo "missing: $tool (Debian: apt-get install wrk nginx-light curl iproute2)" >&2
    exit 1
  }
done
[ -f "$JAR" ] || { echo "no server jar at $JAR; build it: mvn -B -ntp -DskipTests package" >&2; exit 1; }

WORK="$(mktemp -d "${DATA_DIR:-${TMPDIR:-/tmp}}/docsgen-wrk-XXXXXX")"
NGINX_PID=""
JAVA_PID=""
WRK_PID=""
stop() { # pid: TERM, then wait for it to go (KILL after 15 s)
  local pid="$1" i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  set +e
  stop "$WRK_PID"
  stop "$JAVA_PID"
  stop "$NGINX_PID"
  wait 2>/dev/null
  if [ -n "${KEEP_DIR:-}" ]; then
    mkdir -p "$KEEP_DIR"
    cp "$WORK"/*.log "$WORK"/*.out "$WORK/nginx/nginx.conf" "$KEEP_DIR"/ 2>/dev/null
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { # a port below the ephemeral range that nothing uses
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12000))
    [ -z "$(ss -Htan "( sport = :$p or dport = :$p )")" ] && { echo "$p"; return; }
  done
  echo "no free port found" >&2
  exit 1
}
# CPU time (utime + stime, clock ticks) of the given processes
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
# busy and total ticks of the whole machine
machine_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
# CHILD_CPU := CPU seconds (user + sys) used so far by this shell's waited-for children (wrk
# among them); `times` must run in this shell, not in a $(...) subshell
children_cpu() {
  times > "$WORK/times.txt"
  CHILD_CPU="$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.3f", t }' "$WORK/times.txt")"
}
# share (%) of all CPUs busy over 2 s
busy_now() {
  local a b
  a="$(machine_ticks)"; sleep 2; b="$(machine_ticks)"
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }'
}

# with WAIT_QUIET > 0: wait (at most WAIT_QUIET s) until the machine's CPUs are at most
# QUIET_BUSY % busy, so that a run does not start in the middle of somebody else's work
wait_quiet() {
  [ "$WAIT_QUIET" -gt 0 ] || return 0
  local waited=0 b
  while b="$(busy_now)" && [ "$b" -gt "$QUIET_BUSY" ] && [ "$waited" -lt "$WAIT_QUIET" ]; do
    waited=$((waited + 2))
  done
  [ "$waited" = 0 ] || echo "  waited $waited s for the CPUs to be <= $QUIET_BUSY% busy (last: $b%)" >&2
}

# ---- the 16 KiB file both servers serve
head -c "$BYTES" /dev/urandom > "$WORK/body.bin"

# ---- nginx: own prefix, not a daemon, WebDAV PUT under /dav/, static files under /static/
NPORT="$(free_port)"
mkdir -p "$WORK/nginx/www/dav" "$WORK/nginx/www/static" "$WORK/nginx/tmp"
cp "$WORK/body.bin" "$WORK/nginx/www/static/body.bin"
USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root;" # workers must write the (0700) temp dirs
cat > "$WORK/nginx/nginx.conf" <<CONF
$USER_LINE
daemon off;
master_process on;
worker_processes $(nproc);
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 75s;
  keepalive_requests 1000000000;  # as DocsGen (Jetty): never close a busy keep-alive connection
  default_type application/octet-stream;
  client_max_body_size 16m;
  client_body_temp_path $WORK/nginx/tmp/body;  # same filesystem as the PUT root: rename, no copy
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NPORT;
    location /dav/ { root $WORK/nginx/www; dav_methods PUT; create_full_put_path on; }
    location /static/ { root $WORK/nginx/www; }
  }
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx-error.log" > "$WORK/nginx.log" 2>&1 &
NGINX_PID=$!
N="http://127.0.0.1:$NPORT"

# ---- DocsGen: the embedded default (filesystem + SQLite), all its data under $WORK, a fixed
# writer token; no config file (working directory $WORK), every DOCSGEN_* of the caller dropped
DPORT="$(free_port)"
unset_docsgen=()
for name in $(compgen -e); do
  case "$name" in DOCSGEN_*) unset_docsgen+=(-u "$name") ;; esac
done
mkdir -p "$WORK/docsgen"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of words
(
  cd "$WORK/docsgen"
  exec env "${unset_docsgen[@]}" \
    DOCSGEN_SERVER_HOST=127.0.0.1 \
    DOCSGEN_SERVER_PORT="$DPORT" \
    DOCSGEN_AUTH_TOKENS="[{token: \"$TOKEN\", principal: wrk-bench, roles: [writer]}]" \
    DOCSGEN_ARTIFACTS_BACKEND=fs \
    DOCSGEN_ARTIFACTS_FS_ROOT="$WORK/docsgen/data/artifacts" \
    DOCSGEN_MANIFEST_URL="jdbc:sqlite:$WORK/docsgen/data/manifest.db" \
    DOCSGEN_SIGNING_KEY_FILE="$WORK/docsgen/data/bundle-signing.key" \
    java ${JAVA_OPTS:-} -jar "$JAR"
) > "$WORK/docsgen-server.log" 2>&1 &
JAVA_PID=$!
D="http://127.0.0.1:$DPORT"

for _ in $(seq 1 240); do
  curl -fs -o /dev/null "$N/static/body.bin" && curl -fs -o /dev/null "$D/health" && break
  kill -0 "$NGINX_PID" 2>/dev/null || { echo "nginx did not start:" >&2; cat "$WORK/nginx-error.log" "$WORK/nginx.log" >&2; exit 1; }
  kill -0 "$JAVA_PID" 2>/dev/null || { echo "DocsGen did not start:" >&2; cat "$WORK/docsgen-server.log" >&2; exit 1; }
  sleep 0.25
done
curl -fs -o /dev/null "$D/health" || { echo "DocsGen not healthy after 60 s:" >&2; cat "$WORK/docsgen-server.log" >&2; exit 1; }
NGINX_WORKERS="$(pgrep -P "$NGINX_PID" | tr '\n' ' ')"

# ---- a run, a RUNNING execution of phase1 in it, and the artifact the GET case reads
AUTH="Authorization: Bearer $TOKEN"
RUN="$(curl -fsS -X POST -H "$AUTH" -H 'Content-Type: application/json' -d '{}' "$D/api/runs" |
  sed -n 's/.*"runId" *: *"\([^"]*\)".*/\1/p')"
[ -n "$RUN" ] || { echo "could not create a run" >&2; exit 1; }
curl -fsS -o /dev/null -X POST -H "$AUTH" "$D/api/runs/$RUN/stages/phase1/executions"
status="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H "$AUTH" -H 'X-Artifact-Type: OTHER' \
  -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/body.bin" \
  "$D/api/artifacts/$RUN/phase1/get/body.bin")"
[ "$status" = 201 ] || { echo "PUT of the GET artifact answered $status, not 201" >&2; exit 1; }
# both servers must hand back the very bytes
curl -fsS -o "$WORK/n.bin" "$N/static/body.bin"
curl -fsS -H "$AUTH" -o "$WORK/d.bin" "$D/api/artifacts/$RUN/phase1/get/body.bin"
cmp -s "$WORK/body.bin" "$WORK/n.bin" && cmp -s "$WORK/body.bin" "$WORK/d.bin" ||
  { echo "a GET did not return the stored bytes" >&2; exit 1; }

# ---- the cases
# run_wrk NAME-OF-OUTPUT DURATION SCRIPT URL [VAR=VALUE ...]: wrk in the background (so the
# EXIT trap can stop it), its output in $WORK/NAME.out
run_wrk() {
  local out="$1" dur="$2" script="$3" url="$4"
  shift 4
  env "$@" BENCH_BYTES="$BYTES" \
    wrk -t"$THREADS" -c"$CONNS" -d"$dur" --latency -s "$script" "$url" > "$WORK/$out.out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || { echo "wrk failed ($out):" >&2; cat "$WORK/$out.out" >&2; exit 1; }
  WRK_PID=""
  grep -q '^RESULT ' "$WORK/$out.out" || { echo "wrk printed no RESULT ($out):" >&2; cat "$WORK/$out.out" >&2; exit 1; }
}
declare -A RESULT CPU SYNC TRIES
# measure NAME SCRIPT URL VAR=VALUE...: warm-up, sync, measured run (again while others were too
# busy, see BUSY_RETRIES), timed sync. A PUT prefix gets "w/" for the warm-up and "m<try>/" for a
# measured run, so no measured request meets a path written before.
measure() {
  local name="$1" script="$2" url="$3"
  shift 3
  local pids warmup="$WARMUP" try=1 warm=() meas=()
  case "$name" in nginx-*) pids="$NGINX_PID $NGINX_WORKERS" warmup="$NGINX_WARMUP" ;; *) pids="$JAVA_PID" ;; esac
  for kv in "$@"; do
    case "$kv" in BENCH_PREFIX=*) warm+=("${kv}w/") ;; *) warm+=("$kv") ;; esac
  done
  echo "  $name: warm-up $warmup, then $DURATION" >&2
  run_wrk "$name-warmup" "$warmup" "$script" "$url" "${warm[@]}"
  sync
  while :; do
    # a PUT's measured run writes under m<try>/, where neither the warm-up nor an earlier try wrote
    meas=()
    for kv in "$@"; do
      case "$kv" in BENCH_PREFIX=*) meas+=("${kv}m$try/") ;; *) meas+=("$kv") ;; esac
    done
    wait_quiet
    local c0 m0 w0 c1 m1 w1 s0 s1 reqs
    # shellcheck disable=SC2086 # $pids is a list
    c0="$(cpu_ticks $pids)"
    m0="$(machine_ticks)"
    children_cpu
    w0="$CHILD_CPU"
    run_wrk "$name" "$DURATION" "$script" "$url" "${meas[@]}"
    # shellcheck disable=SC2086
    c1="$(cpu_ticks $pids)"
    m1="$(machine_ticks)"
    children_cpu
    w1="$CHILD_CPU"
    s0="$(date +%s.%N)"
    sync
    s1="$(date +%s.%N)"
    SYNC[$name]="$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.1f", b - a }')"
    RESULT[$name]="$(sed -n 's/^RESULT //p' "$WORK/$name.out")"
    reqs="$(field "$name" requests)"
    # per request: server CPU; over the run, in % of all CPUs: server, wrk, everything else
    # (other processes on the machine, the kernel's softirq work not charged to a process)
    CPU[$name]="$(awk -v c=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$reqs" -v a="$m0" -v b="$m1" \
      -v w="$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')" 'BEGIN {
        split(a, x, " "); split(b, y, " "); total = (y[2] - x[2]) / hz; busy = (y[1] - x[1]) / hz
        srv = c / hz
        printf "%.0f %.0f %.0f %.0f", n ? srv * 1e6 / n : 0, 100 * srv / total, 100 * w / total,
          100 * (busy - srv - w) / total }')"
    TRIES[$name]="$try"
    local others
    others="$(cut -d' ' -f4 <<<"${CPU[$name]}")"
    [ "$others" -gt "$OTHERS_MAX" ] && [ "$try" -le "$BUSY_RETRIES" ] || break
    echo "  $name: other work took $others% of the CPUs during the run; measuring again" >&2
    try=$((try + 1))
  done
}
field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"${RESULT[$1]}"; }

lscpu_model="$(lscpu | sed -n 's/^Model name: *//p')"
echo "DocsGen $JAR vs $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | awk '{print "wrk " $2}')"
echo "machine: $(nproc) CPUs ($lscpu_model), $(java -version 2>&1 | head -1); client and servers share these CPUs"
echo "data: $WORK on $(df -hT "$WORK" | awk 'NR==2 {print $2 " " $1}')"
wait_quiet
echo "before the cases: load average $(cut -d' ' -f1-3 /proc/loadavg), CPUs busy $(busy_now)% (over 2 s, servers idle)"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency (after an uncounted warm-up: DocsGen $WARMUP, nginx $NGINX_WARMUP), body $BYTES bytes"
echo "run $RUN; DocsGen java ${JAVA_OPTS:-(no options)}; nginx worker_processes $(nproc), sendfile on, access_log off"
for c in $CASES; do
  case "$c" in
    nginx-put) measure "$c" "$HERE/wrk/put-unique.lua" "$N" BENCH_PREFIX=/dav/ ;;
    docsgen-put) measure "$c" "$HERE/wrk/put-unique.lua" "$D" BENCH_PREFIX="/api/artifacts/$RUN/phase1/put/" BENCH_TOKEN="$TOKEN" ;;
    nginx-get) measure "$c" "$HERE/wrk/get.lua" "$N" BENCH_PATH=/static/body.bin ;;
    docsgen-get) measure "$c" "$HERE/wrk/get.lua" "$D" BENCH_PATH="/api/artifacts/$RUN/phase1/get/body.bin" BENCH_TOKEN="$TOKEN" ;;
    *) echo "unknown case $c (nginx-put docsgen-put nginx-get docsgen-get)" >&2; exit 2 ;;
  esac
done

echo
FMT='%-12s %9s %8s %8s %8s %7s %5s %5s %5s %6s %7s %5s %5s %5s %6s\n'
# shellcheck disable=SC2059
printf "$FMT" case req/s p50_ms p99_ms max_ms 201 2xx* err** sock B/resp srv_us srv% wrk% oth% sync_s
for c in $CASES; do
  read -r us srv wrkp oth <<<"${CPU[$c]}"
  # shellcheck disable=SC2059
  printf "$FMT" "$c" \
    "$(field "$c" rps)" "$(field "$c" p50_ms)" "$(field "$c" p99_ms)" "$(field "$c" max_ms)" \
    "$(field "$c" s201)" "$(field "$c" other2xx)" "$(field "$c" non2xx)" \
    "$(field "$c" socket_errors)" "$(field "$c" bytes_per_resp)" "$us" "$srv" "$wrkp" "$oth" \
    "${SYNC[$c]}"
done
echo " 2xx*: other 2xx answers to a PUT (200 would mean the path was not fresh)"
echo " err**: PUT: answers other than 2xx; GET: answers >= 400 (wrk's own count); sock: socket errors"
echo " srv_us: the server's CPU time per request (µs); srv% wrk% oth%: share of all $(nproc) CPUs"
echo "   used by the server, by wrk, and by everything else (other processes, unattributed kernel work)"
echo " sync_s: seconds \`sync\` took right after the measured run (data the case left unwritten)"
ratio() { # label docsgen-case nginx-case target
  [ -n "${RESULT[$2]:-}" ] && [ -n "${RESULT[$3]:-}" ] || return 0
  awk -v d="$(field "$2" rps)" -v n="$(field "$3" rps)" -v t="$4" -v l="$1" 'BEGIN {
    r = d / n; printf "ratio %s docsgen/nginx = %.3f (target >= %.1f: %s)\n", l, r, t, (r >= t ? "met" : "NOT met") }'
}
echo
ratio PUT docsgen-put nginx-put 0.8
ratio GET docsgen-get nginx-get 0.7
for c in $CASES; do
  [ "${TRIES[$c]}" = 1 ] || echo "$c: measured ${TRIES[$c]} times (other work on the machine); the table shows the last"
  o="$(cut -d' ' -f4 <<<"${CPU[$c]}")"
  [ "$o" -le "$OTHERS_MAX" ] || echo "WARNING $c: other work took $o% of the CPUs during the measured run; its figures are skewed"
done
if [ -n "${RESULT[nginx-put]:-}" ]; then
  echo "nginx files written by the last measured PUT run: $(find "$WORK/nginx/www/dav/m${TRIES[nginx-put]}" -type f | wc -l)" \
    "(wrk counted $(field nginx-put s201) answers)"
fi
echo "DocsGen log lines at ERROR: $(grep -c ' ERROR ' "$WORK/docsgen-server.log" || true);" \
  "nginx error log lines: $(wc -l < "$WORK/nginx-error.log")"
