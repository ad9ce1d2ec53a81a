package io.tlsagent.export.log;

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

/**
 * Writes one JSON line per handshake from a daemon thread. A handshake thread only enqueues (lock-free);
 * when the queue is full the record is dropped and counted, never waited for.
 */
public final class JsonLog implements Exporter, AutoCloseable {

    static final int CAPACITY = 10_000;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BoundedQueue<HandshakeRecord> queue = new BoundedQueue<>(CAPACITY);
    private final String serviceName;
    private final LogSink sink;
    private final AgentErrors errors;
    private final Thread writer;
    private volatile boolean closing;

    public JsonLog(LogSink sink, String serviceName, AgentErrors errors) {
        this.sink = sink;
        this.errors = errors;
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
        int lines = 0;
        HandshakeRecord r;
        while (lines < 1000 && (r = queue.poll()) != null) {
            try {
                format.write(r, batch);
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
        } catch (IOException | RuntimeException e) {
            queue.dropped(lines);
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
