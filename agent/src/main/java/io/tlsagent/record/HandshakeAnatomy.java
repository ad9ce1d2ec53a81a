package io.tlsagent.record;

import java.util.List;
import java.util.Set;

/**
 * What a handshake's messages showed (SunJSSE's, or the plaintext ones other engines' wire carried): the ClientHello and its fingerprints, the ServerHello's,
 * the certificate chains, the signature schemes, the trust manager's time, and weak-configuration findings.
 * Immutable; absent parts are null (or empty lists).
 */
public final class HandshakeAnatomy {

    private final ClientHello clientHello;
    private final String clientHelloId;
    private final String ja3;
    private final String ja3Md5;
    private final String ja4;
    private final ServerHello serverHello;
    private final String helloRetryGroup;
    private final String ja3s;
    private final String ja3sMd5;
    private final List<CertificateInfo> peerChain;
    private final List<CertificateInfo> localChain;
    private final String peerChainId;
    private final String localChainId;
    private final String peerSignatureScheme;
    private final String localSignatureScheme;
    private final long trustCheckNanos;
    private final boolean trustCheckFailed;
    private final Set<Finding> findings;
    private final List<String> parseErrors;

    private HandshakeAnatomy(Builder b) {
        this.clientHello = b.clientHello;
        this.clientHelloId = b.clientHelloId;
        this.ja3 = b.ja3;
        this.ja3Md5 = b.ja3Md5;
        this.ja4 = b.ja4;
        this.serverHello = b.serverHello;
        this.helloRetryGroup = b.helloRetryGroup;
        this.ja3s = b.ja3s;
        this.ja3sMd5 = b.ja3sMd5;
        this.peerChain = List.copyOf(b.peerChain);
        this.localChain = List.copyOf(b.localChain);
        this.peerChainId = b.peerChainId;
        this.localChainId = b.localChainId;
        this.peerSignatureScheme = b.peerSignatureScheme;
        this.localSignatureScheme = b.localSignatureScheme;
        this.trustCheckNanos = b.trustCheckNanos;
        this.trustCheckFailed = b.trustCheckFailed;
        this.findings = Set.copyOf(b.findings);
        this.parseErrors = List.copyOf(b.parseErrors);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The ClientHello this JVM sent (client) or received (server); null when not captured. */
    public ClientHello clientHello() {
        return clientHello;
    }

    /**
     * Names the client's offer: equal for ClientHellos that differ only in their per-connection parts (random,
     * session ID, key shares, PSK identities and binders, tickets, padding); null without a ClientHello.
     */
    public String clientHelloId() {
        return clientHelloId;
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

    /** The group a HelloRetryRequest asked the client for (a round trip more), or null when there was none. */
    public String helloRetryGroup() {
        return helloRetryGroup;
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

    /** Names the peer's chain (equal for the same certificates in the same order); null when it is empty. */
    public String peerChainId() {
        return peerChainId;
    }

    /** Names this side's chain; null when it is empty. */
    public String localChainId() {
        return localChainId;
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

    /** Collects a handshake's anatomy; not thread-safe. */
    public static final class Builder {
        private ClientHello clientHello;
        private String clientHelloId;
        private String ja3;
        private String ja3Md5;
        private String ja4;
        private ServerHello serverHello;
        private String helloRetryGroup;
        private String ja3s;
        private String ja3sMd5;
        private List<CertificateInfo> peerChain = List.of();
        private List<CertificateInfo> localChain = List.of();
        private String peerChainId;
        private String localChainId;
        private String peerSignatureScheme;
        private String localSignatureScheme;
        private long trustCheckNanos = -1;
        private boolean trustCheckFailed;
        private Set<Finding> findings = Set.of();
        private List<String> parseErrors = List.of();

        private Builder() {}

        public Builder clientHello(ClientHello v) { clientHello = v; return this; }
        public Builder clientHelloId(String v) { clientHelloId = v; return this; }
        public Builder ja3(String v) { ja3 = v; return this; }
        public Builder ja3Md5(String v) { ja3Md5 = v; return this; }
        public Builder ja4(String v) { ja4 = v; return this; }
        public Builder serverHello(ServerHello v) { serverHello = v; return this; }
        public Builder helloRetryGroup(String v) { helloRetryGroup = v; return this; }

        public Builder ja3s(String v) { ja3s = v; return this; }
        public Builder ja3sMd5(String v) { ja3sMd5 = v; return this; }
        public Builder peerChain(List<CertificateInfo> v) { peerChain = v; return this; }
        public Builder localChain(List<CertificateInfo> v) { localChain = v; return this; }
        public Builder peerChainId(String v) { peerChainId = v; return this; }
        public Builder localChainId(String v) { localChainId = v; return this; }
        public Builder peerSignatureScheme(String v) { peerSignatureScheme = v; return this; }
        public Builder localSignatureScheme(String v) { localSignatureScheme = v; return this; }
        public Builder trustCheckNanos(long v) { trustCheckNanos = v; return this; }
        public Builder trustCheckFailed(boolean v) { trustCheckFailed = v; return this; }
        public Builder findings(Set<Finding> v) { findings = v; return this; }
        public Builder parseErrors(List<String> v) { parseErrors = v; return this; }

        public HandshakeAnatomy build() {
            return new HandshakeAnatomy(this);
        }
    }
}
