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

    /** The message name as RFC 8446 and 5246 spell it, e.g. {@code client_hello}, {@code certificate_verify}. */
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

    /** The TLS name of a handshake message type (RFC 8446 section 4, RFC 5246 section 7.4). */
    public static String typeName(int type) {
        switch (type) {
            case 0: return "hello_request";
            case 1: return "client_hello";
            case 2: return "server_hello";
            case 3: return "hello_verify_request";
            case 4: return "new_session_ticket";
            case 5: return "end_of_early_data";
            case 8: return "encrypted_extensions";
            case 11: return "certificate";
            case 12: return "server_key_exchange";
            case 13: return "certificate_request";
            case 14: return "server_hello_done";
            case 15: return "certificate_verify";
            case 16: return "client_key_exchange";
            case 20: return "finished";
            case 22: return "certificate_status";
            case 24: return "key_update";
            case 25: return "compressed_certificate";
            case 254: return "message_hash";
            default: return "unknown_" + type;
        }
    }
}
