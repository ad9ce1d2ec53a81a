package io.tlsagent.export;

import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.BoundedQueue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Where every finished handshake record goes. On the thread that finished the handshake: the exact counts
 * ({@link HandshakeCounts}, which every registry reads) and the exporters that must run there; then a bounded,
 * lock-free queue. The agent's own export thread hands each queued record to every other {@link Exporter}. A full
 * queue drops the record for those exporters only: the counts stay exact, and what was dropped is counted. One
 * failing exporter never stops the others, and nothing here ever throws into the handshake.
 *
 * <p>The pipeline takes records as soon as it exists, before its exporters do (the agent starts them after the
 * first use of TLS was let through): until {@link #start} those records are counted and wait in the queue.
 */
public final class ExportPipeline implements Consumer<HandshakeRecord> {

    static final int CAPACITY = 10_000;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HandshakeCounts counts;
    private volatile List<Exporter> onHandshakeThread = List.of();
    private volatile List<Exporter> exporters = List.of();
    private final AgentErrors errors;
    private final BoundedQueue<HandshakeRecord> queue = new BoundedQueue<>(CAPACITY);
    private final AtomicBoolean idle = new AtomicBoolean();
    private final Thread worker;
    private volatile boolean closing;

    public ExportPipeline(HandshakeCounts counts, AgentErrors errors) {
        this.counts = counts;
        this.errors = errors;
        this.worker = new Thread(this::run, "tls-agent-export");
        this.worker.setDaemon(true);
    }

    /** Connects the exporters and starts the export thread (once); the records queued meanwhile go to them first. */
    public void start(List<Exporter> exporters) {
        this.exporters = List.copyOf(exporters);
        worker.start();
    }

    /**
     * Adds exporters that need the handshake's own thread (a JFR event names it), kept to a few field stores; the
     * records made before this call never reach them.
     */
    public void exportOnHandshakeThread(List<Exporter> onHandshakeThread) {
        this.onHandshakeThread = List.copyOf(onHandshakeThread);
    }

    @Override
    public void accept(HandshakeRecord record) {
        try {
            counts.count(record);
        } catch (Throwable t) {
            errors.record("handshake counts", t);
        }
        for (Exporter exporter : onHandshakeThread) {
            export(exporter, record);
        }
        if (closing) {
            queue.dropped(1);
            return;
        }
        if (queue.offer(record) && idle.get() && idle.compareAndSet(true, false)) {
            LockSupport.unpark(worker);
        }
    }

    /** Records the exporters on the export thread never got: the queue was full (the counts still have them). */
    public long dropped() {
        return queue.dropped();
    }

    private void run() {
        List<Exporter> exporters = this.exporters;
        long lastTick = System.nanoTime();
        while (true) {
            if (System.nanoTime() - lastTick >= TICK_NANOS) {
                lastTick = System.nanoTime();
                for (Exporter exporter : exporters) {
                    tick(exporter);
                }
            }
            HandshakeRecord r = queue.poll();
            if (r != null) {
                for (Exporter exporter : exporters) {
                    export(exporter, r);
                }
                continue;
            }
            if (closing) {
                return;
            }
            idle.set(true);
            if (queue.isEmpty()) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
            idle.set(false);
        }
    }

    private void export(Exporter exporter, HandshakeRecord record) {
        try {
            exporter.export(record);
        } catch (Throwable t) {
            errors.record("exporter " + exporter.getClass().getSimpleName(), t);
        }
    }

    private void tick(Exporter exporter) {
        try {
            exporter.tick();
        } catch (Throwable t) {
            errors.record("exporter " + exporter.getClass().getSimpleName(), t);
        }
    }

    /**
     * Exports what is queued, waiting at most {@code timeoutMillis}; for JVM shutdown and detach. Before
     * {@link #start} there is nobody to export to: the queued records stay counted only.
     */
    public void close(long timeoutMillis) {
        closing = true;
        LockSupport.unpark(worker);
        try {
            worker.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
