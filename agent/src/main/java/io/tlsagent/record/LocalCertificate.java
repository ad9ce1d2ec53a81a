package io.tlsagent.record;

import java.util.Objects;

/** One certificate of this JVM's own key material, and where it comes from. */
public final class LocalCertificate {

    private final KeyMaterialSource source;
    private final CertificateInfo certificate;

    public LocalCertificate(KeyMaterialSource source, CertificateInfo certificate) {
        this.source = Objects.requireNonNull(source);
        this.certificate = Objects.requireNonNull(certificate);
    }

    public KeyMaterialSource source() {
        return source;
    }

    public CertificateInfo certificate() {
        return certificate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalCertificate && source == ((LocalCertificate) o).source
                && certificate.equals(((LocalCertificate) o).certificate);
    }

    @Override
    public int hashCode() {
        return 31 * source.hashCode() + certificate.hashCode();
    }

    @Override
    public String toString() {
        return source.label() + " " + certificate;
    }
}
