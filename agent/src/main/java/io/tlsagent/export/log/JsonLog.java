package io.tlsagent.export.log;

import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import io.tlsagent.util.BoundedQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Writes one JSON line per handshake from a daemon thread. The export thread only enqueues (lock-free); when the
 * queue is full the record is dropped and counted, never waited for. With {@code log_detail=summary} most lines
 * are summaries and the first of each kind carries the full anatomy ({@link FullLines}).
 */
public final class JsonLog implements Exporter, AutoCloseable {

    static final int CAPACITY = 10_000;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BoundedQueue<HandshakeRecord> queue = new BoundedQueue<>(CAPACITY);
    private final String serviceName;
    private final LogSink sink;
    private final AgentErrors errors;
    private final Thread writer;
    /** Null when every line is full ({@code log_detail=full}). */
    private final FullLines fullLines;
    private volatile boolean closing;

    /** A log of full lines. */
    public JsonLog(LogSink sink, String serviceName, AgentErrors errors) {
        this(sink, serviceName, errors, AgentConfig.LogDetail.FULL, 0, System::currentTimeMillis);
    }

    /** {@code fullEveryMillis}: in summary mode, how often each kind is written in full again. */
    public JsonLog(LogSink sink, String serviceName, AgentErrors errors, AgentConfig.LogDetail detail,
            long fullEveryMillis) {
        this(sink, serviceName, errors, detail, fullEveryMillis, System::currentTimeMillis);
    }

    JsonLog(LogSink sink, String serviceName, AgentErrors errors, AgentConfig.LogDetail detail, long fullEveryMillis,
            LongSupplier clock) {
        this.sink = sink;
        this.errors = errors;
        this.fullLines = detail == AgentConfig.LogDetail.SUMMARY ? new FullLines(fullEveryMillis, clock) : null;
        this.serviceName = serviceName;
        this.writer = new Thread(this::run, "tls-agent-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void export(HandshakeRecord record) {
        if (closing) {
            queue.dropped(1);
            return;
        }
        queue.offer(record);
    }

    /** Records queued and not yet taken by the writer (the benchmarks keep the writer busy with it). */
    public int pending() {
        return queue.size();
    }

    /** Lines dropped: queue full, or the sink failed. */
    public long dropped() {
        return queue.dropped();
    }

    private void run() {
        // Made here, on the writer's thread: the agent's start does not wait for the JSON writer to load.
        EcsJson format = new EcsJson(serviceName, ProcessHandle.current().pid());
        ByteArrayOutputStream batch = new ByteArrayOutputStream(8192);
        while (true) {
            boolean last = closing;
            int lines = drain(format, batch);
            if (lines > 0) {
                flush(batch, lines);
            } else if (last) {
                return;
            } else {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }

    private int drain(EcsJson format, ByteArrayOutputStream batch) {
        if (fullLines != null && !queue.isEmpty() && sink.rotated()) {
            fullLines.startOver(); // a new file: it gets each kind's full line too
        }
        int lines = 0;
        HandshakeRecord r;
        while (lines < 1000 && (r = queue.poll()) != null) {
            try {
                format.write(r, batch, fullLines == null || fullLines.full(r));
                lines++;
            } catch (Throwable t) {
                queue.dropped(1);
                errors.record("JSON log format", t);
            }
        }
        return lines;
    }

    private void flush(ByteArrayOutputStream batch, int lines) {
        try {
            OutputStream out = sink.stream();
            batch.writeTo(out);
            out.flush();
            sink.written();
        } catch (IOException | RuntimeException e) {
            queue.dropped(lines);
            if (fullLines != null) {
                fullLines.startOver(); // the lost lines may have been the full ones
            }
            sink.close(); // a file is reopened on the next batch
            AgentLog.once("cannot write the JSON log to " + sink + " (" + e.getMessage()
                    + "); lines are counted in tls_agent_log_dropped_total");
        } finally {
            batch.reset();
        }
    }

    /** Writes what is queued, waiting at most {@code timeoutMillis}; for JVM shutdown and detach. */
    public void close(long timeoutMillis) {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            return; // a slow sink: leave it to the daemon writer rather than close it under its feet
        }
        while (queue.poll() != null) {
            queue.dropped(1); // raced in while the writer was finishing
        }
        sink.close();
    }

    @Override
    public void close() {
        close(2000);
    }
}
