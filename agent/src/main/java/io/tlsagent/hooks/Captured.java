package io.tlsagent.hooks;

import java.nio.ByteBuffer;

/**
 * The raw handshake messages one handshake keeps for its anatomy: bodies only (no 4-byte header), copied and
 * bounded. Never session IDs or tickets on their own: a ClientHello holds them, and its parser reports only their
 * presence and length. Written by the handshake's threads, read once at its end.
 */
final class Captured {

    static final int MAX_HELLO = 64 * 1024;
    static final int MAX_CERTIFICATE = 256 * 1024;

    byte[] clientHello;
    byte[] serverHello;
    byte[] peerCertificate;
    /** The first bytes of the peer's CertificateVerify (TLS 1.2/1.3) or the whole ServerKeyExchange. */
    byte[] peerSignature;
    int peerSignatureType;
    String localSignatureScheme;
    long trustStartNanos = -1;
    long trustNanos = -1;
    boolean trustFailed;

    /** Keeps the body of an interesting message, the first of each kind only (a HelloRetryRequest repeats them). */
    synchronized void keep(int type, boolean outbound, ByteBuffer body) {
        switch (type) {
            case 1:
                if (clientHello == null) {
                    clientHello = copy(body, MAX_HELLO);
                }
                break;
            case 2:
                if (serverHello == null) {
                    serverHello = copy(body, MAX_HELLO);
                }
                break;
            case 11:
                if (!outbound && peerCertificate == null) {
                    peerCertificate = copy(body, MAX_CERTIFICATE);
                }
                break;
            case 12:
            case 15:
                if (!outbound && peerSignature == null) {
                    peerSignature = copy(body, MAX_HELLO);
                    peerSignatureType = type;
                }
                break;
            default:
                break;
        }
    }

    static boolean interesting(int type, boolean outbound) {
        return type == 1 || type == 2 || (!outbound && (type == 11 || type == 12 || type == 15));
    }

    synchronized void trustStarted(long nanoTime) {
        trustStartNanos = nanoTime;
    }

    synchronized void trustEnded(boolean failed, long nanoTime) {
        if (trustStartNanos >= 0 && trustNanos < 0) {
            trustNanos = nanoTime - trustStartNanos;
            trustFailed = failed;
        }
    }

    private static byte[] copy(ByteBuffer body, int max) {
        ByteBuffer b = body.duplicate();
        if (b.remaining() > max) {
            return null; // larger than any sane message: not kept, the anatomy says so
        }
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
