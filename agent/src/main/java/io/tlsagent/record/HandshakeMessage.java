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

    /** Message {@code type} (its code) seen at {@code nanoTime} in a handshake that started at {@code startNanos}. */
    public static HandshakeMessage at(int type, boolean outbound, long startNanos, long nanoTime) {
        return new HandshakeMessage(HandshakeType.name(type), outbound, Math.max(0, nanoTime - startNanos) / 1000);
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
