package io.tlsagent.capture;

import io.tlsagent.record.HandshakeType;

/**
 * The raw handshake messages one handshake kept for its anatomy, and the trust manager's time: bodies without the
 * 4-byte header, null where not seen (or too large to keep). Immutable once made; the arrays are not shared.
 */
public final class CapturedMessages {

    final byte[] clientHello;
    final byte[] serverHello;
    final byte[] peerCertificate;
    final byte[] peerSignature;
    final HandshakeType peerSignatureType;
    final String localSignatureScheme;
    final long trustNanos;
    final boolean trustFailed;

    public CapturedMessages(byte[] clientHello, byte[] serverHello, byte[] peerCertificate, byte[] peerSignature,
            HandshakeType peerSignatureType, String localSignatureScheme, long trustNanos, boolean trustFailed) {
        this.clientHello = clientHello;
        this.serverHello = serverHello;
        this.peerCertificate = peerCertificate;
        this.peerSignature = peerSignature;
        this.peerSignatureType = peerSignatureType;
        this.localSignatureScheme = localSignatureScheme;
        this.trustNanos = trustNanos;
        this.trustFailed = trustFailed;
    }
}
