package io.tlsagent.anatomy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates of a TLS Certificate handshake message, as parsed by {@link #parse(ByteBuffer, boolean)}:
 * TLS 1.2's list of DER certificates (RFC 5246 7.4.2) or TLS 1.3's request context and entries with their
 * extensions (RFC 8446 4.4.2). At most {@link Limits#MAX_CERTIFICATES} certificates of at most
 * {@link Limits#MAX_CERTIFICATE_BYTES} each are decoded; past either bound parsing stops and
 * {@link #truncated()} is true.
 */
public final class CertificateMessage {

    private final List<X509Certificate> certificates;
    private final boolean truncated;
    private final String parseError;

    private CertificateMessage(List<X509Certificate> certificates, boolean truncated, String parseError) {
        this.certificates = java.util.Collections.unmodifiableList(certificates);
        this.truncated = truncated;
        this.parseError = parseError;
    }

    /**
     * Parses a Certificate message body (without the 4-byte handshake header) from the buffer's position to
     * its limit; {@code tls13} selects the TLS 1.3 layout. Never throws, never moves the buffer.
     */
    public static CertificateMessage parse(ByteBuffer body, boolean tls13) {
        List<X509Certificate> out = new ArrayList<>();
        if (body == null) {
            return new CertificateMessage(out, false, "no message");
        }
        try {
            TlsReader r = new TlsReader(body);
            if (tls13) {
                r.vector8("certificate_request_context");
            }
            TlsReader list = r.vector24("certificate_list");
            if (r.hasRemaining()) {
                return new CertificateMessage(out, false, r.remaining() + " trailing bytes after certificate_list");
            }
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (list.hasRemaining()) {
                int length = list.u24("cert_data length");
                if (out.size() == Limits.MAX_CERTIFICATES || length > Limits.MAX_CERTIFICATE_BYTES) {
                    return new CertificateMessage(out, true, null);
                }
                byte[] der = list.bytes(length, "cert_data");
                if (tls13) {
                    list.vector16("certificate entry extensions");
                }
                String error = decode(factory, der, out);
                if (error != null) {
                    return new CertificateMessage(out, false, "certificate " + out.size() + ": " + error);
                }
            }
            return new CertificateMessage(out, false, null);
        } catch (Malformed e) {
            return new CertificateMessage(out, false, e.getMessage());
        } catch (Exception e) {
            return new CertificateMessage(out, false, "X.509 unavailable: " + e);
        }
    }

    /** Adds one certificate, or says why not. The JDK's DER parser may throw unchecked on hostile input. */
    private static String decode(CertificateFactory factory, byte[] der, List<X509Certificate> out) {
        try {
            Certificate cert = factory.generateCertificate(new ByteArrayInputStream(der));
            if (!(cert instanceof X509Certificate)) {
                return "not an X.509 certificate";
            }
            out.add((X509Certificate) cert);
            return null;
        } catch (Exception | StackOverflowError e) {
            String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return message.length() <= 200 ? message : message.substring(0, 200);
        }
    }

    /** The certificates in message order (the peer's own first); empty when none could be read. */
    public List<X509Certificate> certificates() {
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
