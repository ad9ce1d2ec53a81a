package io.tlsagent.capture;

import io.tlsagent.anatomy.ServerHelloParser;
import io.tlsagent.anatomy.TlsNames;
import io.tlsagent.bootstrap.PublicApiEvents;
import io.tlsagent.record.HandshakeCapture;
import io.tlsagent.record.HandshakeMessage;
import io.tlsagent.record.HandshakeType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One handshake of an engine other than SunJSSE, read from the plaintext records it produced and consumed (a
 * {@link RecordReader} per direction): its message timeline and copies of the messages the anatomy is made of (the
 * first ClientHello, the HelloRetryRequest and the ServerHello, and, plaintext only before TLS 1.3, the peer's
 * Certificate, the ServerKeyExchange and the start of the peer's CertificateVerify). Nothing is parsed here but
 * whether a ServerHello is a HelloRetryRequest and selects TLS 1.3, which says where plaintext ends. Never keeps
 * session IDs, tickets or keys on their own: the hellos hold them, and their parser reports only presence and
 * length. Bounded: each kept message by its cap, the timeline by {@link SunJsseHandshake#MAX_MESSAGES}.
 */
final class WireHandshake {

    /** Why a handshake's plaintext was not read to its end (the start of its note): an SSLv2-format ClientHello. */
    static final String SSLV2_HELLO = "sslv2_hello";
    /** Bytes that are no TLS record. */
    static final String NOT_TLS = "not_tls";
    /** A message over its cap (kept messages only; the rest of the handshake is still read). */
    static final String OVERSIZED = "oversized";
    /** Bytes the agent could not place in the call's buffers. */
    static final String UNTRACKED = "untracked";

    private static final int MAX_NOTES = 4;

    private final long startNanos;
    private final RecordReader outbound = new RecordReader(this, true);
    private final RecordReader inbound = new RecordReader(this, false);
    private final List<HandshakeMessage> messages = new ArrayList<>(8);
    private List<String> notes = List.of();
    /** The result last read: delegating overloads of wrap/unwrap report the innermost call's result again. */
    private Object lastResult;

    private byte[] clientHello;
    private byte[] helloRetryRequest;
    private byte[] serverHello;
    private boolean serverHelloSeen;
    /** The direction the server's messages go (that of its ServerHello). */
    private boolean serverOutbound;
    private boolean tls13;
    private boolean pskAccepted;
    private int keyShareGroup = -1;
    private boolean serverCertificate;
    private byte[] peerCertificate;
    private byte[] keyExchange;
    private byte[] peerSignature;
    private HandshakeType peerSignatureType;
    private int alert = -1;
    private boolean alertReceived;

    WireHandshake(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Reads bytes {@code [position - count, position)} of {@code buffer}, once per result. */
    synchronized void read(Object result, boolean wrap, ByteBuffer buffer, int count, long nanoTime) {
        if (count <= 0 || buffer == null || result == lastResult) {
            return;
        }
        lastResult = result;
        RecordReader reader = wrap ? outbound : inbound;
        int end = buffer.position();
        if (end - count < 0) {
            reader.stop(UNTRACKED, "bytes not found in the buffer");
            return;
        }
        reader.read(buffer, end - count, end, nanoTime);
    }

    /**
     * Reads the {@code count} bytes an unwrap consumed from {@code srcs[offset, offset + length)}, each buffer from the
     * position it had when the call began: the first four's as arguments, more from the bridge's per-thread array.
     */
    synchronized void readUnwrapped(Object result, ByteBuffer[] srcs, int offset, int length, int position0,
            int position1, int position2, int position3, int count, long nanoTime) {
        if (count <= 0 || result == lastResult) {
            return;
        }
        lastResult = result;
        int[] more = length > 4 ? PublicApiEvents.startPositions() : null;
        if (length > 4 && (more == null || length > PublicApiEvents.MAX_TRACKED_BUFFERS || more.length < length)) {
            inbound.stop(UNTRACKED, "unwrap from " + length + " buffers");
            return;
        }
        int left = count;
        for (int k = 0; k < length && left > 0 && !inbound.stopped(); k++) {
            ByteBuffer b = srcs[offset + k];
            int from = more != null ? more[k]
                    : k == 0 ? position0 : k == 1 ? position1 : k == 2 ? position2 : position3;
            int to = b.position();
            if (to < from || to - from > left) {
                inbound.stop(UNTRACKED, "bytes not found in the buffers");
                return;
            }
            inbound.read(b, from, to, nanoTime);
            left -= to - from;
        }
    }

    /** Whether the message about to be read is kept (the reader then copies its body). */
    boolean keeps(int code, boolean outbound, int length) {
        HandshakeType type = HandshakeType.of(code);
        if (type == null) {
            return false;
        }
        boolean wanted;
        int max = SunJsseHandshake.MAX_HELLO;
        switch (type) {
            case CLIENT_HELLO:
                wanted = clientHello == null;
                break;
            case SERVER_HELLO:
                wanted = serverHello == null;
                break;
            case CERTIFICATE:
                wanted = !outbound && peerCertificate == null;
                max = SunJsseHandshake.MAX_CERTIFICATE;
                break;
            case SERVER_KEY_EXCHANGE: // either way: the server's own holds the group too
                wanted = keyExchange == null;
                break;
            case CERTIFICATE_VERIFY:
                wanted = !outbound && peerSignature == null;
                break;
            default:
                wanted = false;
        }
        if (wanted && length > max) {
            unread(OVERSIZED, HandshakeType.name(code) + " of " + length + " bytes, not kept");
            return false;
        }
        return wanted;
    }

    /** A whole message; {@code body} is its copy when {@link #keeps} said so, else null. */
    void message(int code, boolean outbound, byte[] body, long nanoTime) {
        if (messages.size() < SunJsseHandshake.MAX_MESSAGES) {
            messages.add(HandshakeMessage.at(code, outbound, startNanos, nanoTime));
        }
        HandshakeType type = HandshakeType.of(code);
        if (type == HandshakeType.SERVER_HELLO) {
            serverOutbound = outbound;
            serverHello(body);
        } else if (type == HandshakeType.CERTIFICATE && serverHelloSeen && outbound == serverOutbound) {
            serverCertificate = true;
        }
        if (body == null || type == null) {
            return;
        }
        switch (type) {
            case CLIENT_HELLO:
                clientHello = body;
                break;
            case CERTIFICATE:
                peerCertificate = body;
                break;
            case SERVER_KEY_EXCHANGE:
                keyExchange = body;
                if (!outbound) {
                    peerSignature = body;
                    peerSignatureType = HandshakeType.SERVER_KEY_EXCHANGE;
                }
                break;
            case CERTIFICATE_VERIFY:
                peerSignature = body.length > SunJsseHandshake.CERTIFICATE_VERIFY_KEPT
                        ? Arrays.copyOf(body, SunJsseHandshake.CERTIFICATE_VERIFY_KEPT) : body;
                peerSignatureType = HandshakeType.CERTIFICATE_VERIFY;
                break;
            default:
                break;
        }
    }

    private void serverHello(byte[] body) {
        if (body == null) {
            serverHelloSeen = true; // too large to keep: then taken for TLS 1.2, whose plaintext ends sooner
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        if (ServerHelloParser.isHelloRetryRequest(b)) {
            if (helloRetryRequest == null) {
                helloRetryRequest = body;
            }
            tls13 = true;
            return;
        }
        serverHello = body;
        serverHelloSeen = true;
        int shape = ServerHelloParser.shape(b);
        tls13 = ServerHelloParser.selectsTls13(shape);
        pskAccepted = ServerHelloParser.acceptsPsk(shape);
        keyShareGroup = ServerHelloParser.keyShareGroup(shape);
    }

    /**
     * The key-exchange group: the final ServerHello's key_share (TLS 1.3), else the ServerKeyExchange's named curve
     * ({@code ecdhe}: the suite's key exchange is ECDHE, TLS 1.2 and earlier); null when neither names one (a TLS 1.2
     * resumption, TLS 1.3 PSK-only, DHE or RSA key exchange).
     */
    synchronized String group(boolean ecdhe) {
        if (keyShareGroup >= 0) {
            return TlsNames.group(keyShareGroup);
        }
        byte[] ske = keyExchange;
        if (ecdhe && ske != null && ske.length >= 3 && (ske[0] & 0xFF) == 3) { // curve_type named_curve
            return TlsNames.group(((ske[1] & 0xFF) << 8) | (ske[2] & 0xFF));
        }
        return null;
    }

    /**
     * Whether the session was resumed, as the plaintext shows it: a TLS 1.3 ServerHello that accepted a pre-shared
     * key; a TLS 1.2 (or older) server that went from its ServerHello to its ChangeCipherSpec without a Certificate
     * (the abbreviated handshake; {@code certificateSuite}: the suite authenticates with one, i.e. not PSK or
     * anonymous). Null when its ServerHello was not read.
     */
    synchronized Boolean resumed(boolean certificateSuite) {
        if (serverHello == null) {
            return null;
        }
        if (tls13) {
            return pskAccepted;
        }
        return certificateSuite && notes.isEmpty() ? !serverCertificate : null; // all of its flight read
    }

    /**
     * Whether records after a ChangeCipherSpec may still be plaintext: in TLS 1.3 (a compatibility dummy), and before
     * any ServerHello (a client's early CCS); in TLS 1.2 and earlier what follows it is encrypted.
     */
    boolean plaintextAfterChangeCipherSpec() {
        return tls13 || !serverHelloSeen;
    }

    void alert(int description, boolean outbound) {
        if (alert < 0) {
            alert = description;
            alertReceived = !outbound;
        }
    }

    /** Something was left unread: {@code reason} one of the constants above, {@code detail} for the log. */
    void unread(String reason, String detail) {
        if (notes.size() < MAX_NOTES) {
            if (notes.isEmpty()) {
                notes = new ArrayList<>(2);
            }
            notes.add(reason + ": " + detail);
        }
    }

    /** Whether nothing was left unread (an end of plaintext is not "unread"). */
    synchronized boolean readWhole() {
        return notes.isEmpty();
    }

    synchronized List<HandshakeMessage> messages() {
        return List.copyOf(messages);
    }

    /** What was kept, for the export thread's anatomy; the arrays are handed over (this handshake is done). */
    synchronized HandshakeCapture.Builder captured() {
        return HandshakeCapture.builder().messagesSeen(!messages.isEmpty() || !notes.isEmpty())
                .clientHello(clientHello).helloRetryRequest(helloRetryRequest).serverHello(serverHello)
                .peerCertificateMessage(peerCertificate).keyExchange(keyExchange)
                .peerSignature(peerSignature, peerSignatureType)
                .wireNotes(List.copyOf(notes));
    }

    /** The name of the first plaintext alert either side sent, or null. */
    synchronized String alertName() {
        return alert >= 0 ? TlsNames.alert(alert) : null;
    }

    /** Whether that alert came from the peer. */
    synchronized boolean alertReceived() {
        return alertReceived;
    }
}
