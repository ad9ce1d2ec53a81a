package io.tlsagent.record;

/** How a session was resumed, if it was. */
public enum Resumption {
    /** A full handshake. */
    NONE,
    /** TLS 1.2 and earlier: the server found the session ID in its cache. */
    SESSION_ID,
    /** TLS 1.2: RFC 5077 session ticket. */
    TICKET,
    /** TLS 1.3: pre-shared key from an earlier session (stateful or ticket, both are PSKs in 1.3). */
    PSK;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name, as logs and labels show it (made once: handshake threads ask for it). */
    public String label() {
        return label;
    }
}
