#!/usr/bin/env bash
# The application's handshakes with and without a scrape flood on the agent's /metrics, in interleaved pairs:
# a JVM with the agent runs the integration tests' workload (2 threads of back-to-back handshakes, 8 s), and in
# one run of each pair wrk floods /metrics (2 threads, 32 connections) meanwhile. Per run: the handshakes' median
# and p90 from the JSON log, the handshakes made, the CPU the endpoint's threads used (/proc), wrk's answers.
# Last, the ratios flood/quiet (geometric mean over the pairs, with min and max).
#
#   mvn -B -pl agent verify -DskipITs    # once: the agent jar and the test classes
#   scripts/scrape-flood.sh [pairs]      # default 8 pairs; needs wrk and curl
set -euo pipefail
cd "$(dirname "$0")/../agent"
pairs=${1:-8}
seconds=8
mvn -B -q -pl . dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/flood-cp.txt >/dev/null
cp="target/test-classes:$(tr ':' '\n' < target/flood-cp.txt | grep bouncycastle | paste -sd:)"
tick=$(getconf CLK_TCK)

run() { # run <flood 0|1>
  local d port pid holder reqs=0 http=0
  d=$(mktemp -d); port=$((20000 + RANDOM % 20000))
  mkfifo "$d/in"; sleep 1000 > "$d/in" & holder=$!
  java -javaagent:target/tls-agent.jar=port=$port,host=127.0.0.1,log=file:$d/h.jsonl -cp "$cp" \
    io.tlsagent.it.Workload --soak $seconds 2 --hold < "$d/in" > "$d/out" 2> "$d/err" &
  pid=$!
  for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" && break; sleep 0.1; done
  if [ "$1" = 1 ]; then
    reqs=$(wrk -t2 -c32 -d${seconds}s --timeout 5s "http://127.0.0.1:$port/metrics" | sed -n 's/ *\([0-9]*\) requests in.*/\1/p')
  fi
  for _ in $(seq 600); do grep -q '^SOAK' "$d/out" && break; sleep 0.2; done
  for t in /proc/$pid/task/*; do
    case "$(cat "$t/comm")" in HTTP-Dispatcher*|tls-agent-http*)
      s=($(sed 's/.*) //' "$t/stat")); http=$((http + ${s[11]} + ${s[12]}));; esac
  done
  kill $holder; wait $pid 2>/dev/null || true
  sed -n 's/.*"action":"tls-handshake","outcome":"[a-z]*","duration":\([0-9]*\).*/\1/p' "$d/h.jsonl" | sort -n | awk -v f="$1" -v http=$((http * 1000 / tick)) -v reqs="$reqs" \
    '{a[NR]=$1} END {printf "flood=%s handshakes=%d median_us=%d p90_us=%d endpoint_cpu_ms=%d scrapes=%d\n", f, NR, a[int(NR/2)+1]/1000, a[int(NR*0.9)+1]/1000, http, reqs}'
  rm -rf "$d"
}

for i in $(seq "$pairs"); do
  if [ $((i % 2)) = 0 ]; then order="1 0"; else order="0 1"; fi
  for f in $order; do echo "pair=$i $(run $f)"; done
done | tee /dev/stderr | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    p = v["pair"]; f = v["flood"]; m[p, f] = v["median_us"]; q[p, f] = v["p90_us"]; n[p, f] = v["handshakes"]; pairs[p] = 1 }
  END { split("median p90 handshakes", names, " ")
    for (k = 1; k <= 3; k++) { s = 0; c = 0; lo = 1e9; hi = 0
      for (p in pairs) { r = (k == 1 ? m[p,1] / m[p,0] : k == 2 ? q[p,1] / q[p,0] : n[p,1] / n[p,0]); s += log(r); c++
        if (r < lo) lo = r; if (r > hi) hi = r }
      printf "%s flood/quiet: %.3f (pairs %d, min %.3f, max %.3f)\n", names[k], exp(s / c), c, lo, hi } }'
