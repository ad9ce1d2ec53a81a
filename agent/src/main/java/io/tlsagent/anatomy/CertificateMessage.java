package io.tlsagent.anatomy;

import io.tlsagent.record.CertificateInfo;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The certificates of a TLS Certificate handshake message, as parsed by {@link #parse(ByteBuffer, boolean)}:
 * TLS 1.2's list of DER certificates (RFC 5246 7.4.2) or TLS 1.3's request context and entries with their
 * extensions (RFC 8446 4.4.2). At most {@link Limits#MAX_CERTIFICATES} certificates of at most
 * {@link Limits#MAX_CERTIFICATE_BYTES} each are decoded; past either bound parsing stops and
 * {@link #truncated()} is true. {@link #summaries(ByteBuffer, boolean)} reads the same message into certificate
 * summaries, decoding only certificates it has not met before.
 *
 * @param <T> what each certificate becomes: the JDK's {@link X509Certificate}, or its {@link CertificateInfo}
 */
public final class CertificateMessage<T> {

    private final List<T> certificates;
    private final boolean truncated;
    private final String parseError;

    private CertificateMessage(List<T> certificates, boolean truncated, String parseError) {
        this.certificates = Collections.unmodifiableList(certificates);
        this.truncated = truncated;
        this.parseError = parseError;
    }

    /** Turns one certificate's DER bytes into what the message holds, or says why not. */
    private interface Decoder<T> {
        T decode(ByteBuffer der) throws Certificates.Undecodable;
    }

    /**
     * Parses a Certificate message body (without the 4-byte handshake header) from the buffer's position to
     * its limit; {@code tls13} selects the TLS 1.3 layout. Never throws, never moves the buffer.
     */
    public static CertificateMessage<X509Certificate> parse(ByteBuffer body, boolean tls13) {
        return read(body, tls13, der -> {
            byte[] bytes = new byte[der.remaining()];
            der.get(bytes);
            return decode(bytes);
        });
    }

    /** As {@link #parse}, each certificate summarized; a certificate met before is neither decoded nor hashed. */
    public static CertificateMessage<CertificateInfo> summaries(ByteBuffer body, boolean tls13) {
        return read(body, tls13, Certificates::summary);
    }

    private static <T> CertificateMessage<T> read(ByteBuffer body, boolean tls13, Decoder<T> decoder) {
        List<T> out = new ArrayList<>();
        if (body == null) {
            return new CertificateMessage<>(out, false, "no message");
        }
        try {
            TlsReader r = new TlsReader(body);
            if (tls13) {
                r.vector8("certificate_request_context");
            }
            TlsReader list = r.vector24("certificate_list");
            if (r.hasRemaining()) {
                return new CertificateMessage<>(out, false, r.remaining()
                        + " trailing bytes after certificate_list");
            }
            while (list.hasRemaining()) {
                int length = list.u24("cert_data length");
                if (out.size() == Limits.MAX_CERTIFICATES || length > Limits.MAX_CERTIFICATE_BYTES) {
                    return new CertificateMessage<>(out, true, null);
                }
                ByteBuffer der = list.slice(length, "cert_data");
                if (tls13) {
                    list.vector16("certificate entry extensions");
                }
                try {
                    out.add(decoder.decode(der));
                } catch (Certificates.Undecodable e) {
                    return new CertificateMessage<>(out, false, "certificate " + out.size() + ": " + e.getMessage());
                }
            }
            return new CertificateMessage<>(out, false, null);
        } catch (Malformed e) {
            return new CertificateMessage<>(out, false, e.getMessage());
        }
    }

    /** One certificate from its DER bytes. The JDK's DER parser may throw unchecked on hostile input. */
    static X509Certificate decode(byte[] der) throws Certificates.Undecodable {
        try {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(der));
            if (!(cert instanceof X509Certificate)) {
                throw new Certificates.Undecodable("not an X.509 certificate");
            }
            return (X509Certificate) cert;
        } catch (Exception | StackOverflowError e) {
            if (e instanceof Certificates.Undecodable) {
                throw (Certificates.Undecodable) e;
            }
            String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            throw new Certificates.Undecodable(message.length() <= 200 ? message : message.substring(0, 200));
        }
    }

    /** The certificates in message order (the peer's own first); empty when none could be read. */
    public List<T> certificates() {
        return certificates;
    }

    /** True if the message held more, or larger, certificates than the bounds allow; parsing stopped there. */
    public boolean truncated() {
        return truncated;
    }

    /** What could not be parsed, or null. The certificates before the problem are kept. */
    public String parseError() {
        return parseError;
    }
}
