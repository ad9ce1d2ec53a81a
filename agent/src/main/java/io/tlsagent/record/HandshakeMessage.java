package io.tlsagent.record;

/** One handshake message of a handshake's timeline: which, which way, and when after the first one. */
public final class HandshakeMessage {

    private final String type;
    private final boolean outbound;
    private final long offsetMicros;

    public HandshakeMessage(String type, boolean outbound, long offsetMicros) {
        this.type = type;
        this.outbound = outbound;
        this.offsetMicros = offsetMicros;
    }

    /** The message name as RFC 8446 and 5246 spell it ({@link HandshakeType#name(int)}), e.g. {@code client_hello}. */
    public String type() {
        return type;
    }

    /** True if this side sent it. */
    public boolean outbound() {
        return outbound;
    }

    /** Microseconds from the handshake's first message. */
    public long offsetMicros() {
        return offsetMicros;
    }
}
