package io.tlsagent.record;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/** The parts of the peer's leaf certificate that the agent reports. Public metadata only. */
public final class PeerCertificate {

    /**
     * Summaries already made, by the certificate's SHA-256: peers mostly present the same few certificates, and
     * rendering names anew for each handshake was a visible part of the agent's cost. Bounded: when full it
     * starts over.
     */
    static final int CACHE_SIZE = 512;
    private static final Map<String, PeerCertificate> CACHE = new ConcurrentHashMap<>();

    private final String subject;
    private final String issuer;
    private final String serialNumber;
    private final Instant notBefore;
    private final Instant notAfter;
    private final String sha256;

    public PeerCertificate(String subject, String issuer, String serialNumber, Instant notBefore, Instant notAfter,
            String sha256) {
        this.subject = subject;
        this.issuer = issuer;
        this.serialNumber = serialNumber;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.sha256 = sha256;
    }

    /** Summarizes a certificate; the DER bytes are hashed, never kept. */
    public static PeerCertificate of(X509Certificate cert) throws Exception {
        String sha256 = hex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        PeerCertificate known = CACHE.get(sha256);
        if (known != null) {
            return known;
        }
        PeerCertificate made = new PeerCertificate(
                cert.getSubjectX500Principal().getName(X500Principal.RFC2253),
                cert.getIssuerX500Principal().getName(X500Principal.RFC2253),
                cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT),
                cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant(),
                sha256);
        if (CACHE.size() >= CACHE_SIZE) {
            CACHE.clear();
        }
        CACHE.put(sha256, made);
        return made;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
        return sb.toString();
    }

    public String subject() {
        return subject;
    }

    public String issuer() {
        return issuer;
    }

    /** Upper-case hex, as ECS {@code x509.serial_number}. */
    public String serialNumber() {
        return serialNumber;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** SHA-256 of the DER encoding, upper-case hex. */
    public String sha256() {
        return sha256;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PeerCertificate)) {
            return false;
        }
        PeerCertificate other = (PeerCertificate) o;
        return Objects.equals(sha256, other.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(sha256);
    }
}
