package io.tlsagent.util;

import io.tlsagent.record.HandshakeRecord;

/**
 * Times each handshake on the application's own threads, as a JDK Flight Recorder event does: a span begun where
 * the capture sees a handshake start, ended where it sees it end, and committed with the handshake's record by the
 * thread that finished it. A span is an opaque object of the implementation's (null when nothing listens, so that a
 * handshake then allocates nothing for it). Implementations never throw.
 */
public interface HandshakeSpans {

    /** Spans that are never recorded. */
    HandshakeSpans NONE = new HandshakeSpans() {
        @Override
        public Object begin() {
            return null;
        }

        @Override
        public void end(Object span) {
            // nothing recorded
        }

        @Override
        public void commit(Object span, HandshakeRecord record) {
            // nothing recorded
        }
    };

    /** A handshake starts now; null when nothing records it. */
    Object begin();

    /** The handshake of {@code span} (possibly null) ends now. */
    void end(Object span);

    /**
     * Records the handshake of {@code span} with its record's details; a null span (the handshake started before
     * anything listened, or its start was not seen) is recorded without a duration if something listens now.
     */
    void commit(Object span, HandshakeRecord record);
}
