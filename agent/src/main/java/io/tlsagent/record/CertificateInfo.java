package io.tlsagent.record;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A summary of one certificate: names, validity, key and signature, fingerprint. Public metadata only; the
 * DER bytes are hashed, never kept. Names are RFC 2253, numbers upper-case hex. A field the certificate does not yield is null (or -1 for the key size).
 */
public final class CertificateInfo {

    private final String subject;
    private final String issuer;
    private final String serialNumber;
    private final List<String> subjectAltNames;
    private final Instant notBefore;
    private final Instant notAfter;
    private final String keyAlgorithm;
    private final int keySize;
    private final String signatureAlgorithm;
    private final String sha256;
    private final boolean selfSigned;

    private CertificateInfo(Builder b) {
        this.subject = b.subject;
        this.issuer = b.issuer;
        this.serialNumber = b.serialNumber;
        this.subjectAltNames = b.subjectAltNames == null ? Collections.<String>emptyList()
                : Collections.unmodifiableList(new java.util.ArrayList<>(b.subjectAltNames));
        this.notBefore = b.notBefore;
        this.notAfter = b.notAfter;
        this.keyAlgorithm = b.keyAlgorithm;
        this.keySize = b.keySize;
        this.signatureAlgorithm = b.signatureAlgorithm;
        this.sha256 = b.sha256;
        this.selfSigned = b.selfSigned;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** RFC 2253, as ECS's {@code x509.subject.distinguished_name}. */
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

    /**
     * Subject alternative names as {@code DNS:example.com}, {@code IP:192.0.2.1}, {@code URI:...},
     * {@code email:...}; other kinds are skipped; bounded.
     */
    public List<String> subjectAltNames() {
        return subjectAltNames;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** The JDK's name of the public key algorithm: {@code RSA}, {@code EC}, {@code EdDSA}, {@code RSASSA-PSS}... */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** Key size in bits (RSA/DSA modulus, EC field size, 255 for Ed25519, 448 for Ed448), -1 if unknown. */
    public int keySize() {
        return keySize;
    }

    /** The JDK's name of the certificate's signature algorithm, e.g. {@code SHA256withRSA}. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** SHA-256 of the DER encoding, upper-case hex. */
    public String sha256() {
        return sha256;
    }

    /** Issuer equals subject and the certificate's signature verifies with its own key. */
    public boolean selfSigned() {
        return selfSigned;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateInfo && Objects.equals(sha256, ((CertificateInfo) o).sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(sha256);
    }

    @Override
    public String toString() {
        return "CertificateInfo{subject=" + subject + ", issuer=" + issuer + ", notAfter=" + notAfter
                + ", key=" + keyAlgorithm + "/" + keySize + ", sig=" + signatureAlgorithm + "}";
    }

    /** Collects a certificate's summary; not thread-safe. */
    public static final class Builder {
        private String subject;
        private String issuer;
        private String serialNumber;
        private List<String> subjectAltNames;
        private Instant notBefore;
        private Instant notAfter;
        private String keyAlgorithm;
        private int keySize = -1;
        private String signatureAlgorithm;
        private String sha256;
        private boolean selfSigned;

        private Builder() {}

        public Builder subject(String v) { subject = v; return this; }
        public Builder issuer(String v) { issuer = v; return this; }
        public Builder serialNumber(String v) { serialNumber = v; return this; }
        public Builder subjectAltNames(List<String> v) { subjectAltNames = v; return this; }
        public Builder notBefore(Instant v) { notBefore = v; return this; }
        public Builder notAfter(Instant v) { notAfter = v; return this; }
        public Builder keyAlgorithm(String v) { keyAlgorithm = v; return this; }
        public Builder keySize(int v) { keySize = v; return this; }
        public Builder signatureAlgorithm(String v) { signatureAlgorithm = v; return this; }
        public Builder sha256(String v) { sha256 = v; return this; }
        public Builder selfSigned(boolean v) { selfSigned = v; return this; }

        public CertificateInfo build() {
            return new CertificateInfo(this);
        }
    }
}
