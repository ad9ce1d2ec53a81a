package io.tlsagent.record;

/** Handshake message types (RFC 8446 section 4, RFC 5246 section 7.4), with the names the RFCs give them. */
public enum HandshakeType {
    HELLO_REQUEST(0), CLIENT_HELLO(1), SERVER_HELLO(2), HELLO_VERIFY_REQUEST(3), NEW_SESSION_TICKET(4),
    END_OF_EARLY_DATA(5), ENCRYPTED_EXTENSIONS(8), CERTIFICATE(11), SERVER_KEY_EXCHANGE(12),
    CERTIFICATE_REQUEST(13), SERVER_HELLO_DONE(14), CERTIFICATE_VERIFY(15), CLIENT_KEY_EXCHANGE(16), FINISHED(20),
    CERTIFICATE_STATUS(22), KEY_UPDATE(24), COMPRESSED_CERTIFICATE(25), MESSAGE_HASH(254);

    private static final HandshakeType[] BY_CODE = new HandshakeType[256];

    static {
        for (HandshakeType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final String rfcName = name().toLowerCase(java.util.Locale.ROOT);

    HandshakeType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The type with this code, or null for a code no RFC defines. */
    public static HandshakeType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The RFCs' name of a type code, e.g. {@code client_hello}; {@code unknown_N} for others. */
    public static String name(int code) {
        HandshakeType t = of(code);
        return t != null ? t.rfcName : "unknown_" + code;
    }
}
