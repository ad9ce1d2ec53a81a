package io.tlsagent.export.otel;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.tlsagent.export.meters.OtlpCounts;
import io.tlsagent.util.AgentLog;
import io.tlsagent.util.BoundedQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The handshakes' log records on their way to the Collector: a bounded queue and one thread of the agent's
 * ({@code tls-agent-otlp-logs}) that sends them in batches. A full queue drops the record, a batch the Collector
 * does not take (after the SDK's retries) is dropped too; both are counted. Emitting (on the agent's export
 * thread) never waits. The SDK's own BatchLogRecordProcessor does the same but does not tell what it dropped.
 */
final class OtlpLogQueue implements LogRecordProcessor {

    static final int CAPACITY = 2048;
    static final int BATCH = 512;

    private final LogRecordExporter exporter;
    private final OtlpCounts counts;
    private final String where;
    private final long delayNanos;
    private final long timeoutMillis;
    private final BoundedQueue<LogRecordData> queue = new BoundedQueue<>(CAPACITY);
    private final Thread worker;
    private volatile boolean closing;

    OtlpLogQueue(LogRecordExporter exporter, OtlpCounts counts, String where, long delayMillis,
            long timeoutMillis) {
        this.exporter = exporter;
        this.counts = counts;
        this.where = where;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        this.timeoutMillis = timeoutMillis;
        this.worker = new Thread(this::run, "tls-agent-otlp-logs");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public void onEmit(Context context, ReadWriteLogRecord record) {
        if (closing || !queue.offer(record.toLogRecordData())) {
            counts.logRecordsDropped(1);
            AgentLog.once("the OTLP log queue (" + CAPACITY + " records) is full: the Collector at " + where
                    + " takes them slower than handshakes happen; records dropped and counted in"
                    + " tls_agent_otlp_log_records_dropped_total");
        } else if (queue.size() >= BATCH) {
            LockSupport.unpark(worker);
        }
    }

    private void run() {
        long next = System.nanoTime() + delayNanos;
        while (true) {
            boolean last = closing;
            if (last || queue.size() >= BATCH || System.nanoTime() - next >= 0) {
                List<LogRecordData> batch;
                while (!(batch = take()).isEmpty()) {
                    send(batch);
                    if (queue.size() < BATCH && !closing) {
                        break;
                    }
                }
                next = System.nanoTime() + delayNanos;
                if (last) {
                    return;
                }
            }
            LockSupport.parkNanos(this, Math.max(1, next - System.nanoTime()));
        }
    }

    private List<LogRecordData> take() {
        List<LogRecordData> batch = new ArrayList<>();
        LogRecordData r;
        while (batch.size() < BATCH && (r = queue.poll()) != null) {
            batch.add(r);
        }
        return batch;
    }

    private void send(List<LogRecordData> batch) {
        CompletableResultCode result;
        try {
            result = OtelAgentSuppression.call(() -> exporter.export(batch));
        } catch (RuntimeException e) {
            result = CompletableResultCode.ofExceptionalFailure(e);
        }
        // Counted when the SDK is done with the batch (its retries included), never while it may still arrive.
        CompletableResultCode done = result;
        done.whenComplete(() -> {
            if (!done.isSuccess()) {
                counts.logRecordsDropped(batch.size());
                OtlpOutcomes.failed("log records to " + where, done,
                        "records dropped and counted in tls_agent_otlp_log_records_dropped_total");
            }
        });
        // One batch at a time: the SDK gives up by its timeout; the margin is for a loaded machine.
        done.join(timeoutMillis + OtlpPush.SENDER_WAIT_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableResultCode shutdown() {
        closing = true;
        LockSupport.unpark(worker);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exporter.shutdown();
    }

    @Override
    public CompletableResultCode forceFlush() {
        LockSupport.unpark(worker);
        return CompletableResultCode.ofSuccess();
    }
}
