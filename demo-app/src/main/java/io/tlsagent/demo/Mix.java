package io.tlsagent.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Which scenario comes next, deterministically: the n-th handshake is a failing one when
 * floor((n+1) * failureShare) > floor(n * failureShare) (so the share holds over any run), the failing scenarios
 * taking turns; the others are interleaved by weight (smooth weighted round-robin: a scenario of weight 3 comes 3
 * times as often as one of weight 1, spread out, not in a burst).
 */
final class Mix {

    private final List<Scenario> succeeding = new ArrayList<>();
    private final List<Scenario> failing = new ArrayList<>();
    private final long[] current;
    private final long totalWeight;
    private final double failureShare;
    private long n;
    private int nextFailing;

    Mix(List<Scenario> scenarios, double failureShare) {
        long total = 0;
        for (Scenario s : scenarios) {
            if (s.failure != null) {
                failing.add(s);
            } else {
                succeeding.add(s);
                total += s.weight;
            }
        }
        if (succeeding.isEmpty()) {
            throw new IllegalArgumentException("no succeeding scenario");
        }
        this.totalWeight = total;
        this.current = new long[succeeding.size()];
        this.failureShare = failing.isEmpty() ? 0 : failureShare;
    }

    Scenario next() {
        long i = n++;
        if (Math.floor((i + 1) * failureShare) > Math.floor(i * failureShare)) {
            return failing.get(nextFailing++ % failing.size());
        }
        int best = 0;
        for (int k = 0; k < current.length; k++) {
            current[k] += succeeding.get(k).weight;
            if (current[k] > current[best]) {
                best = k;
            }
        }
        current[best] -= totalWeight;
        return succeeding.get(best);
    }
}
