package io.tlsagent.anatomy;

/**
 * Caps on what a parser keeps from one message. A list longer than its cap is cut at the cap and the result
 * says {@code truncated()}; the rest of the message is still parsed. The caps sit well above anything a real
 * TLS stack sends, and keep a hostile message from costing more than a few kilobytes.
 */
public final class Limits {

    public static final int MAX_CIPHER_SUITES = 512;
    public static final int MAX_EXTENSIONS = 64;
    public static final int MAX_GROUPS = 128;
    public static final int MAX_SIGNATURE_ALGORITHMS = 128;
    public static final int MAX_VERSIONS = 32;
    public static final int MAX_POINT_FORMATS = 16;
    public static final int MAX_ALPN_PROTOCOLS = 16;
    /** ALPN's own limit: a protocol name has a 1-byte length. */
    public static final int MAX_ALPN_LENGTH = 255;
    /** A DNS name is at most 253 characters; longer SNI host names are cut here. */
    public static final int MAX_SERVER_NAME_LENGTH = 255;
    public static final int MAX_CERTIFICATES = 16;
    public static final int MAX_CERTIFICATE_BYTES = 64 * 1024;
    /** Subject alternative names kept per certificate (CDN certificates can carry hundreds). */
    public static final int MAX_SUBJECT_ALT_NAMES = 256;

    private Limits() {}
}
