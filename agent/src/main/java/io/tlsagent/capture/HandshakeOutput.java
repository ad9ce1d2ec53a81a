package io.tlsagent.capture;

import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.HandshakeSpans;
import java.util.function.Consumer;

/**
 * Where the captures put what they see of each handshake, on the application's threads: its span (the JFR event,
 * {@link HandshakeSpans}) from its start to its end, and its record, handed on by the thread that finished it.
 */
final class HandshakeOutput {

    private final Consumer<HandshakeRecord> sink;
    private final HandshakeSpans spans;
    private final AgentErrors errors;

    HandshakeOutput(Consumer<HandshakeRecord> sink, HandshakeSpans spans, AgentErrors errors) {
        this.sink = sink;
        this.spans = spans;
        this.errors = errors;
    }

    /** A handshake starts now: its span, or null. */
    Object begin() {
        try {
            return spans.begin();
        } catch (Throwable t) {
            errors.record("handshake span", t);
            return null;
        }
    }

    /**
     * The handshake ended at {@code nanoTime} (its hook's moment): its span stops now, before its record is built.
     * Returns the end for the record: with a span, the moment right after it stopped, so that both say the same
     * end whatever ran in between (the first handshake of a JVM loads classes on the way).
     */
    long end(Object span, long nanoTime) {
        if (span == null) {
            return nanoTime;
        }
        try {
            spans.end(span);
        } catch (Throwable t) {
            errors.record("handshake span", t);
        }
        return System.nanoTime();
    }

    /** The handshake's record: its span is committed with it, and the record goes on to the exporters. */
    void finished(Object span, HandshakeRecord record) {
        try {
            spans.commit(span, record);
        } catch (Throwable t) {
            errors.record("handshake span", t);
        }
        sink.accept(record);
    }
}
