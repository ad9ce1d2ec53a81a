package io.tlsagent.export.log;

import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Which lines of a summary log carry the full anatomy: the first handshake of each kind per period (each side's
 * first of each distinct ClientHello, peer chain and own chain), again after the log was rotated or lost lines,
 * and every failure. So every log file of {@code log_full_every} (an hour by default) holds each kind's whole
 * anatomy once, and the summary lines name it ({@code client_hello.id}, {@code peer_chain_id},
 * {@code local_chain_id}). Used by the log's writer thread only.
 */
final class FullLines {

    /** Kinds remembered per period; past it the period starts over (more full lines, never more memory). */
    static final int MAX_KINDS = 4096;

    private final long periodMillis;
    private final LongSupplier clock;
    /** The kinds written in full this period: per side (client, server), ClientHellos, peer chains, own chains. */
    private final List<Set<String>> seen = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>(),
            new HashSet<>(), new HashSet<>(), new HashSet<>());
    private int kinds;
    private long periodStart;

    FullLines(long periodMillis, LongSupplier clock) {
        this.periodMillis = periodMillis;
        this.clock = clock;
        this.periodStart = clock.getAsLong();
    }

    /** Whether this record's line is written in full; remembers its kinds. */
    boolean full(HandshakeRecord r) {
        if (!r.success()) {
            return true;
        }
        HandshakeAnatomy a = r.anatomy();
        if (a == null) {
            return false; // no anatomy (other providers): the summary says all there is
        }
        long now = clock.getAsLong();
        if (now - periodStart >= periodMillis || kinds >= MAX_KINDS) {
            startOver(now);
        }
        int side = 3 * r.role().ordinal();
        boolean first = firstOf(a.clientHello() != null, side, a.clientHelloId());
        first |= firstOf(!a.peerChain().isEmpty(), side + 1, a.peerChainId());
        first |= firstOf(!a.localChain().isEmpty(), side + 2, a.localChainId());
        return first;
    }

    /** A part that is there but has no name (it did not parse, say) is always written in full. */
    private boolean firstOf(boolean present, int kind, String id) {
        if (!present) {
            return false;
        }
        if (id == null) {
            return true;
        }
        if (seen.get(kind).add(id)) {
            kinds++;
            return true;
        }
        return false;
    }

    /** The log was rotated, or lines were lost: the next of each kind is written in full again. */
    void startOver() {
        startOver(clock.getAsLong());
    }

    private void startOver(long now) {
        for (Set<String> s : seen) {
            s.clear();
        }
        kinds = 0;
        periodStart = now;
    }
}
