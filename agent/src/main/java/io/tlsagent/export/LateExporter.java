package io.tlsagent.export;

import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentLog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An exporter that starts after the agent's hooks (OpenTelemetry's: its SDK loads only then, off the start
 * gate's path, and the JDK HTTP client it builds would load {@code SSLContext}, which the gate holds back). Until
 * it is there, the export thread waits for it, at most {@link #MAX_WAIT_SECONDS} once, so that it sees the first
 * handshakes too; meanwhile the pipeline's bounded queue holds them (and counts what it drops).
 */
public final class LateExporter implements Exporter {

    static final long MAX_WAIT_SECONDS = 10;

    private final String name;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exporter delegate;
    private volatile boolean gaveUp;

    public LateExporter(String name) {
        this.name = name;
    }

    /** The exporter from now on; null when it could not start (then records pass it by). */
    public void started(Exporter exporter) {
        delegate = exporter;
        started.countDown();
    }

    @Override
    public void export(HandshakeRecord record) {
        if (started.getCount() > 0 && !gaveUp) {
            try {
                if (!started.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    gaveUp = true;
                    AgentLog.once(name + " has not started after " + MAX_WAIT_SECONDS + " s; handshakes until it"
                            + " has are not pushed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Exporter d = delegate;
        if (d != null) {
            d.export(record);
        }
    }

    /** Closes the exporter, if it started, within {@code timeoutMillis}. */
    public void close(long timeoutMillis) {
        Exporter d = delegate;
        if (d instanceof Closing) {
            ((Closing) d).close(timeoutMillis);
        }
    }

    /** An exporter that has something to flush and stop. */
    public interface Closing extends Exporter {
        void close(long timeoutMillis);
    }

    /** Starts the exporter, reading what it needs from {@code sources}. */
    public interface Factory {
        Closing start(ExportSources sources) throws Exception;
    }
}
