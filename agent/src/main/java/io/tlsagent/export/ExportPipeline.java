package io.tlsagent.export;

import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import io.tlsagent.util.BoundedQueue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where every finished handshake record goes. On the thread that finished the handshake: the exact counts
 * ({@link HandshakeCounts}, which every registry reads), then a lock-free queue bounded in records and in bytes. The
 * agent's own export thread completes each queued record once (its anatomy, made from the raw capture) and hands it
 * to every {@link Exporter}. A full queue drops the record for the exporters only: the counts stay exact, and what
 * was dropped is counted. One failing exporter never stops the others; if the export thread itself dies, it is
 * restarted once (said and counted), and nothing here ever throws into the handshake.
 *
 * <p>The pipeline takes records as soon as it exists, before its exporters do (the agent starts them after the
 * first use of TLS was let through): until {@link #start} those records are counted and wait in the queue.
 */
public final class ExportPipeline implements Consumer<HandshakeRecord> {

    static final int CAPACITY = 10_000;
    /** The queue's bound in bytes: records waiting hold their hellos and certificate messages. */
    static final long MAX_BYTES = 16L * 1024 * 1024;
    /** What a record without a raw capture is taken to weigh (its strings and timeline). */
    static final int RECORD_WEIGHT = 1024;
    /**
     * How long the idle export thread sleeps before it looks at the queue again. A handshake thread never wakes
     * it (waking a parked thread is a system call, a good part of the agent's cost on the handshake thread): records
     * wait at most this long, and the log writes within a second anyway.
     */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HandshakeCounts counts;
    private final UnaryOperator<HandshakeRecord> complete;
    private volatile List<Exporter> exporters = List.of();
    private final AgentErrors errors;
    private final BoundedQueue<HandshakeRecord> queue;
    private volatile Thread worker; // null until start
    private volatile boolean closing;
    /** Set when the export thread died a second time: records then go straight to the dropped count. */
    private volatile boolean stopped;
    private volatile boolean saidFull;
    private int deaths; // export thread only (and the thread it starts)
    /** The record being exported and the next exporter to get it, so that a restarted thread goes on from there. */
    private HandshakeRecord current;
    private int next;
    private long lastTick;

    /**
     * {@code complete}: makes each record whole on the export thread (the anatomy from the raw capture), before
     * any exporter sees it.
     */
    public ExportPipeline(HandshakeCounts counts, UnaryOperator<HandshakeRecord> complete, AgentErrors errors) {
        this(counts, complete, errors, CAPACITY, MAX_BYTES);
    }

    ExportPipeline(HandshakeCounts counts, UnaryOperator<HandshakeRecord> complete, AgentErrors errors,
            int capacity, long maxBytes) {
        this.counts = counts;
        this.complete = complete;
        this.errors = errors;
        this.queue = new BoundedQueue<>(capacity, maxBytes, ExportPipeline::weight);
    }

    /** Connects the exporters and starts the export thread (once); the records queued meanwhile go to them first. */
    public synchronized void start(List<Exporter> exporters) {
        if (worker != null) {
            return;
        }
        this.exporters = List.copyOf(exporters);
        lastTick = System.nanoTime();
        startWorker();
    }

    /** About the bytes a queued record holds. */
    static int weight(HandshakeRecord r) {
        return r.capture() != null ? r.capture().weight() : RECORD_WEIGHT;
    }

    @Override
    public void accept(HandshakeRecord record) {
        try {
            counts.count(record);
        } catch (Throwable t) {
            errors.record("handshake counts", t);
        }
        if (closing || stopped) {
            queue.dropped(1);
            return;
        }
        if (!queue.offer(record) && !saidFull) {
            saidFull = true; // said once (two threads at once: once() says it once)
            AgentLog.once("the export queue is full (" + CAPACITY + " records or " + MAX_BYTES / (1024 * 1024)
                    + " MiB): records the histograms, log and watch do not get are counted in"
                    + " tls_agent_records_dropped_total; tls_handshakes_total still counts every handshake");
        }
    }

    /** Records the exporters never got: the queue was full, or the export thread stopped (the counts have them). */
    public long dropped() {
        return queue.dropped();
    }

    private void startWorker() {
        Thread t = new Thread(this::run, "tls-agent-export");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    private void run() {
        try {
            if (current != null) {
                exportRest(); // where the thread before this one died
            }
            List<Exporter> exporters = this.exporters;
            while (true) {
                if (System.nanoTime() - lastTick >= TICK_NANOS) {
                    lastTick = System.nanoTime();
                    for (Exporter exporter : exporters) {
                        tick(exporter);
                    }
                }
                HandshakeRecord r = queue.poll();
                if (r != null) {
                    current = completed(r);
                    next = 0;
                    exportRest();
                    continue;
                }
                if (closing) {
                    return;
                }
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        } catch (Throwable t) { // a VirtualMachineError: this thread's state cannot be trusted any more
            died(t);
        }
    }

    private HandshakeRecord completed(HandshakeRecord r) {
        try {
            return complete.apply(r);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            errors.record("handshake anatomy", t);
            return r.toBuilder().capture(null).build(); // the rest of the record is still worth exporting
        }
    }

    /** Hands {@link #current} to the exporters from {@link #next} on. */
    private void exportRest() {
        List<Exporter> exporters = this.exporters;
        while (next < exporters.size()) {
            Exporter exporter = exporters.get(next++); // an exporter that kills the thread is not asked again
            try {
                exporter.export(current);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                errors.record("exporter " + exporter.getClass().getSimpleName(), t);
            }
        }
        current = null;
    }

    private void tick(Exporter exporter) {
        try {
            exporter.tick();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            errors.record("exporter " + exporter.getClass().getSimpleName(), t);
        }
    }

    private void died(Throwable t) {
        errors.record("export thread", t);
        if (++deaths == 1 && !closing) {
            AgentLog.info("the export thread failed (" + t + "); restarted. Handshakes are counted as before;"
                    + " this is counted in tls_agent_errors_total");
            startWorker();
            return;
        }
        stopped = true;
        current = null; // it reached the exporters before the one that failed; the rest never get it
        while (queue.poll() != null) {
            queue.dropped(1);
        }
        AgentLog.info("the export thread failed again (" + t + "); it stays stopped: tls_handshakes_total still"
                + " counts every handshake, the histograms, log and watch get none (tls_agent_records_dropped_total)");
    }

    /**
     * Exports what is queued, waiting at most {@code timeoutMillis}; for JVM shutdown and detach. Before
     * {@link #start} there is nobody to export to: the queued records stay counted only.
     */
    public void close(long timeoutMillis) {
        closing = true;
        Thread t = worker;
        if (t == null) {
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
