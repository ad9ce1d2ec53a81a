package io.tlsagent.capture;

import io.tlsagent.anatomy.CertificateMessage;
import io.tlsagent.anatomy.Certificates;
import io.tlsagent.anatomy.ClientHelloParser;
import io.tlsagent.anatomy.Findings;
import io.tlsagent.anatomy.Ja3;
import io.tlsagent.anatomy.Ja4;
import io.tlsagent.anatomy.ServerHelloParser;
import io.tlsagent.anatomy.TlsNames;
import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.ClientHello;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeType;
import io.tlsagent.record.ServerHello;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;

/** Turns the messages a handshake kept ({@link CapturedMessages}) into its {@link HandshakeAnatomy}, once, at its end. */
public final class AnatomyAssembler {

    /** What the operator chose to capture. */
    public static final class Options {
        final boolean clientHello;
        final boolean fingerprints;
        final int expiringDays;

        public Options(boolean clientHello, boolean fingerprints, int expiringDays) {
            this.clientHello = clientHello;
            this.fingerprints = fingerprints;
            this.expiringDays = expiringDays;
        }
    }

    private final Options options;

    public AnatomyAssembler(Options options) {
        this.options = options;
    }

    public HandshakeAnatomy assemble(CapturedMessages c, Object session, String protocol, String cipherSuite, boolean client) {
        List<String> errors = new ArrayList<>();
        ClientHello hello = null;
        String ja3 = null;
        String ja3Md5 = null;
        String ja4 = null;
        if (options.clientHello && c.clientHello != null) {
            hello = ClientHelloParser.parse(ByteBuffer.wrap(c.clientHello));
            note(errors, "client_hello", hello.parseError());
            if (options.fingerprints) {
                ja3 = Ja3.clientString(hello);
                ja3Md5 = Ja3.md5(ja3);
                ja4 = Ja4.fingerprint(hello);
            }
        }
        ServerHello serverHello = null;
        String ja3s = null;
        String ja3sMd5 = null;
        if (options.clientHello && c.serverHello != null) {
            serverHello = ServerHelloParser.parse(ByteBuffer.wrap(c.serverHello));
            note(errors, "server_hello", serverHello.parseError());
            if (options.fingerprints) {
                ja3s = Ja3.serverString(serverHello);
                ja3sMd5 = Ja3.md5(ja3s);
            }
        }
        List<CertificateInfo> peerChain = peerChain(c, session, protocol, errors);
        List<CertificateInfo> localChain = localChain(session);
        String peerScheme = peerSignatureScheme(c, cipherSuite);
        String serverScheme = client ? peerScheme : c.localSignatureScheme;
        return HandshakeAnatomy.builder()
                .clientHello(hello).ja3(ja3).ja3Md5(ja3Md5).ja4(ja4)
                .serverHello(serverHello).ja3s(ja3s).ja3sMd5(ja3sMd5)
                .peerChain(peerChain).localChain(localChain)
                .peerSignatureScheme(peerScheme).localSignatureScheme(c.localSignatureScheme)
                .trustCheckNanos(c.trustNanos).trustCheckFailed(c.trustFailed)
                .findings(Findings.compute(protocol, cipherSuite, serverScheme, peerChain, localChain, Instant.now(),
                        options.expiringDays))
                .parseErrors(errors)
                .build();
    }

    private static void note(List<String> errors, String what, String error) {
        if (error != null) {
            errors.add(what + ": " + error);
        }
    }

    /** From the Certificate message when there was one (so a rejected chain too), else from the session. */
    private static List<CertificateInfo> peerChain(CapturedMessages c, Object session, String protocol, List<String> errors) {
        if (c.peerCertificate != null) {
            CertificateMessage message = CertificateMessage.parse(ByteBuffer.wrap(c.peerCertificate),
                    "TLSv1.3".equals(protocol));
            note(errors, "certificate", message.parseError());
            return Certificates.summaries(message.certificates());
        }
        if (session instanceof SSLSession) {
            try {
                return Certificates.summaries(x509(((SSLSession) session).getPeerCertificates()));
            } catch (Exception notPresented) {
                return List.of();
            }
        }
        return List.of();
    }

    private static List<CertificateInfo> localChain(Object session) {
        if (!(session instanceof SSLSession)) {
            return List.of();
        }
        Certificate[] local = ((SSLSession) session).getLocalCertificates();
        return local == null ? List.of() : Certificates.summaries(x509(local));
    }

    private static List<X509Certificate> x509(Certificate[] chain) {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate cert : chain) {
            if (cert instanceof X509Certificate) {
                out.add((X509Certificate) cert);
            }
        }
        return out;
    }

    /**
     * The scheme of the peer's signature: the first two bytes of a CertificateVerify; in a ServerKeyExchange, after
     * the (EC)DHE parameters.
     */
    static String peerSignatureScheme(CapturedMessages c, String cipherSuite) {
        byte[] b = c.peerSignature;
        if (b == null) {
            return null;
        }
        int at;
        if (c.peerSignatureType == HandshakeType.CERTIFICATE_VERIFY) {
            at = 0;
        } else if (cipherSuite != null && cipherSuite.contains("_ECDHE_")) {
            at = b.length > 3 ? 4 + (b[3] & 0xFF) : -1; // curve_type, named_curve(2), point<1..255>
        } else if (cipherSuite != null && cipherSuite.contains("_DHE_")) {
            at = 0;
            for (int i = 0; i < 3 && at >= 0; i++) { // dh_p, dh_g, dh_Ys, each <1..2^16-1>
                at = at + 2 <= b.length ? at + 2 + (((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF)) : -1;
            }
        } else {
            return null;
        }
        if (at < 0 || at + 2 > b.length) {
            return null;
        }
        return TlsNames.signatureScheme(((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF));
    }
}
