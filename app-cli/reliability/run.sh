#!/usr/bin/env bash
# The reliability suite, one kind at a time:
#   app-cli/reliability/run.sh KIND [quick|full] [MAVEN OPTIONS…]
# (e.g. -Ddocsgen.reliability.until=2026-12-07T05:00:00Z to stop a full run at a time, see
# docs/reliability.md)
# KIND: crash | powercut | race | outage | hostile | tamper | soak | all
# quick is what `mvn verify` (and so .ci/run) runs; full is the variant whose counts go into
# docs/reliability.md. Each kind writes its counts to app-cli/target/reliability/KIND.md.
# Builds the jars first (the suite runs docsgen-server.jar and docsgen.jar as processes); unit
# tests are skipped here, the suite's *IT classes of that tag run.
set -euo pipefail
cd "$(dirname "$0")/../.."
kind="${1:?usage: app-cli/reliability/run.sh KIND [quick|full]  (KIND: crash powercut race outage hostile tamper soak all)}"
mode="${2:-quick}"
case "$mode" in quick|full) ;; *) echo "mode must be quick or full, not $mode" >&2; exit 2 ;; esac
case "$kind" in
  crash|powercut|race|outage|hostile|tamper|soak) groups="reliability-$kind" ;;
  all) groups="reliability" ;;
  *) echo "unknown kind $kind" >&2; exit 2 ;;
esac
exec mvn -B -ntp verify -pl app-cli -am \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dgroups="$groups" -Ddocsgen.reliability="$mode" "${@:3}"
