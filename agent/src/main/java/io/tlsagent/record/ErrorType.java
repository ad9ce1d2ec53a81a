package io.tlsagent.record;

/** Why a handshake failed: a small, fixed set so it can be a metric label. */
public enum ErrorType {
    /** No protocol version both sides accept. */
    PROTOCOL_VERSION,
    /** No common cipher suite, group or signature scheme. */
    HANDSHAKE_FAILURE,
    CERTIFICATE_EXPIRED,
    /** The chain does not lead to a trusted anchor. */
    CERTIFICATE_UNTRUSTED,
    CERTIFICATE_HOSTNAME_MISMATCH,
    /** The peer rejected our certificate, or the certificate is otherwise unusable. */
    BAD_CERTIFICATE,
    NO_APPLICATION_PROTOCOL,
    /** The connection was closed before the handshake finished. */
    PEER_CLOSED,
    OTHER;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name, as logs and labels show it (made once: handshake threads ask for it). */
    public String label() {
        return label;
    }
}
