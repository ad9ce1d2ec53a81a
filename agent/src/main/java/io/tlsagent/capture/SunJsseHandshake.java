package io.tlsagent.capture;

import io.tlsagent.anatomy.ServerHelloParser;
import io.tlsagent.record.HandshakeCapture;
import io.tlsagent.record.HandshakeMessage;
import io.tlsagent.record.HandshakeType;
import io.tlsagent.record.TraceContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One SunJSSE handshake between its first message and its end: when it started, its message timeline, and the
 * raw messages kept for its anatomy (bodies only, without the 4-byte header, copied and bounded; never session
 * IDs or tickets on their own: a ClientHello holds them, and its parser reports only their presence and length).
 * Nothing is parsed here: the export thread does that ({@code anatomy/AnatomyAssembler}).
 * Holds no reference to the JDK's objects. Written by the handshake's threads (SSLEngine's delegated tasks may run
 * elsewhere), read once at its end by the thread that ends it.
 */
final class SunJsseHandshake {

    static final int MAX_MESSAGES = 32;
    static final int MAX_HELLO = 64 * 1024;
    static final int MAX_CERTIFICATE = 256 * 1024;
    /** Of a CertificateVerify only its signature scheme is read: the first two bytes. */
    static final int CERTIFICATE_VERIFY_KEPT = 2;

    final long startNanos;
    /** Its span ({@code HandshakeSpans}: the JFR event begun with it), or null. */
    final Object span;
    private boolean ended;
    private final List<HandshakeMessage> messages = new ArrayList<>(16);

    private byte[] clientHello;
    private byte[] serverHello;
    private byte[] helloRetryRequest;
    private byte[] peerCertificate;
    /** The first bytes of the peer's CertificateVerify (TLS 1.2/1.3) or the whole ServerKeyExchange. */
    private byte[] peerSignature;
    private HandshakeType peerSignatureType;
    private String localSignatureScheme;
    private long trustStartNanos = -1;
    private long trustNanos = -1;
    private boolean trustFailed;

    private volatile boolean traceRead;
    private volatile TraceContext trace;

    SunJsseHandshake(long startNanos, Object span) {
        this.startNanos = startNanos;
        this.span = span;
    }

    /** Whether the span current at the ClientHello was read already (a retried ClientHello keeps the first). */
    boolean traceRead() {
        return traceRead;
    }

    void trace(TraceContext current) {
        trace = current;
        traceRead = true;
    }

    /** The span current where this client handshake started; null when none was. */
    TraceContext trace() {
        return trace;
    }

    /** True for the first caller only: the one that reports this handshake. */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    /** Adds a message to the timeline; a handshake never has more than a few, so more is ignored. */
    synchronized void message(int type, boolean outbound, long nanoTime) {
        if (messages.size() < MAX_MESSAGES) {
            messages.add(HandshakeMessage.at(type, outbound, startNanos, nanoTime));
        }
    }

    synchronized List<HandshakeMessage> messages() {
        return List.copyOf(messages);
    }

    /** Whether a message's body is kept for the anatomy: the hellos, and what the peer proves itself with. */
    static boolean kept(HandshakeType type, boolean outbound) {
        return type == HandshakeType.CLIENT_HELLO || type == HandshakeType.SERVER_HELLO
                || (!outbound && (type == HandshakeType.CERTIFICATE || type == HandshakeType.SERVER_KEY_EXCHANGE
                        || type == HandshakeType.CERTIFICATE_VERIFY));
    }

    /**
     * Keeps a copy of the body of a kept message (the JDK's buffer, which it reuses), the first of each kind only
     * (a HelloRetryRequest repeats them); a HelloRetryRequest apart from the ServerHello.
     */
    synchronized void keep(HandshakeType type, boolean outbound, ByteBuffer body) {
        switch (type) {
            case CLIENT_HELLO:
                if (clientHello == null) {
                    clientHello = copy(body, MAX_HELLO, MAX_HELLO);
                }
                break;
            case SERVER_HELLO:
                if (ServerHelloParser.isHelloRetryRequest(body)) {
                    if (helloRetryRequest == null) {
                        helloRetryRequest = copy(body, MAX_HELLO, MAX_HELLO);
                    }
                } else if (serverHello == null) {
                    serverHello = copy(body, MAX_HELLO, MAX_HELLO);
                }
                break;
            case CERTIFICATE:
                if (!outbound && peerCertificate == null) {
                    peerCertificate = copy(body, MAX_CERTIFICATE, MAX_CERTIFICATE);
                }
                break;
            case SERVER_KEY_EXCHANGE:
                if (!outbound && peerSignature == null) {
                    peerSignature = copy(body, MAX_HELLO, MAX_HELLO);
                    peerSignatureType = type;
                }
                break;
            case CERTIFICATE_VERIFY:
                if (!outbound && peerSignature == null) {
                    peerSignature = copy(body, Integer.MAX_VALUE, CERTIFICATE_VERIFY_KEPT);
                    peerSignatureType = type;
                }
                break;
            default:
                break;
        }
    }

    synchronized void localSignatureScheme(String scheme) {
        localSignatureScheme = scheme;
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

    /** What was kept, raw, for the export thread's anatomy; the arrays are handed over (this state is done). */
    synchronized HandshakeCapture.Builder captured() {
        return HandshakeCapture.builder().messagesSeen(true)
                .clientHello(clientHello).serverHello(serverHello).helloRetryRequest(helloRetryRequest)
                .peerCertificateMessage(peerCertificate)
                .peerSignature(peerSignature, peerSignatureType).localSignatureScheme(localSignatureScheme)
                .trustCheck(trustNanos, trustFailed);
    }

    /** The first {@code keep} bytes of the body; null when it is longer than {@code max} (not kept, said later). */
    private static byte[] copy(ByteBuffer body, int max, int keep) {
        ByteBuffer b = body.duplicate();
        if (b.remaining() > max) {
            return null;
        }
        byte[] bytes = new byte[Math.min(b.remaining(), keep)];
        b.get(bytes);
        return bytes;
    }
}
