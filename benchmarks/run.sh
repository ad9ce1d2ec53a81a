#!/usr/bin/env bash
# Reproduces docs/performance.md: builds the agent and the benchmarks, then runs the whole suite (or the parts
# named), each figure with and without the agent in the same run. Arguments go to the suite; see --help below.
#
#   benchmarks/run.sh                         # everything, as published (about an hour on 2 cores)
#   benchmarks/run.sh handshakes data         # some parts only
#   benchmarks/run.sh --rounds 4 handshakes   # fewer interleaved fork pairs: quicker, wider intervals
#   benchmarks/run.sh --variant nojfr=jfr=false handshakes   # one more agent variant (its own agent arguments)
#   JAVA=/path/to/bin/java benchmarks/run.sh  # forked JVMs on another JDK (the suite itself runs on that one too)
#   SKIP_BUILD=1 benchmarks/run.sh ...        # reuse agent/target/tls-agent.jar and benchmarks/target/benchmarks.jar
#
# Results: benchmarks/target/results/results.md (the tables) and forks.tsv (every fork), plus each fork's JMH
# output and flight recording under forks/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  set -- --help
fi
if [ -z "${SKIP_BUILD:-}" ] && [ "${1:-}" != "--help" ]; then
  # -am: the benchmarks compile against this checkout's agent and test support, never stale ones in ~/.m2.
  mvn -B -q -pl benchmarks -am -DskipTests package
fi
java="${JAVA:-java}"
exec "$java" -jar benchmarks/target/benchmarks.jar --agent-jar agent/target/tls-agent.jar \
  --out benchmarks/target/results --jvm "$(command -v "$java")" "$@"
