package io.tlsagent.record;

import java.util.Locale;

/**
 * Weak points of a negotiated TLS configuration that an operator should know about. The set is fixed: a
 * dashboard can rely on these labels; {@code io.tlsagent.anatomy.Findings} decides which apply.
 */
public enum Finding {

    /** The protocol is older than TLS 1.2 (SSLv2, SSLv3, TLS 1.0, TLS 1.1, DTLS 1.0). */
    LEGACY_PROTOCOL,
    /**
     * The key exchange has no ephemeral (EC)DH: static RSA ({@code TLS_RSA_*}), static DH or ECDH
     * ({@code TLS_DH_*}, {@code TLS_ECDH_*}), or plain PSK. A stolen server key decrypts recorded traffic.
     */
    NO_FORWARD_SECRECY,
    /** A CBC-mode cipher (MAC-then-encrypt; the Lucky13 and POODLE families). */
    CBC_CIPHER,
    /** Triple DES (64-bit blocks; Sweet32). */
    TRIPLE_DES_CIPHER,
    /** RC4 (biased keystream; prohibited by RFC 7465). */
    RC4_CIPHER,
    /** No encryption at all ({@code _WITH_NULL_}, or a TLS 1.3 integrity-only suite). */
    NULL_CIPHER,
    /** An export-grade (40/56-bit) suite. */
    EXPORT_CIPHER,
    /**
     * SHA-1 in a signature: the handshake's signature scheme, or a certificate of the peer's chain that is not
     * self-signed (a self-signed root is trusted as itself, so its own signature does not matter).
     */
    SHA1_SIGNATURE,
    /** A certificate of the peer's chain has an RSA key shorter than 2048 bits. */
    RSA_KEY_BELOW_2048,
    /** A certificate of the peer's chain, or of the chain this side presented, is past its notAfter. */
    CERTIFICATE_EXPIRED,
    /**
     * A certificate of the peer's chain, or of the chain this side presented, expires within the configured number
     * of days (default 14).
     */
    CERTIFICATE_EXPIRING,
    /** The peer's own certificate is self-signed. */
    SELF_SIGNED_PEER;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** Lower-case name for metrics and logs, e.g. {@code legacy_protocol}. */
    public String label() {
        return label;
    }
}
