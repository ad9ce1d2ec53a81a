package io.tlsagent.capture;

import java.nio.ByteBuffer;

/**
 * One direction of a handshake as TLS records on the wire, read from the bytes an engine produced or consumed, in
 * whatever pieces they come (a record across calls, several records in one call): the record layer is followed
 * byte by byte, the handshake messages inside are handed whole to the {@link WireHandshake}. Only the plaintext
 * part is read: it stops at the first encrypted record (application data; in TLS 1.2 and earlier whatever follows a
 * ChangeCipherSpec), at a fatal alert, and at anything that is not a TLS record (an SSLv2-format hello included).
 * Nothing is buffered but the 5-byte record header, the 4-byte message header, and the body of a message the
 * handshake keeps.
 */
final class RecordReader {

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    /** RFC 8446 5.2: a record is at most 2^14 bytes plus what protection adds. */
    static final int MAX_RECORD = (1 << 14) + 256;

    private final WireHandshake handshake;
    private final boolean outbound;
    private boolean started;
    private boolean stopped;

    private final byte[] recordHeader = new byte[5];
    private int recordHeaderFill;
    private int recordType;
    private int recordLeft;

    private final byte[] messageHeader = new byte[4];
    private int messageHeaderFill;
    private int messageType;
    private int messageLeft;
    /** The body of the message being read when it is kept; null while skipping one. */
    private byte[] body;
    private int bodyFill;
    private final byte[] alert = new byte[2];
    private int alertFill;

    RecordReader(WireHandshake handshake, boolean outbound) {
        this.handshake = handshake;
        this.outbound = outbound;
    }

    boolean stopped() {
        return stopped;
    }

    /**
     * Stops reading this direction; {@code reason} (one of {@link WireHandshake}'s, null for a normal end) and
     * {@code detail} go to the record.
     */
    void stop(String reason, String detail) {
        if (!stopped) {
            stopped = true;
            if (reason != null) {
                handshake.unread(reason, (outbound ? "outbound " : "inbound ") + detail);
            }
        }
    }

    /** Reads bytes {@code [from, to)} of {@code buffer} (absolute: its position and limit are left alone). */
    void read(ByteBuffer buffer, int from, int to, long nanoTime) {
        int i = from;
        while (i < to && !stopped) {
            if (recordLeft == 0) {
                i = recordHeader(buffer, i, to);
                continue;
            }
            int n = Math.min(to - i, recordLeft);
            if (recordType == HANDSHAKE) {
                handshakeBytes(buffer, i, n, nanoTime);
            } else if (recordType == ALERT) {
                alertBytes(buffer, i, n);
            }
            i += n;
            recordLeft -= n;
        }
    }

    private int recordHeader(ByteBuffer buffer, int i, int to) {
        if (!started) {
            started = true;
            if ((buffer.get(i) & 0x80) != 0) {
                stop(WireHandshake.SSLV2_HELLO, "an SSLv2-format ClientHello, not read");
                return to;
            }
        }
        while (i < to && recordHeaderFill < 5) {
            recordHeader[recordHeaderFill++] = buffer.get(i++);
        }
        if (recordHeaderFill < 5) {
            return i;
        }
        recordHeaderFill = 0;
        recordType = recordHeader[0] & 0xFF;
        recordLeft = ((recordHeader[3] & 0xFF) << 8) | (recordHeader[4] & 0xFF);
        if (recordLeft == 0 || recordLeft > MAX_RECORD) {
            stop(WireHandshake.NOT_TLS, "a record of " + recordLeft + " bytes");
            return to;
        }
        switch (recordType) {
            case HANDSHAKE:
                break;
            case ALERT:
                alertFill = 0;
                break;
            case CHANGE_CIPHER_SPEC:
                // In TLS 1.3 a compatibility dummy (plaintext goes on: a second ClientHello after a
                // HelloRetryRequest); before it, the end of this direction's plaintext.
                if (!handshake.plaintextAfterChangeCipherSpec()) {
                    stop(null, null);
                    return to;
                }
                break;
            case APPLICATION_DATA:
                stop(null, null); // encrypted from here on
                return to;
            default:
                stop(WireHandshake.NOT_TLS, "a record of type " + recordType);
                return to;
        }
        return i;
    }

    private void handshakeBytes(ByteBuffer buffer, int i, int n, long nanoTime) {
        int end = i + n;
        while (i < end && !stopped) {
            if (messageLeft == 0) { // between messages: a header, maybe split across records
                while (i < end && messageHeaderFill < 4) {
                    messageHeader[messageHeaderFill++] = buffer.get(i++);
                }
                if (messageHeaderFill < 4) {
                    return;
                }
                messageType = messageHeader[0] & 0xFF;
                messageLeft = ((messageHeader[1] & 0xFF) << 16) | ((messageHeader[2] & 0xFF) << 8)
                        | (messageHeader[3] & 0xFF);
                body = handshake.keeps(messageType, outbound, messageLeft) ? new byte[messageLeft] : null;
                bodyFill = 0;
                if (messageLeft == 0) {
                    messageDone(nanoTime);
                }
                continue;
            }
            int take = Math.min(end - i, messageLeft);
            if (body != null) {
                for (int k = 0; k < take; k++) {
                    body[bodyFill++] = buffer.get(i + k);
                }
            }
            i += take;
            messageLeft -= take;
            if (messageLeft == 0) {
                messageDone(nanoTime);
            }
        }
    }

    private void messageDone(long nanoTime) {
        byte[] done = body;
        body = null;
        messageHeaderFill = 0;
        handshake.message(messageType, outbound, done, nanoTime);
    }

    private void alertBytes(ByteBuffer buffer, int i, int n) {
        for (int k = 0; k < n && alertFill < 2; k++) {
            alert[alertFill++] = buffer.get(i + k);
        }
        if (alertFill == 2) {
            alertFill = 3; // one per record
            int level = alert[0] & 0xFF;
            handshake.alert(alert[1] & 0xFF, outbound);
            if (level == 2) {
                stop(null, null); // fatal: nothing follows
            }
        }
    }
}
