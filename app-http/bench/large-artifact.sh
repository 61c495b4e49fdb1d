#!/usr/bin/env bash
# Streams one large artifact (default 1 GiB) up and down through the server running with a
# 128 MiB heap on the embedded default (filesystem + SQLite), checks the bytes round-trip
# identically, and reports throughput and the server's peak resident memory.
#   usage: app-http/bench/large-artifact.sh [SIZE_BYTES] [HEAP]
# Needs the server jar: mvn -B -ntp -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE="${1:-1073741824}"
HEAP="${2:-128m}"
JAR=app-http/target/docsgen-server.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp -DskipTests package" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/docsgen-large-XXXXXX")"
PORT="${PORT:-7391}"
TOKEN="bench-token-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
cat > "$WORK/docsgen.yaml" <<YAML
server: { host: 127.0.0.1, port: $PORT, maxArtifactBytes: $((SIZE + 1)) }
auth:
  tokens: [ { token: "$TOKEN", principal: bench, roles: [admin] } ]
YAML
( cd "$WORK" && exec java -Xmx"$HEAP" -jar "$OLDPWD/$JAR" > server.log 2>&1 ) &
SERVER=$!
stop() {
  kill "$SERVER" 2>/dev/null || true
  while kill -0 "$SERVER" 2>/dev/null; do sleep 0.2; done
  rm -rf "$WORK"
}
trap stop EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.5; done
JPID="$(pgrep -P $SERVER java || echo $SERVER)"
echo "server: java -Xmx$HEAP, pid $JPID, $(java -version 2>&1 | head -1)"
java app-http/src/test/java/org/docsgen/store/app/http/bench/LargeArtifactRun.java \
  "http://127.0.0.1:$PORT" "$TOKEN" "$SIZE"
echo "server peak RSS: $(grep VmHWM /proc/$JPID/status | awk '{print $2, $3}')"
echo "server errors in log: $(grep -c -E 'ERROR|OutOfMemory' "$WORK/server.log" || true)"
