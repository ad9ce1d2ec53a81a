package io.tlsagent.export.meters;

import io.tlsagent.record.HandshakeRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The exact count of {@link TlsMeters#HANDSHAKES}: one {@link LongAdder} per label set, incremented on the thread
 * that finished the handshake, so the count is right under any load. Registries never hold a count of their own:
 * they read these adders through callbacks (Micrometer's function counters, OpenTelemetry's asynchronous
 * counters), so a new registry adds no work to the handshake. Label values come from bounded sets
 * ({@link LabelValues}); past {@link #MAX_SERIES} label sets, new ones are counted under {@code other}.
 */
public final class HandshakeCounts {

    static final int MAX_SERIES = 4096;

    private final LabelValues labels = new LabelValues();
    private final Map<List<String>, LongAdder> series = new ConcurrentHashMap<>();
    private final List<BiConsumer<List<String>, LongAdder>> listeners = new CopyOnWriteArrayList<>();

    public void count(HandshakeRecord r) {
        List<String> key = List.of(r.role().label(), labels.protocol(r.protocol()),
                labels.cipherSuite(r.cipherSuite()), LabelValues.resumed(r), LabelValues.result(r),
                labels.provider(r.provider()));
        LongAdder count = series.get(key);
        (count != null ? count : newSeries(key)).increment();
    }

    private synchronized LongAdder newSeries(List<String> key) {
        LongAdder count = series.get(key);
        if (count != null) {
            return count;
        }
        if (series.size() >= MAX_SERIES) {
            key = List.of(key.get(0), LabelValues.OTHER, LabelValues.OTHER, LabelValues.OTHER, LabelValues.OTHER,
                    LabelValues.OTHER);
            count = series.get(key);
            if (count != null) {
                return count;
            }
        }
        count = new LongAdder();
        series.put(key, count);
        for (BiConsumer<List<String>, LongAdder> listener : listeners) {
            listener.accept(key, count);
        }
        return count;
    }

    /**
     * Calls {@code onSeries} with the label values (in {@link TlsMeters#HANDSHAKES}' order) and the adder of every
     * label set there is, and from now on of each new one, when it first occurs (on the handshake's thread: once
     * per label set, so registering a function counter there is fine).
     */
    public synchronized void bind(BiConsumer<List<String>, LongAdder> onSeries) {
        series.forEach(onSeries);
        listeners.add(onSeries);
    }

    /** Stops telling {@code onSeries} of new label sets (a registry that goes away). */
    public void unbind(BiConsumer<List<String>, LongAdder> onSeries) {
        listeners.remove(onSeries);
    }

    /** The sum over all label sets. */
    public long total() {
        long total = 0;
        for (LongAdder count : series.values()) {
            total += count.sum();
        }
        return total;
    }
}
