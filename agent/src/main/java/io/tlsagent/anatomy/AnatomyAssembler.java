package io.tlsagent.anatomy;

import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeCapture;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.HandshakeType;
import io.tlsagent.record.Role;
import io.tlsagent.record.ServerHello;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes a record on the agent's export thread, once, before any exporter there sees it: turns the raw
 * {@link HandshakeCapture} the handshake's thread took into the {@link HandshakeAnatomy} (hellos parsed and
 * fingerprinted once per kind, {@link Hellos}; certificates summarized once each, {@link Certificates}; findings)
 * and the peer's certificate summary, and drops the raw capture.
 */
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

    /** The record with its anatomy and peer certificate made from its capture; as it is when it has none. */
    public HandshakeRecord complete(HandshakeRecord r) {
        HandshakeCapture c = r.capture();
        if (c == null) {
            return r;
        }
        HandshakeRecord.Builder b = r.toBuilder().capture(null);
        List<X509Certificate> sessionPeer = c.sessionPeerCertificates();
        if (r.peerCertificate() == null && !sessionPeer.isEmpty()) {
            b.peerCertificate(Certificates.summary(sessionPeer.get(0)));
        }
        if (c.messagesSeen()) {
            b.anatomy(assemble(c, r));
        }
        return b.build();
    }

    /**
     * The fingerprinted offer of the record's ClientHello, or null when there is none or the operator turned it
     * off. For the JFR event, which stays on the handshake's thread: a known kind of hello costs two walks over its
     * bytes (hash, confirm) and no copy; a new kind is parsed there once.
     */
    public Hellos.Offer clientOffer(HandshakeRecord r) {
        HandshakeCapture c = r.capture();
        ByteBuffer hello = c == null ? null : c.clientHello();
        return options.clientHello && options.fingerprints && hello != null ? Hellos.fingerprints(hello) : null;
    }

    private HandshakeAnatomy assemble(HandshakeCapture c, HandshakeRecord r) {
        List<String> errors = new ArrayList<>();
        HandshakeAnatomy.Builder a = HandshakeAnatomy.builder();
        ByteBuffer clientHello = c.clientHello();
        if (options.clientHello && clientHello != null) {
            Hellos.Offer offer = Hellos.clientHello(clientHello);
            note(errors, "client_hello", offer.hello().parseError());
            a.clientHello(offer.hello()).clientHelloId(offer.id());
            if (options.fingerprints) {
                a.ja3(offer.ja3()).ja3Md5(offer.ja3Md5()).ja4(offer.ja4());
            }
        }
        ByteBuffer serverHello = c.serverHello();
        if (options.clientHello && serverHello != null) {
            Hellos.Answer answer = Hellos.serverHello(serverHello);
            note(errors, "server_hello", answer.hello().parseError());
            a.serverHello(answer.hello());
            if (options.fingerprints) {
                a.ja3s(answer.ja3s()).ja3sMd5(answer.ja3sMd5());
            }
        }
        ByteBuffer helloRetryRequest = c.helloRetryRequest();
        if (helloRetryRequest != null) {
            ServerHello retry = Hellos.serverHello(helloRetryRequest).hello();
            note(errors, "hello_retry_request", retry.parseError());
            a.helloRetryGroup(retry.keyShareGroup() >= 0 ? TlsNames.group(retry.keyShareGroup()) : null);
        }
        for (String note : c.wireNotes()) {
            errors.add("wire " + note);
        }

        List<CertificateInfo> peerChain = peerChain(c, r.protocol(), errors);
        List<CertificateInfo> localChain = Certificates.summaries(c.localCertificates());
        String peerScheme = peerSignatureScheme(c.peerSignature(), c.peerSignatureType(), r.cipherSuite());
        String serverScheme = r.role() == Role.CLIENT ? peerScheme : c.localSignatureScheme();
        return a.peerChain(peerChain).peerChainId(Certificates.chainId(peerChain))
                .localChain(localChain).localChainId(Certificates.chainId(localChain))
                .peerSignatureScheme(peerScheme).localSignatureScheme(c.localSignatureScheme())
                .trustCheckNanos(c.trustCheckNanos()).trustCheckFailed(c.trustCheckFailed())
                .findings(Findings.compute(r.protocol(), r.cipherSuite(), serverScheme, peerChain, localChain,
                        r.timestamp(), options.expiringDays))
                .parseErrors(errors)
                .build();
    }

    private static void note(List<String> errors, String what, String error) {
        if (error != null) {
            errors.add(what + ": " + error);
        }
    }

    /** From the Certificate message when there was one (so a rejected chain too), else from the session. */
    private static List<CertificateInfo> peerChain(HandshakeCapture c, String protocol, List<String> errors) {
        ByteBuffer message = c.peerCertificateMessage();
        if (message == null) {
            return Certificates.summaries(c.sessionPeerCertificates());
        }
        CertificateMessage<CertificateInfo> chain = CertificateMessage.summaries(message, "TLSv1.3".equals(protocol));
        note(errors, "certificate", chain.parseError());
        return chain.certificates();
    }

    /**
     * The scheme of the peer's signature: the first two bytes of a CertificateVerify; in a ServerKeyExchange, after
     * the (EC)DHE parameters.
     */
    static String peerSignatureScheme(ByteBuffer signature, HandshakeType type, String cipherSuite) {
        if (signature == null) {
            return null;
        }
        ByteBuffer b = signature.duplicate();
        int base = b.position();
        int length = b.remaining();
        int at;
        if (type == HandshakeType.CERTIFICATE_VERIFY) {
            at = 0;
        } else if (cipherSuite != null && cipherSuite.contains("_ECDHE_")) {
            at = length > 3 ? 4 + u8(b, base + 3) : -1; // curve_type, named_curve(2), point<1..255>
        } else if (cipherSuite != null && cipherSuite.contains("_DHE_")) {
            at = 0;
            for (int i = 0; i < 3 && at >= 0; i++) { // dh_p, dh_g, dh_Ys, each <1..2^16-1>
                at = at + 2 <= length ? at + 2 + ((u8(b, base + at) << 8) | u8(b, base + at + 1)) : -1;
            }
        } else {
            return null;
        }
        if (at < 0 || at + 2 > length) {
            return null;
        }
        return TlsNames.signatureScheme((u8(b, base + at) << 8) | u8(b, base + at + 1));
    }

    private static int u8(ByteBuffer b, int index) {
        return b.get(index) & 0xFF;
    }
}
