package io.tlsagent.record;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the handshake's own thread took while the JDK's objects were live, raw, for the agent's export thread to
 * turn into the {@link HandshakeAnatomy} and the peer's certificate summary: copies of the messages it keeps
 * (bodies without the 4-byte header, null where not seen or too large), references to the certificates of the
 * session (immutable objects the session holds anyway), and the trust manager's time. Nothing here was parsed,
 * hashed or formatted. Immutable: the arrays are this value's own and only read-only views leave it.
 */
public final class HandshakeCapture {

    /** What a record costs beside its byte arrays, for the export queue's bound in bytes (an estimate). */
    static final int FIXED_WEIGHT = 1024;
    /** The weight of one referenced certificate: the session holds it anyway, the queue only delays its release. */
    static final int CERTIFICATE_WEIGHT = 256;

    private final boolean messagesSeen;
    private final byte[] clientHello;
    private final byte[] serverHello;
    private final byte[] helloRetryRequest;
    private final byte[] keyExchange;
    private final List<String> wireNotes;
    private final byte[] peerCertificateMessage;
    private final byte[] peerSignature;
    private final HandshakeType peerSignatureType;
    private final String localSignatureScheme;
    private final long trustCheckNanos;
    private final boolean trustCheckFailed;
    private final List<X509Certificate> sessionPeerCertificates;
    private final List<X509Certificate> localCertificates;

    private HandshakeCapture(Builder b) {
        this.messagesSeen = b.messagesSeen;
        this.clientHello = b.clientHello;
        this.serverHello = b.serverHello;
        this.helloRetryRequest = b.helloRetryRequest;
        this.keyExchange = b.keyExchange;
        this.wireNotes = List.copyOf(b.wireNotes);
        this.peerCertificateMessage = b.peerCertificateMessage;
        this.peerSignature = b.peerSignature;
        this.peerSignatureType = b.peerSignatureType;
        this.localSignatureScheme = b.localSignatureScheme;
        this.trustCheckNanos = b.trustCheckNanos;
        this.trustCheckFailed = b.trustCheckFailed;
        this.sessionPeerCertificates = List.copyOf(b.sessionPeerCertificates);
        this.localCertificates = List.copyOf(b.localCertificates);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the handshake's messages were followed (SunJSSE's deep hooks, or another engine's plaintext records
     * on the wire): then the record gets an anatomy, even an empty one; without, none.
     */
    public boolean messagesSeen() {
        return messagesSeen;
    }

    /** The ClientHello body this side sent or received, or null. */
    public ByteBuffer clientHello() {
        return view(clientHello);
    }

    /** The final ServerHello body (not a HelloRetryRequest, where the reader of the wire tells them apart), or null. */
    public ByteBuffer serverHello() {
        return view(serverHello);
    }

    /** The HelloRetryRequest body, or null (read from the wire; SunJSSE's capture keeps the first ServerHello). */
    public ByteBuffer helloRetryRequest() {
        return view(helloRetryRequest);
    }

    /** The ServerKeyExchange body, sent or received (TLS 1.2 and earlier, read from the wire), or null. */
    public ByteBuffer keyExchange() {
        return view(keyExchange);
    }

    /** Why reading the handshake from the wire stopped early or left something out; empty when it did not. */
    public List<String> wireNotes() {
        return wireNotes;
    }

    /** The peer's Certificate message body (so also a chain the trust manager rejected), or null. */
    public ByteBuffer peerCertificateMessage() {
        return view(peerCertificateMessage);
    }

    /** The start of the peer's CertificateVerify, or its whole ServerKeyExchange; null when none arrived. */
    public ByteBuffer peerSignature() {
        return view(peerSignature);
    }

    /** {@link HandshakeType#CERTIFICATE_VERIFY} or {@link HandshakeType#SERVER_KEY_EXCHANGE}; null without one. */
    public HandshakeType peerSignatureType() {
        return peerSignatureType;
    }

    /** The scheme of this side's own signature, as SunJSSE named it, or null. */
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

    /** The peer's chain as the established session holds it, leaf first; empty for a failure or none shown. */
    public List<X509Certificate> sessionPeerCertificates() {
        return sessionPeerCertificates;
    }

    /** The chain this side presented (successful handshakes), leaf first. */
    public List<X509Certificate> localCertificates() {
        return localCertificates;
    }

    /** About what holding this value costs, in bytes: what bounds the export queue. */
    public int weight() {
        return FIXED_WEIGHT + length(clientHello) + length(serverHello) + length(helloRetryRequest)
                + length(keyExchange) + length(peerCertificateMessage)
                + (peerSignature == keyExchange ? 0 : length(peerSignature))
                + CERTIFICATE_WEIGHT * (sessionPeerCertificates.size() + localCertificates.size());
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static ByteBuffer view(byte[] b) {
        return b == null ? null : ByteBuffer.wrap(b).asReadOnlyBuffer();
    }

    /** Collects a capture; the arrays handed to it become the capture's own (the caller made them). */
    public static final class Builder {
        private boolean messagesSeen;
        private byte[] clientHello;
        private byte[] serverHello;
        private byte[] helloRetryRequest;
        private byte[] keyExchange;
        private List<String> wireNotes = List.of();
        private byte[] peerCertificateMessage;
        private byte[] peerSignature;
        private HandshakeType peerSignatureType;
        private String localSignatureScheme;
        private long trustCheckNanos = -1;
        private boolean trustCheckFailed;
        private List<X509Certificate> sessionPeerCertificates = List.of();
        private List<X509Certificate> localCertificates = List.of();

        private Builder() {}

        public Builder messagesSeen(boolean v) { messagesSeen = v; return this; }
        public Builder clientHello(byte[] v) { clientHello = v; return this; }
        public Builder serverHello(byte[] v) { serverHello = v; return this; }
        public Builder helloRetryRequest(byte[] v) { helloRetryRequest = v; return this; }
        public Builder keyExchange(byte[] v) { keyExchange = v; return this; }
        public Builder wireNotes(List<String> v) { wireNotes = v; return this; }

        public Builder peerCertificateMessage(byte[] v) { peerCertificateMessage = v; return this; }
        public Builder peerSignature(byte[] v, HandshakeType type) {
            peerSignature = v;
            peerSignatureType = type;
            return this;
        }
        public Builder localSignatureScheme(String v) { localSignatureScheme = v; return this; }
        public Builder trustCheck(long nanos, boolean failed) {
            trustCheckNanos = nanos;
            trustCheckFailed = failed;
            return this;
        }
        public Builder sessionPeerCertificates(List<X509Certificate> v) { sessionPeerCertificates = v; return this; }
        public Builder localCertificates(List<X509Certificate> v) { localCertificates = v; return this; }

        public HandshakeCapture build() {
            return new HandshakeCapture(this);
        }
    }
}
