package io.tlsagent.demo;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the client handshakes by outcome and API; read by the summary thread while the loop counts. */
final class Tally {

    private final AtomicLong total = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong resumptionsOffered = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final Map<Failure, AtomicLong> failedAsExpected = new EnumMap<>(Failure.class);
    private final Map<ClientApi, AtomicLong> byApi = new EnumMap<>(ClientApi.class);

    Tally() {
        for (Failure f : Failure.values()) {
            failedAsExpected.put(f, new AtomicLong());
        }
        for (ClientApi api : ClientApi.values()) {
            byApi.put(api, new AtomicLong());
        }
    }

    /** A handshake that went as its scenario says: succeeded, or failed the way it should. */
    void asExpected(Scenario s) {
        count(s);
        if (s.failure == null) {
            succeeded.incrementAndGet();
            if (s.lastResumed()) {
                resumptionsOffered.incrementAndGet();
            }
        } else {
            failedAsExpected.get(s.failure).incrementAndGet();
        }
    }

    void unexpected(Scenario s) {
        count(s);
        unexpected.incrementAndGet();
    }

    long total() {
        return total.get();
    }

    long unexpected() {
        return unexpected.get();
    }

    /**
     * E.g. "120 client handshakes (SSLSocket 60, HttpsURLConnection 30, HttpClient 30): 108 succeeded (50 offered
     * a session to resume), 12 failed as expected (expired certificate 2, ...), 0 unexpected".
     */
    String summary() {
        StringBuilder s = new StringBuilder().append(total.get()).append(" client handshakes (");
        String separator = "";
        for (Map.Entry<ClientApi, AtomicLong> api : byApi.entrySet()) {
            s.append(separator).append(api.getKey().label()).append(' ').append(api.getValue().get());
            separator = ", ";
        }
        long failed = 0;
        Map<String, Long> failures = new LinkedHashMap<>();
        for (Map.Entry<Failure, AtomicLong> f : failedAsExpected.entrySet()) {
            failed += f.getValue().get();
            failures.put(f.getKey().label, f.getValue().get());
        }
        s.append("): ").append(succeeded.get()).append(" succeeded (").append(resumptionsOffered.get())
                .append(" offered a session to resume), ").append(failed).append(" failed as expected (");
        separator = "";
        for (Map.Entry<String, Long> f : failures.entrySet()) {
            s.append(separator).append(f.getKey()).append(' ').append(f.getValue());
            separator = ", ";
        }
        return s.append("), ").append(unexpected.get()).append(" unexpected").toString();
    }

    private void count(Scenario s) {
        total.incrementAndGet();
        byApi.get(s.api).incrementAndGet();
    }
}
