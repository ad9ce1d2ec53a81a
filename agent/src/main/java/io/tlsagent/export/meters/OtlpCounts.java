package io.tlsagent.export.meters;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the OTLP push could not deliver ({@link TlsMeters#OTLP_LOG_RECORDS_DROPPED},
 * {@link TlsMeters#OTLP_METRIC_EXPORTS_FAILED}); kept here, free of OpenTelemetry's types, so that the agent's own
 * registry shows them whether or not the push runs.
 */
public final class OtlpCounts {

    private final LongAdder logRecordsDropped = new LongAdder();
    private final LongAdder metricExportsFailed = new LongAdder();

    public void logRecordsDropped(long n) {
        logRecordsDropped.add(n);
    }

    public void metricExportFailed() {
        metricExportsFailed.increment();
    }

    public long logRecordsDropped() {
        return logRecordsDropped.sum();
    }

    public long metricExportsFailed() {
        return metricExportsFailed.sum();
    }
}
