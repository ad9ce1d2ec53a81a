package io.tlsagent.record;

import io.tlsagent.anatomy.CertificateInfo;
import io.tlsagent.anatomy.ClientHello;
import io.tlsagent.anatomy.Finding;
import io.tlsagent.anatomy.ServerHello;
import java.util.List;
import java.util.Set;

/**
 * What a handshake's messages showed (SunJSSE only): the ClientHello and its fingerprints, the ServerHello's,
 * the certificate chains, the signature schemes, the trust manager's time, and weak-configuration findings.
 * Immutable; absent parts are null (or empty lists).
 */
public final class HandshakeAnatomy {

    private final ClientHello clientHello;
    private final String ja3;
    private final String ja3Md5;
    private final String ja4;
    private final ServerHello serverHello;
    private final String ja3s;
    private final String ja3sMd5;
    private final List<CertificateInfo> peerChain;
    private final List<CertificateInfo> localChain;
    private final String peerSignatureScheme;
    private final String localSignatureScheme;
    private final long trustCheckNanos;
    private final boolean trustCheckFailed;
    private final Set<Finding> findings;
    private final List<String> parseErrors;

    public HandshakeAnatomy(ClientHello clientHello, String ja3, String ja3Md5, String ja4, ServerHello serverHello,
            String ja3s, String ja3sMd5, List<CertificateInfo> peerChain, List<CertificateInfo> localChain,
            String peerSignatureScheme, String localSignatureScheme, long trustCheckNanos, boolean trustCheckFailed,
            Set<Finding> findings, List<String> parseErrors) {
        this.clientHello = clientHello;
        this.ja3 = ja3;
        this.ja3Md5 = ja3Md5;
        this.ja4 = ja4;
        this.serverHello = serverHello;
        this.ja3s = ja3s;
        this.ja3sMd5 = ja3sMd5;
        this.peerChain = List.copyOf(peerChain);
        this.localChain = List.copyOf(localChain);
        this.peerSignatureScheme = peerSignatureScheme;
        this.localSignatureScheme = localSignatureScheme;
        this.trustCheckNanos = trustCheckNanos;
        this.trustCheckFailed = trustCheckFailed;
        this.findings = Set.copyOf(findings);
        this.parseErrors = List.copyOf(parseErrors);
    }

    /** The ClientHello this JVM sent (client) or received (server); null when not captured. */
    public ClientHello clientHello() {
        return clientHello;
    }

    /** JA3 string of the ClientHello (GREASE removed). */
    public String ja3() {
        return ja3;
    }

    public String ja3Md5() {
        return ja3Md5;
    }

    /** JA4 (TLS client) fingerprint of the ClientHello. */
    public String ja4() {
        return ja4;
    }

    public ServerHello serverHello() {
        return serverHello;
    }

    public String ja3s() {
        return ja3s;
    }

    public String ja3sMd5() {
        return ja3sMd5;
    }

    /** The chain the peer presented, leaf first; from its Certificate message, so also when it was rejected. */
    public List<CertificateInfo> peerChain() {
        return peerChain;
    }

    /** The chain this side presented (successful handshakes). */
    public List<CertificateInfo> localChain() {
        return localChain;
    }

    /** Scheme of the peer's CertificateVerify or ServerKeyExchange signature. */
    public String peerSignatureScheme() {
        return peerSignatureScheme;
    }

    /** Scheme of this side's CertificateVerify or ServerKeyExchange signature. */
    public String localSignatureScheme() {
        return localSignatureScheme;
    }

    /** Time in the trust manager's check of the peer's chain; -1 when no check ran. */
    public long trustCheckNanos() {
        return trustCheckNanos;
    }

    public boolean trustCheckFailed() {
        return trustCheckFailed;
    }

    public Set<Finding> findings() {
        return findings;
    }

    /** What could not be parsed (hostile or unexpected bytes); empty when all was understood. */
    public List<String> parseErrors() {
        return parseErrors;
    }
}
