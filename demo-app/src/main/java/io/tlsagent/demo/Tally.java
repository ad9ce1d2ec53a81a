package io.tlsagent.demo;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the client handshakes by outcome, kind and API; read by the summary thread while the loop counts. */
final class Tally {

    private final AtomicLong total = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final Map<HandshakeCase.Kind, AtomicLong> asExpected = new EnumMap<>(HandshakeCase.Kind.class);
    private final Map<String, AtomicLong> byApi = new LinkedHashMap<>();

    Tally(Iterable<String> apis) {
        for (HandshakeCase.Kind kind : HandshakeCase.Kind.values()) {
            asExpected.put(kind, new AtomicLong());
        }
        for (String api : apis) {
            byApi.put(api, new AtomicLong());
        }
    }

    /** A handshake that went as its kind says: succeeded, or failed the way it should. */
    void asExpected(HandshakeCase c) {
        count(c);
        asExpected.get(c.kind).incrementAndGet();
    }

    void unexpected(HandshakeCase c) {
        count(c);
        unexpected.incrementAndGet();
    }

    long total() {
        return total.get();
    }

    long unexpected() {
        return unexpected.get();
    }

    /** E.g. "28 client handshakes (SSLSocket 14, SSLEngine 14): full 8, resumed 8, ... failed as expected 12, unexpected 0". */
    String summary() {
        StringBuilder s = new StringBuilder().append(total.get()).append(" client handshakes (");
        String separator = "";
        for (Map.Entry<String, AtomicLong> api : byApi.entrySet()) {
            s.append(separator).append(api.getKey()).append(' ').append(api.getValue().get());
            separator = ", ";
        }
        s.append("): ");
        for (HandshakeCase.Kind kind : HandshakeCase.Kind.values()) {
            s.append(kind.label).append(' ').append(asExpected.get(kind).get())
                    .append(kind.failsOnPurpose ? " (failed as expected), " : " ok, ");
        }
        return s.append("unexpected ").append(unexpected.get()).toString();
    }

    private void count(HandshakeCase c) {
        total.incrementAndGet();
        byApi.get(c.workload.api()).incrementAndGet();
    }
}
