#!/usr/bin/env bash
# Holds the DocsGen server side by side with nginx and s3proxy under wrk, in one run, on one
# machine over 127.0.0.1, with the same bodies and the same wrk settings for every server:
#   nginx-put    nginx WebDAV PUT (dav_methods PUT) of a 16 KiB body, a new path per request
#   s3proxy-put  s3proxy 3.0.0 (S3 API, jclouds filesystem, no auth) PUT /bench/put/..., a new
#                key per request (S3 answers a create with 200)
#   docsgen-put  DocsGen PUT /api/artifacts/<run>/phase3/put/..., a new path per request (a
#                create: 201) into the RUNNING execution of phase3 of a fresh run, on the embedded
#                default (filesystem + SQLite); DocsGen answers only once the write is durable
#                (fsync), nginx and s3proxy do not fsync
#   nginx-get    nginx static file, 16 KiB, sendfile on
#   s3proxy-get  s3proxy GET of one stored 16 KiB object
#   docsgen-get  DocsGen GET of one stored 16 KiB artifact (bearer token)
# Every case runs at each concurrency of CONNS_LIST (-c32 and -c256 by default), in that order.
# A case first gets an uncounted warm-up run (the JVMs, DocsGen and s3proxy, need their JIT; at
# a later concurrency a short one), then `sync` so no case starts with another's dirty pages,
# then the measured run, then a timed `sync` (what the server left to the kernel to write;
# DocsGen has already synced its files).
# Prints the machine facts, one table per concurrency (req/s, latency p50/p99, status counts,
# errors, server CPU per request; for nginx master + workers), the ratios docsgen/nginx (aim:
# PUT >= 0.8, GET >= 0.7) and docsgen/s3proxy for PUT and GET. A benchmark, never a test.
# A default run takes about 10 minutes.
#
#   usage: app-http/bench/wrk-vs-nginx.sh [SERVER_JAR]     (default app-http/target/docsgen-server.jar)
#   env:   WRK_THREADS (2) WRK_CONNECTIONS (32) WRK_DURATION (20s)
#          CONNS_LIST ("$WRK_CONNECTIONS 256": the concurrencies (wrk -c) to measure every case at)
#          WRK_WARMUP (JVM cases, DocsGen and s3proxy, 60s: after 5 s the JVM is still compiling
#          and spends over twice the CPU per PUT) WRK_WARMUP_NGINX (5s: nginx has nothing to
#          warm, and a long PUT warm-up only piles up gigabytes of dirty pages)
#          WRK_WARMUP_NEXT (5s: the warm-up of a case already warmed at an earlier concurrency)
#          BODY_BYTES (16384)
#          CASES ("nginx-put s3proxy-put docsgen-put nginx-get s3proxy-get docsgen-get"; a
#                 subset runs only those; s3proxy is started only for an s3proxy case)
#          S3PROXY_JAR (default ~/.m2/repository/org/gaul/s3proxy/3.0.0/s3proxy-3.0.0-jar-with-
#                       dependencies.jar; fetch it with mvn dependency:get
#                       -Dartifact=org.gaul:s3proxy:3.0.0:jar:jar-with-dependencies)
#          S3PROXY_PROVIDER (filesystem: jclouds' filesystem blobstore, which s3proxy 3.0.0 calls
#                            deprecated at start-up; filesystem-nio2 is its successor)
#          DATA_DIR (parent of the temporary directory holding all servers' data; default
#                    $TMPDIR or /tmp: put it on the disk you mean to measure)
#          JAVA_OPTS (DocsGen JVM options, e.g. a JFR recording) S3PROXY_JAVA_OPTS (s3proxy's)
#          BENCH_TOKEN (the writer token given to DocsGen; a fixed default)
#          STORES (fs-sqlite: the embedded default, filesystem + SQLite; s3-postgres: DocsGen's
#                  artifacts in a bucket of the same s3proxy, its manifest in a throwaway
#                  PostgreSQL cluster (initdb/pg_ctl from the PATH or /usr/lib/postgresql/*/bin;
#                  Debian: apt-get install postgresql) with its default durability; DocsGen's
#                  srv_us then counts DocsGen + s3proxy + PostgreSQL, the whole deployment)
#          KEEP_DIR (if set, the server logs, nginx.conf, s3proxy.properties, wrk outputs, the
#                    machine facts (machine.txt) and the figures as TSV (summary.tsv: one row per
#                    case and concurrency; ratios.tsv) are copied there)
#          On a shared machine: WAIT_QUIET (0; else wait up to that many seconds before each
#          measured run until the CPUs are at most QUIET_BUSY (10) % busy) and BUSY_RETRIES (0;
#          else measure a case again, up to that many times, while other processes took more than
#          OTHERS_MAX (10) % of the CPUs during its run; the tables' oth% column shows it)
# Needs: the server jar (mvn -B -ntp -DskipTests package), java, wrk, nginx (Debian: apt-get
# install wrk nginx-light), curl, ss, and for the s3proxy cases and STORES=s3-postgres the
# s3proxy jar (above).
# Results and caveats: docs/benchmarks.md § HTTP (app-http).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="$(realpath -m "${1:-$ROOT/app-http/target/docsgen-server.jar}")"
S3PROXY_JAR="$(realpath -m "${S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/3.0.0/s3proxy-3.0.0-jar-with-dependencies.jar}")"
THREADS="${WRK_THREADS:-2}"
CONNS="${WRK_CONNECTIONS:-32}"
DURATION="${WRK_DURATION:-20s}"
WARMUP="${WRK_WARMUP:-60s}"
NGINX_WARMUP="${WRK_WARMUP_NGINX:-5s}"
WARMUP_NEXT="${WRK_WARMUP_NEXT:-5s}"
BYTES="${BODY_BYTES:-16384}"
ALL_CASES="nginx-put s3proxy-put docsgen-put nginx-get s3proxy-get docsgen-get"
CASES="${CASES:-$ALL_CASES}"
TOKEN="${BENCH_TOKEN:-wrk-bench-writer-token-0001}"
WAIT_QUIET="${WAIT_QUIET:-0}"
QUIET_BUSY="${QUIET_BUSY:-10}"
BUSY_RETRIES="${BUSY_RETRIES:-0}"
OTHERS_MAX="${OTHERS_MAX:-10}"
CLK_TCK="$(getconf CLK_TCK)"
S3PROXY_PROVIDER="${S3PROXY_PROVIDER:-filesystem}"
BUCKET=bench
STORES="${STORES:-fs-sqlite}"
DOCSGEN_BUCKET=docsgen
# the concurrencies, each once, in the given order
CONNS_LIST="$(tr -s ' ' '\n' <<<"${CONNS_LIST:-$CONNS 256}" | awk 'NF && !seen[$0]++' | tr '\n' ' ')"

for c in $CONNS_LIST; do
  [[ "$c" =~ ^[0-9]+$ ]] && [ "$c" -ge "$THREADS" ] ||
    { echo "CONNS_LIST: '$c' is not a number of connections >= WRK_THREADS ($THREADS)" >&2; exit 2; }
done
[ -n "$CONNS_LIST" ] || { echo "CONNS_LIST is empty" >&2; exit 2; }
NEED_S3PROXY=""
for c in $CASES; do
  case " $ALL_CASES " in *" $c "*) ;; *) echo "unknown case $c ($ALL_CASES)" >&2; exit 2 ;; esac
  case "$c" in s3proxy-*) NEED_S3PROXY=1 ;; esac
done
PG_BIN=""
case "$STORES" in
  fs-sqlite) ;;
  s3-postgres)
    NEED_S3PROXY=1
    if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
      PG_BIN="$(dirname "$(command -v pg_ctl)")"
    else
      PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    fi
    [ -n "$PG_BIN" ] && [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/initdb" ] || {
      echo "STORES=s3-postgres needs PostgreSQL's initdb and pg_ctl (Debian: apt-get install postgresql)" >&2
      exit 1
    }
    ;;
  *) echo "STORES: '$STORES' is neither fs-sqlite nor s3-postgres" >&2; exit 2 ;;
esac
for tool in java wrk nginx curl ss getconf; do
  command -v "$tool" >/dev/null || {
    echo "missing: $tool (Debian: apt-get install wrk nginx-light curl iproute2)" >&2
    exit 1
  }
done
[ -f "$JAR" ] || { echo "no server jar at $JAR; build it: mvn -B -ntp -DskipTests package" >&2; exit 1; }
if [ -n "$NEED_S3PROXY" ] && [ ! -f "$S3PROXY_JAR" ]; then
  cat >&2 <<MSG
no s3proxy jar at $S3PROXY_JAR (the s3proxy cases and STORES=s3-postgres need it). Fetch it into ~/.m2 with
  mvn dependency:get -Dartifact=org.gaul:s3proxy:3.0.0:jar:jar-with-dependencies
or point S3PROXY_JAR at a standalone s3proxy jar; or leave the s3proxy cases out of CASES.
MSG
  exit 1
fi

WORK="$(mktemp -d "${DATA_DIR:-${TMPDIR:-/tmp}}/docsgen-wrk-XXXXXX")"
NGINX_PID=""
JAVA_PID=""
S3_PID=""
WRK_PID=""
PG_PID=""
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
  stop "$S3_PID"
  [ -z "$PG_PID" ] || as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop > /dev/null 2>&1
  stop "$NGINX_PID"
  wait 2>/dev/null
  if [ -n "${KEEP_DIR:-}" ]; then
    mkdir -p "$KEEP_DIR"
    cp "$WORK"/*.log "$WORK"/*.out "$WORK"/*.tsv "$WORK/machine.txt" "$WORK/nginx/nginx.conf" \
      "$WORK/s3proxy.properties" "$KEEP_DIR"/ 2>/dev/null
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
# PostgreSQL's tools refuse to run as root: then they run as the postgres user
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
trap 'exit 130' INT
trap 'exit 143' TERM

USED_PORTS=" "
free_port() { # a port below the ephemeral range that nothing uses (nor an earlier call gave)
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12000))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
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

# ---- the 16 KiB file all servers serve
head -c "$BYTES" /dev/urandom > "$WORK/body.bin"

# ---- nginx: own prefix, not a daemon, WebDAV PUT under /dav/, static files under /static/
NPORT="$(free_port)"
USED_PORTS+="$NPORT "
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

# ---- PostgreSQL (STORES=s3-postgres): a throwaway cluster under $WORK, default durability
# (fsync on, synchronous_commit on), bound to 127.0.0.1
if [ "$STORES" = s3-postgres ]; then
  PGPORT_="$(free_port)"
  USED_PORTS+="$PGPORT_ "
  mkdir -p "$WORK/pg/data" "$WORK/pg/sock"
  [ "$(id -u)" != 0 ] || chown -R postgres "$WORK/pg"
  [ "$(id -u)" != 0 ] || chmod o+x "$WORK"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 > "$WORK/postgres-initdb.log" 2>&1 ||
    { echo "initdb failed:" >&2; cat "$WORK/postgres-initdb.log" >&2; exit 1; }
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -w -l "$WORK/pg/postgres.log" \
    -o "-p $PGPORT_ -k $WORK/pg/sock -c listen_addresses=127.0.0.1 -c max_connections=100" start \
    > "$WORK/postgres-start.log" 2>&1 ||
    { echo "PostgreSQL did not start:" >&2; cat "$WORK/postgres-start.log" "$WORK/pg/postgres.log" >&2; exit 1; }
  PG_PID="$(head -1 "$WORK/pg/data/postmaster.pid")"
fi
# the cluster's processes now (the postmaster and its children: backends, writer, WAL writer...)
pg_pids() { [ -z "$PG_PID" ] || echo "$PG_PID $(pgrep -P "$PG_PID" | tr '\n' ' ')"; }

# ---- s3proxy: the standalone jar, a filesystem provider (S3PROXY_PROVIDER) with its data under $WORK,
# no authentication (wrk sends no S3 signatures), one bucket
S=""
if [ -n "$NEED_S3PROXY" ]; then
  SPORT="$(free_port)"
  USED_PORTS+="$SPORT "
  mkdir -p "$WORK/s3proxy" "$WORK/s3proxy-run"
  cat > "$WORK/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$SPORT
s3proxy.authorization=none
jclouds.provider=$S3PROXY_PROVIDER
jclouds.filesystem.basedir=$WORK/s3proxy
PROPS
  # shellcheck disable=SC2086 # S3PROXY_JAVA_OPTS is a list of words
  (
    cd "$WORK/s3proxy-run"
    exec java ${S3PROXY_JAVA_OPTS:-} -jar "$S3PROXY_JAR" --properties "$WORK/s3proxy.properties"
  ) > "$WORK/s3proxy.log" 2>&1 &
  S3_PID=$!
  S="http://127.0.0.1:$SPORT"
fi
s3proxy_up() { [ -z "$S" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' "$S/")" = 200 ]; }
if [ "$STORES" = s3-postgres ]; then
  # DocsGen's bucket must exist before DocsGen starts (its health check heads it)
  for _ in $(seq 1 240); do s3proxy_up && break; sleep 0.25
    kill -0 "$S3_PID" 2>/dev/null || { echo "s3proxy did not start:" >&2; cat "$WORK/s3proxy.log" >&2; exit 1; }
  done
  status="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT "$S/$DOCSGEN_BUCKET")"
  [ "$status" = 200 ] || { echo "s3proxy: creating bucket $DOCSGEN_BUCKET answered $status, not 200" >&2; cat "$WORK/s3proxy.log" >&2; exit 1; }
fi

# ---- DocsGen: by STORES the embedded default (filesystem + SQLite) or S3 + PostgreSQL, data under $WORK, a fixed
# writer token; no config file (working directory $WORK), every DOCSGEN_* of the caller dropped
DPORT="$(free_port)"
USED_PORTS+="$DPORT "
unset_docsgen=()
for name in $(compgen -e); do
  case "$name" in DOCSGEN_*) unset_docsgen+=(-u "$name") ;; esac
done
mkdir -p "$WORK/docsgen"
if [ "$STORES" = s3-postgres ]; then
  stores_env=(DOCSGEN_ARTIFACTS_BACKEND=s3 DOCSGEN_ARTIFACTS_S3_BUCKET="$DOCSGEN_BUCKET"
    DOCSGEN_ARTIFACTS_S3_ENDPOINT="$S" DOCSGEN_ARTIFACTS_S3_PATHSTYLE=true
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
    AWS_EC2_METADATA_DISABLED=true
    DOCSGEN_MANIFEST_URL="jdbc:postgresql://127.0.0.1:$PGPORT_/postgres" DOCSGEN_MANIFEST_USER=postgres)
else
  stores_env=(DOCSGEN_ARTIFACTS_BACKEND=fs DOCSGEN_ARTIFACTS_FS_ROOT="$WORK/docsgen/data/artifacts"
    DOCSGEN_MANIFEST_URL="jdbc:sqlite:$WORK/docsgen/data/manifest.db")
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of words
(
  cd "$WORK/docsgen"
  exec env "${unset_docsgen[@]}" \
    DOCSGEN_SERVER_HOST=127.0.0.1 \
    DOCSGEN_SERVER_PORT="$DPORT" \
    DOCSGEN_AUTH_TOKENS="[{token: \"$TOKEN\", principal: wrk-bench, roles: [writer]}]" \
    "${stores_env[@]}" \
    DOCSGEN_SIGNING_KEY_FILE="$WORK/docsgen/data/bundle-signing.key" \
    java ${JAVA_OPTS:-} -jar "$JAR"
) > "$WORK/docsgen-server.log" 2>&1 &
JAVA_PID=$!
D="http://127.0.0.1:$DPORT"


for _ in $(seq 1 240); do
  curl -fs -o /dev/null "$N/static/body.bin" && curl -fs -o /dev/null "$D/health" && s3proxy_up && break
  kill -0 "$NGINX_PID" 2>/dev/null || { echo "nginx did not start:" >&2; cat "$WORK/nginx-error.log" "$WORK/nginx.log" >&2; exit 1; }
  kill -0 "$JAVA_PID" 2>/dev/null || { echo "DocsGen did not start:" >&2; cat "$WORK/docsgen-server.log" >&2; exit 1; }
  [ -z "$S3_PID" ] || kill -0 "$S3_PID" 2>/dev/null || { echo "s3proxy did not start:" >&2; cat "$WORK/s3proxy.log" >&2; exit 1; }
  sleep 0.25
done
curl -fs -o /dev/null "$D/health" || { echo "DocsGen not healthy after 60 s:" >&2; cat "$WORK/docsgen-server.log" >&2; exit 1; }
s3proxy_up || { echo "s3proxy does not answer GET / with 200 after 60 s:" >&2; cat "$WORK/s3proxy.log" >&2; exit 1; }
NGINX_WORKERS="$(pgrep -P "$NGINX_PID" | tr '\n' ' ')"

# ---- a run, a RUNNING execution of phase3 in it (the PUTs go there), and the artifact the GET
# case reads
AUTH="Authorization: Bearer $TOKEN"
RUN="$(curl -fsS -X POST -H "$AUTH" -H 'Content-Type: application/json' -d '{}' "$D/api/runs" |
  sed -n 's/.*"runId" *: *"\([^"]*\)".*/\1/p')"
[ -n "$RUN" ] || { echo "could not create a run" >&2; exit 1; }
curl -fsS -o /dev/null -X POST -H "$AUTH" "$D/api/runs/$RUN/stages/phase3/executions"
status="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H "$AUTH" -H 'X-Artifact-Type: OTHER' \
  -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/body.bin" \
  "$D/api/artifacts/$RUN/phase3/get/body.bin")"
[ "$status" = 201 ] || { echo "DocsGen PUT of the GET artifact answered $status, not 201" >&2; exit 1; }
if [ -n "$S" ]; then
  status="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT "$S/$BUCKET")"
  [ "$status" = 200 ] || { echo "s3proxy: creating bucket $BUCKET answered $status, not 200" >&2; cat "$WORK/s3proxy.log" >&2; exit 1; }
  status="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' \
    --data-binary "@$WORK/body.bin" "$S/$BUCKET/get/body.bin")"
  [ "$status" = 200 ] || { echo "s3proxy PUT of the GET object answered $status, not 200" >&2; exit 1; }
fi
# every server must hand back the very bytes
curl -fsS -o "$WORK/n.bin" "$N/static/body.bin"
curl -fsS -H "$AUTH" -o "$WORK/d.bin" "$D/api/artifacts/$RUN/phase3/get/body.bin"
cmp -s "$WORK/body.bin" "$WORK/n.bin" && cmp -s "$WORK/body.bin" "$WORK/d.bin" ||
  { echo "a GET did not return the stored bytes (nginx or DocsGen)" >&2; exit 1; }
if [ -n "$S" ]; then
  curl -fsS -o "$WORK/s.bin" "$S/$BUCKET/get/body.bin"
  cmp -s "$WORK/body.bin" "$WORK/s.bin" || { echo "s3proxy's GET did not return the stored bytes" >&2; exit 1; }
  S3_LOG_LINES="$(wc -l < "$WORK/s3proxy.log")" # what it logged while starting (incl. a deprecation)
fi

# ---- the cases
# run_wrk NAME-OF-OUTPUT CONNECTIONS DURATION SCRIPT URL [VAR=VALUE ...]: wrk in the background
# (so the EXIT trap can stop it), its output in $WORK/NAME.out
run_wrk() {
  local out="$1" conns="$2" dur="$3" script="$4" url="$5"
  shift 5
  env "$@" BENCH_BYTES="$BYTES" \
    wrk -t"$THREADS" -c"$conns" -d"$dur" --latency -s "$script" "$url" > "$WORK/$out.out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || { echo "wrk failed ($out):" >&2; cat "$WORK/$out.out" >&2; exit 1; }
  WRK_PID=""
  grep -q '^RESULT ' "$WORK/$out.out" || { echo "wrk printed no RESULT ($out):" >&2; cat "$WORK/$out.out" >&2; exit 1; }
}
# results by key c<connections>/<case>
declare -A RESULT CPU SYNC TRIES WARMED
# measure CONNECTIONS NAME SCRIPT URL VAR=VALUE...: warm-up, sync, measured run (again while
# others were too busy, see BUSY_RETRIES), timed sync. A PUT prefix gets "c<conns>-w/" for the
# warm-up and "c<conns>-m<try>/" for a measured run, so no measured request meets a path written
# before.
measure() {
  local conns="$1" name="$2" script="$3" url="$4"
  shift 4
  local key="c$conns/$name" out="c$conns-$name" pids idle warmup try=1 warm=() meas=()
  # pids: the server measured; idle: the other servers (idle, but they may still work, e.g. GC)
  case "$name" in
    nginx-*) pids="$NGINX_PID $NGINX_WORKERS" idle="$JAVA_PID $S3_PID $(pg_pids)" warmup="$NGINX_WARMUP" ;;
    s3proxy-*) pids="$S3_PID" idle="$NGINX_PID $NGINX_WORKERS $JAVA_PID $(pg_pids)" warmup="$WARMUP" ;;
    *)
      if [ "$STORES" = s3-postgres ]; then # the whole deployment: DocsGen and its stores
        pids="$JAVA_PID $S3_PID $(pg_pids)" idle="$NGINX_PID $NGINX_WORKERS"
      else
        pids="$JAVA_PID" idle="$NGINX_PID $NGINX_WORKERS $S3_PID"
      fi
      warmup="$WARMUP" ;;
  esac
  [ -z "${WARMED[$name]:-}" ] || warmup="$WARMUP_NEXT"
  WARMED[$name]=1
  for kv in "$@"; do
    case "$kv" in BENCH_PREFIX=*) warm+=("${kv}c$conns-w/") ;; *) warm+=("$kv") ;; esac
  done
  echo "  -c$conns $name: warm-up $warmup, then $DURATION" >&2
  run_wrk "$out-warmup" "$conns" "$warmup" "$script" "$url" "${warm[@]}"
  sync
  while :; do
    # a PUT's measured run writes under c<conns>-m<try>/, where no warm-up nor earlier try wrote
    meas=()
    for kv in "$@"; do
      case "$kv" in BENCH_PREFIX=*) meas+=("${kv}c$conns-m$try/") ;; *) meas+=("$kv") ;; esac
    done
    wait_quiet
    local c0 i0 m0 w0 c1 i1 m1 w1 s0 s1 reqs
    # shellcheck disable=SC2086 # $pids and $idle are lists
    c0="$(cpu_ticks $pids)"
    # shellcheck disable=SC2086
    i0="$(cpu_ticks $idle)"
    m0="$(machine_ticks)"
    children_cpu
    w0="$CHILD_CPU"
    run_wrk "$out" "$conns" "$DURATION" "$script" "$url" "${meas[@]}"
    # shellcheck disable=SC2086
    c1="$(cpu_ticks $pids)"
    # shellcheck disable=SC2086
    i1="$(cpu_ticks $idle)"
    m1="$(machine_ticks)"
    children_cpu
    w1="$CHILD_CPU"
    s0="$(date +%s.%N)"
    sync
    s1="$(date +%s.%N)"
    SYNC[$key]="$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.1f", b - a }')"
    RESULT[$key]="$(sed -n 's/^RESULT //p' "$WORK/$out.out")"
    reqs="$(field "$key" requests)"
    # per request: server CPU; over the run, in % of all CPUs: server, wrk, everything else
    # (other processes on the machine, the idle servers, the kernel's softirq work not charged
    # to a process), and of that the idle servers alone
    CPU[$key]="$(awk -v c=$((c1 - c0)) -v i=$((i1 - i0)) -v hz="$CLK_TCK" -v n="$reqs" -v a="$m0" -v b="$m1" \
      -v w="$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')" 'BEGIN {
        split(a, x, " "); split(b, y, " "); total = (y[2] - x[2]) / hz; busy = (y[1] - x[1]) / hz
        srv = c / hz
        printf "%.0f %.0f %.0f %.0f %.0f", n ? srv * 1e6 / n : 0, 100 * srv / total, 100 * w / total,
          100 * (busy - srv - w) / total, 100 * i / hz / total }')"
    TRIES[$key]="$try"
    local others
    others="$(cut -d' ' -f4 <<<"${CPU[$key]}")"
    [ "$others" -gt "$OTHERS_MAX" ] && [ "$try" -le "$BUSY_RETRIES" ] || break
    echo "  -c$conns $name: other work took $others% of the CPUs during the run; measuring again" >&2
    try=$((try + 1))
  done
}
field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"${RESULT[$1]}"; }

# ---- machine facts
jar_version() { # the Implementation-Version in a jar's manifest, if unzip is there
  command -v unzip >/dev/null && unzip -p "$1" META-INF/MANIFEST.MF 2>/dev/null |
    sed -n 's/^Implementation-Version: *//p' | tr -d '\r' || true
}
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'); $(nproc) CPUs online" \
    "($(lscpu | sed -n 's/^Socket(s): *//p') socket(s) x $(lscpu | sed -n 's/^Core(s) per socket: *//p') core(s)" \
    "x $(lscpu | sed -n 's/^Thread(s) per core: *//p') thread(s)); client and servers share them"
  echo "memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel: $(uname -srm); os: $( (. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}") || echo '?')"
  echo "java: $(java -version 2>&1 | paste -sd ';' | sed 's/;/; /g')"
  echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //'); wrk: $(wrk -v 2>&1 | head -1 | awk '{print $1, $2, $3}')"
  echo "DocsGen: $JAR ($(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo 'no git'))"
  [ -z "$S" ] || echo "s3proxy: $S3PROXY_JAR ($(jar_version "$S3PROXY_JAR")), jclouds.provider=$S3PROXY_PROVIDER"
  echo "data: $WORK on $(df -hT "$WORK" | awk 'NR==2 {print $2 " " $1}')"
  if [ "$STORES" = s3-postgres ]; then
    echo "DocsGen stores: s3-postgres (artifacts in s3proxy bucket $DOCSGEN_BUCKET, manifest in $("$PG_BIN/postgres" --version))"
  else
    echo "DocsGen stores: fs-sqlite (the embedded default)"
  fi
} > "$WORK/machine.txt"
cat "$WORK/machine.txt"
wait_quiet
echo "before the cases: load average $(cut -d' ' -f1-3 /proc/loadavg), CPUs busy $(busy_now)% (over 2 s, servers idle)"
echo "wrk -t$THREADS -c{$(tr ' ' ',' <<<"${CONNS_LIST% }")} -d$DURATION --latency (after an uncounted warm-up:" \
  "DocsGen and s3proxy $WARMUP, nginx $NGINX_WARMUP; at a later concurrency $WARMUP_NEXT), body $BYTES bytes"
echo "run $RUN (PUTs into phase3); DocsGen java ${JAVA_OPTS:-(no options)}; s3proxy java ${S3PROXY_JAVA_OPTS:-(no options)};" \
  "nginx worker_processes $(nproc), sendfile on, access_log off"
for conns in $CONNS_LIST; do
  for c in $CASES; do
    case "$c" in
      nginx-put) measure "$conns" "$c" "$HERE/wrk/put-unique.lua" "$N" BENCH_PREFIX=/dav/ ;;
      s3proxy-put) measure "$conns" "$c" "$HERE/wrk/put-unique.lua" "$S" BENCH_PREFIX="/$BUCKET/put/" BENCH_CREATED=200 ;;
      docsgen-put) measure "$conns" "$c" "$HERE/wrk/put-unique.lua" "$D" BENCH_PREFIX="/api/artifacts/$RUN/phase3/put/" BENCH_TOKEN="$TOKEN" ;;
      nginx-get) measure "$conns" "$c" "$HERE/wrk/get.lua" "$N" BENCH_PATH=/static/body.bin ;;
      s3proxy-get) measure "$conns" "$c" "$HERE/wrk/get.lua" "$S" BENCH_PATH="/$BUCKET/get/body.bin" ;;
      docsgen-get) measure "$conns" "$c" "$HERE/wrk/get.lua" "$D" BENCH_PATH="/api/artifacts/$RUN/phase3/get/body.bin" BENCH_TOKEN="$TOKEN" ;;
    esac
  done
done

FMT='%-12s %9s %8s %8s %8s %7s %5s %5s %5s %6s %7s %5s %5s %5s %5s %6s\n'
for conns in $CONNS_LIST; do
  echo
  echo "wrk -t$THREADS -c$conns -d$DURATION"
  # shellcheck disable=SC2059
  printf "$FMT" case req/s p50_ms p99_ms max_ms new 2xx* err** sock B/resp srv_us srv% wrk% oth% idl% sync_s
  for c in $CASES; do
    k="c$conns/$c"
    read -r us srv wrkp oth idl <<<"${CPU[$k]}"
    # shellcheck disable=SC2059
    printf "$FMT" "$c" \
      "$(field "$k" rps)" "$(field "$k" p50_ms)" "$(field "$k" p99_ms)" "$(field "$k" max_ms)" \
      "$(field "$k" s201)" "$(field "$k" other2xx)" "$(field "$k" non2xx)" \
      "$(field "$k" socket_errors)" "$(field "$k" bytes_per_resp)" "$us" "$srv" "$wrkp" "$oth" "$idl" \
      "${SYNC[$k]}"
  done
done
echo " new: PUT answers with the create status (201; s3proxy, as S3: 200)"
echo " 2xx*: other 2xx answers to a PUT (for DocsGen and nginx a 200 would mean the path was not fresh)"
echo " err**: PUT: answers other than 2xx; GET: answers >= 400 (wrk's own count)"
echo " sock: socket errors (connect, read, write, and timeouts: no answer within wrk's 2 s)"
echo " srv_us: the server's CPU time per request (µs; nginx: master + workers); srv% wrk% oth%:"
echo "   share of all $(nproc) CPUs used by the server, by wrk, and by everything else (other"
echo "   processes, the idle servers, unattributed kernel work); idl%: the idle servers' part of oth%"
[ "$STORES" != s3-postgres ] ||
  echo "   (STORES=s3-postgres: DocsGen's srv_us and srv% count DocsGen + s3proxy + PostgreSQL)"
echo " sync_s: seconds \`sync\` took right after the measured run (data the case left unwritten)"

# ---- ratios of req/s: docsgen/nginx (with the issue's targets) and docsgen/s3proxy
ratio_value() { # docsgen-key other-key: the ratio, or "-" when either was not measured
  if [ -n "${RESULT[$1]:-}" ] && [ -n "${RESULT[$2]:-}" ]; then
    awk -v d="$(field "$1" rps)" -v n="$(field "$2" rps)" 'BEGIN { if (n > 0) printf "%.3f", d / n; else printf "-" }'
  else
    echo -
  fi
}
echo
printf '%-22s' "ratio of req/s"
for conns in $CONNS_LIST; do printf ' %8s' "-c$conns"; done
printf '  %s\n' target
: > "$WORK/ratios.tsv"
printf 'connections\top\tratio\tvalue\ttarget\n' >> "$WORK/ratios.tsv"
for row in "PUT nginx 0.8" "PUT s3proxy -" "GET nginx 0.7" "GET s3proxy -"; do
  read -r op other target <<<"$row"
  lower="${op,,}"
  printf '%-22s' "$op docsgen/$other"
  for conns in $CONNS_LIST; do
    v="$(ratio_value "c$conns/docsgen-$lower" "c$conns/$other-$lower")"
    printf ' %8s' "$v"
    printf '%s\t%s\t%s\t%s\t%s\n' "$conns" "$op" "docsgen/$other" "$v" "$target" >> "$WORK/ratios.tsv"
  done
  if [ "$target" = - ]; then printf '  -\n'; else printf '  >= %s\n' "$target"; fi
done
for conns in $CONNS_LIST; do
  for row in "PUT 0.8" "GET 0.7"; do
    read -r op target <<<"$row"
    lower="${op,,}"
    v="$(ratio_value "c$conns/docsgen-$lower" "c$conns/nginx-$lower")"
    [ "$v" = - ] || awk -v r="$v" -v t="$target" -v l="$op" -v c="$conns" 'BEGIN {
      printf "ratio %s docsgen/nginx at -c%s = %.3f (target >= %.1f: %s)\n", l, c, r, t, (r >= t ? "met" : "NOT met") }'
  done
done

# ---- the figures as TSV (copied to KEEP_DIR with the logs)
{
  printf 'connections\tthreads\tduration\tcase\tserver\top\trequests\tseconds\trps\tp50_ms\tp99_ms\tmax_ms'
  printf '\tcreated\tother2xx\tnon2xx\tsocket_errors\tbytes_per_resp\tsrv_us_per_req\tsrv_cpu_pct'
  printf '\twrk_cpu_pct\tothers_cpu_pct\tidle_servers_cpu_pct\tsync_s\ttries\n'
  for conns in $CONNS_LIST; do
    for c in $CASES; do
      k="c$conns/$c"
      read -r us srv wrkp oth idl <<<"${CPU[$k]}"
      printf '%s\t' "$conns" "$THREADS" "$DURATION" "$c" "${c%-*}" "${c##*-}"
      for f in requests seconds rps p50_ms p99_ms max_ms s201 other2xx non2xx socket_errors bytes_per_resp; do
        printf '%s\t' "$(field "$k" "$f")"
      done
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$us" "$srv" "$wrkp" "$oth" "$idl" "${SYNC[$k]}" "${TRIES[$k]}"
    done
  done
} > "$WORK/summary.tsv"

echo
for conns in $CONNS_LIST; do
  for c in $CASES; do
    k="c$conns/$c"
    [ "${TRIES[$k]}" = 1 ] || echo "-c$conns $c: measured ${TRIES[$k]} times (other work on the machine); the table shows the last"
    o="$(cut -d' ' -f4 <<<"${CPU[$k]}")"
    [ "$o" -le "$OTHERS_MAX" ] || echo "WARNING -c$conns $c: other work took $o% of the CPUs during the measured run; its figures are skewed"
  done
  if [ -n "${RESULT[c$conns/nginx-put]:-}" ]; then
    echo "-c$conns: nginx files written by the last measured PUT run:" \
      "$(find "$WORK/nginx/www/dav/c$conns-m${TRIES[c$conns/nginx-put]}" -type f | wc -l)" \
      "(wrk counted $(field "c$conns/nginx-put" s201) answers)"
  fi
  if [ -n "${RESULT[c$conns/s3proxy-put]:-}" ]; then
    echo "-c$conns: s3proxy objects written by the last measured PUT run:" \
      "$(find "$WORK/s3proxy/$BUCKET/put/c$conns-m${TRIES[c$conns/s3proxy-put]}" -type f | wc -l)" \
      "(wrk counted $(field "c$conns/s3proxy-put" s201) answers)"
  fi
done
logs="DocsGen log lines at ERROR: $(grep -c ' ERROR ' "$WORK/docsgen-server.log" || true);"
logs+=" nginx error log lines: $(wc -l < "$WORK/nginx-error.log")"
[ -z "$S" ] || logs+="; s3proxy log lines written during the cases: $(($(wc -l < "$WORK/s3proxy.log") - S3_LOG_LINES))"
echo "$logs"
[ -z "${KEEP_DIR:-}" ] || echo "logs, wrk outputs, machine.txt, summary.tsv and ratios.tsv go to $KEEP_DIR"
